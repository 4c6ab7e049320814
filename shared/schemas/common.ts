import * as z from 'zod';

/** Ids are random (UUID v4): never sequential, never guessable. */
export const IdSchema = z.uuid();

export const IsoDateTimeSchema = z.iso.datetime({ offset: true });
export const IsoDateSchema = z.iso.date();

export const EmailSchema = z.email().max(254).transform((value) => value.toLowerCase());

/** `?limit=&cursor=` on every list route. The cursor is opaque to clients. */
export const PageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** The one error body of the API. */
export const ErrorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
