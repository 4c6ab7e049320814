import * as z from './zod';

/** Ids are random (UUID v4): never sequential, never guessable. */
export const IdSchema = z.lazy(() => z.uuid());

export const IsoDateTimeSchema = z.lazy(() => z.iso.datetime({ offset: true }));
export const IsoDateSchema = z.lazy(() => z.iso.date());

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
