import * as z from 'zod';
import { IsoDateSchema } from './common';

export const DATASET_THEMES = [
  'mobility',
  'telecommunications',
  'population',
  'health',
  'climate-environment',
  'economy-finance',
  'agriculture',
  'energy',
  'infrastructure',
  'other',
] as const;
export const ThemeSchema = z.enum(DATASET_THEMES);

export const UPDATE_FREQUENCIES = ['once', 'daily', 'weekly', 'monthly', 'quarterly', 'annually', 'irregular'] as const;

export const DATASET_STATES = ['draft', 'published', 'retired'] as const;
export type DatasetState = (typeof DATASET_STATES)[number];

export const DataDictionaryEntrySchema = z.strictObject({
  field: z.string().trim().min(1).max(100),
  type: z.string().trim().min(1).max(50),
  description: z.string().trim().min(1).max(1000),
});

/** What the consortium's data-sharing toolkit asks a provider to say about a dataset. */
export const DatasetMetadataSchema = z.strictObject({
  title: z.string().trim().min(3).max(200),
  description: z.string().trim().min(10).max(5000),
  themes: z.array(ThemeSchema).min(1).max(5),
  keywords: z.array(z.string().trim().min(1).max(50)).max(20),
  contact: z.strictObject({ name: z.string().trim().min(1).max(120), email: z.email() }),
  /** The licence or terms under the common agreement. */
  licence: z.string().trim().min(2).max(500),
  personalData: z
    .strictObject({
      contains: z.boolean(),
      /** Required when `contains`: what personal data, and how it is protected (aggregation, pseudonymisation). */
      description: z.string().trim().max(2000).optional(),
    })
    .refine((p) => !p.contains || (p.description?.length ?? 0) >= 10, {
      message: 'Describe the personal data and its protection (at least 10 characters)',
      path: ['description'],
    }),
  formats: z.array(z.string().trim().min(1).max(30)).min(1).max(10),
  temporalCoverage: z
    .strictObject({ start: IsoDateSchema, end: IsoDateSchema.optional() })
    .refine((t) => !t.end || t.end >= t.start, { message: 'end must not be before start', path: ['end'] }),
  spatialCoverage: z.string().trim().min(2).max(500),
  updateFrequency: z.enum(UPDATE_FREQUENCIES),
  provenance: z.string().trim().min(10).max(5000),
  qualityStatement: z.string().trim().min(10).max(5000),
  dataDictionary: z.array(DataDictionaryEntrySchema).min(1).max(500),
  /** The longest grant, in days, this provider allows on this dataset. */
  maxGrantDays: z.number().int().min(1).max(1825),
  /** Whether each proposal asking for this dataset needs the provider's consent. */
  consentRequired: z.boolean(),
});
export type DatasetMetadata = z.infer<typeof DatasetMetadataSchema>;

export const CreateDatasetRequestSchema = DatasetMetadataSchema;
export const UpdateDatasetRequestSchema = DatasetMetadataSchema.partial();
export type UpdateDatasetRequest = z.infer<typeof UpdateDatasetRequestSchema>;

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,199}$/;

/** Files up to 5 GiB; above 64 MiB the upload is multipart. */
export const MAX_FILE_BYTES = 5 * 1024 ** 3;
export const MULTIPART_THRESHOLD_BYTES = 64 * 1024 ** 2;
export const MULTIPART_PART_BYTES = 16 * 1024 ** 2;

export const StartUploadRequestSchema = z.strictObject({
  fileName: z.string().regex(FILE_NAME, 'letters, digits, dot, dash, underscore or space; at most 200'),
  size: z.number().int().min(1).max(MAX_FILE_BYTES),
  contentType: z.string().min(3).max(100).default('application/octet-stream'),
  /** Sample files are downloadable by any organisation that signed the agreement. */
  sample: z.boolean().default(false),
});
export type StartUploadRequest = z.infer<typeof StartUploadRequestSchema>;

export const UploadPartUrlSchema = z.object({ partNumber: z.number().int(), url: z.string() });

export const StartUploadResponseSchema = z.object({
  fileId: z.string(),
  version: z.number().int(),
  /** `single`: PUT the whole body to `url`. `multipart`: PUT each part to its URL, then complete with the ETags. */
  method: z.enum(['single', 'multipart']),
  url: z.string().nullable(),
  parts: z.array(UploadPartUrlSchema),
  partSize: z.number().int().nullable(),
  expiresAt: z.string(),
});
export type StartUploadResponse = z.infer<typeof StartUploadResponseSchema>;

export const CompleteUploadRequestSchema = z.strictObject({
  parts: z
    .array(z.strictObject({ partNumber: z.number().int().min(1).max(10_000), etag: z.string().min(1).max(200) }))
    .max(10_000)
    .optional(),
});
export type CompleteUploadRequest = z.infer<typeof CompleteUploadRequestSchema>;

export const UpdateFileRequestSchema = z.strictObject({ sample: z.boolean() });

export const DatasetFileSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  size: z.number().int(),
  sha256: z.string().nullable(),
  sample: z.boolean(),
  status: z.enum(['pending', 'uploaded']),
  uploadedAt: z.string().nullable(),
});
export type DatasetFile = z.infer<typeof DatasetFileSchema>;

export const DatasetSchema = z.object({
  id: z.string(),
  providerOrgId: z.string(),
  providerName: z.string(),
  state: z.enum(DATASET_STATES),
  /** Bumped by every change; send it back in `If-Match` when editing. */
  revision: z.number().int(),
  /** Bumped by every metadata change, so a proposal can tell whether what it was submitted under changed. */
  metadataVersion: z.number().int(),
  metadata: DatasetMetadataSchema,
  publishedVersion: z.number().int().nullable(),
  draftVersion: z.number().int(),
  files: z.array(DatasetFileSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  retiredAt: z.string().nullable(),
  retiredReason: z.string().nullable(),
});
export type Dataset = z.infer<typeof DatasetSchema>;

/** What a catalog list shows for one dataset. */
export const DatasetSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  themes: z.array(ThemeSchema),
  keywords: z.array(z.string()),
  providerOrgId: z.string(),
  providerName: z.string(),
  state: z.enum(DATASET_STATES),
  publishedVersion: z.number().int().nullable(),
  consentRequired: z.boolean(),
  maxGrantDays: z.number().int(),
  updatedAt: z.string(),
});
export type DatasetSummary = z.infer<typeof DatasetSummarySchema>;

export const CatalogQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  theme: ThemeSchema.optional(),
  provider: z.uuid().optional(),
  /** `mine` lists the caller's own datasets in every state (providers). */
  scope: z.enum(['catalog', 'mine']).default('catalog'),
});
export type CatalogQuery = z.infer<typeof CatalogQuerySchema>;

export const PublishVersionResponseSchema = z.object({
  datasetId: z.string(),
  version: z.number().int(),
  files: z.array(DatasetFileSchema),
  publishedAt: z.string(),
});

export const RetireDatasetRequestSchema = z.strictObject({
  reason: z.string().trim().min(10).max(512),
});

export const SampleLinkSchema = z.object({
  fileId: z.string(),
  name: z.string(),
  size: z.number().int(),
  sha256: z.string().nullable(),
  url: z.string(),
  expiresAt: z.string(),
});
export const SampleListSchema = z.object({ items: z.array(SampleLinkSchema) });
