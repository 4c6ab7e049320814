import * as z from './zod';

/** Ids are random (UUID v4): never sequential, never guessable. */
export const IdSchema = z.lazy(() => z.uuid());

export const IsoDateTimeSchema = z.lazy(() => z.iso.datetime({ offset: true }));
export const IsoDateSchema = z.lazy(() => z.iso.date());

/**
 * A moment a client names to compare with stored times (a query's `from`, `to`): ISO 8601 with `Z`
 * or an offset, normalised to UTC with milliseconds (`toISOString`), the form every stored time
 * has, so that the two compare as strings; outside years 0000-9999 in UTC it is a 400.
 */
export const InstantSchema = z.lazy(() =>
  z.pipe(
    z.iso.datetime({ offset: true }),
    z.pipe(z.transform((value: string) => new Date(value).toISOString()), z.string().check(z.regex(/^\d{4}-/, 'a time between the years 0000 and 9999 (UTC)'))),
  ),
);

/**
 * A link a person will follow (an output's address): `https:` or `http:` only, never
 * `javascript:`, `data:` or another scheme that runs or embeds something in whoever renders it.
 */
export const WebUrlSchema = z.lazy(() =>
  z.url({ protocol: /^https?$/, error: 'must be an https:// or http:// address' }).check(z.regex(/^https?:\/\//i), z.maxLength(2000)),
);

export const EmailSchema = z.lazy(() => z.pipe(z.email().check(z.maxLength(254)), z.transform((value) => value.toLowerCase())));

/** `?limit=&cursor=` on every list route. The cursor is opaque to clients. */
export const PageQuerySchema = z.lazy(() => z.strictObject({
  limit: z._default(z.pipe(z.coerce.number(), z.int().check(z.minimum(1), z.maximum(100))), 20),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
}));
export type PageQuery = z.infer<typeof PageQuerySchema>;

export const pageOf = <T extends z.ZodMiniType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** The one error body of the API. */
export const ErrorResponseSchema = z.lazy(() => z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.optional(z.record(z.string(), z.unknown())),
  }),
}));
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
