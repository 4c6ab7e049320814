import * as z from './zod';
import { DatasetMetadataSchema, ThemeSchema } from './dataset';

/** A published dataset as the public sees it: metadata only. */
export const PublicDatasetSchema = z.lazy(() => z.object({
  id: z.string(),
  providerName: z.string(),
  publishedVersion: z.nullable(z.int()),
  publishedAt: z.nullable(z.string()),
  updatedAt: z.string(),
  metadata: DatasetMetadataSchema,
}));
export type PublicDataset = z.infer<typeof PublicDatasetSchema>;

export const PublicCatalogQuerySchema = z.lazy(() => z.strictObject({
  limit: z._default(z.pipe(z.coerce.number(), z.int().check(z.minimum(1), z.maximum(100))), 20),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  theme: z.optional(ThemeSchema),
}));

/** An approved project in the public transparency register (projects that agreed to be listed). */
export const PublicProjectSchema = z.lazy(() => z.object({
  id: z.string(),
  title: z.string(),
  organisation: z.string(),
  purpose: z.object({ category: z.string(), label: z.string() }),
  datasets: z.array(z.object({ title: z.string(), provider: z.string() })),
  startDate: z.string(),
  endDate: z.string(),
  approvedAt: z.string(),
  /** `active` during the period, `ended` after it, `closed` once every grant was closed out. */
  state: z.enum(['active', 'ended', 'closed']),
  /** The grantee's public summaries, once its grants are closed. */
  outcomes: z.array(z.object({ dataset: z.string(), summary: z.string(), closedAt: z.string() })),
}));
export type PublicProject = z.infer<typeof PublicProjectSchema>;

export const PublicProjectQuerySchema = z.lazy(() => z.strictObject({
  limit: z._default(z.pipe(z.coerce.number(), z.int().check(z.minimum(1), z.maximum(100))), 20),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
}));
