import * as z from 'zod';
import { DatasetMetadataSchema, ThemeSchema } from './dataset';

/** A published dataset as the public sees it: metadata only. */
export const PublicDatasetSchema = z.object({
  id: z.string(),
  providerName: z.string(),
  publishedVersion: z.number().int().nullable(),
  publishedAt: z.string().nullable(),
  updatedAt: z.string(),
  metadata: DatasetMetadataSchema,
});
export type PublicDataset = z.infer<typeof PublicDatasetSchema>;

export const PublicCatalogQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  theme: ThemeSchema.optional(),
});
