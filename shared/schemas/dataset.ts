import * as z from './zod';
import { IsoDateSchema } from './common';
import { LIMITS, maxJsonBytes } from './limits';

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
export const ThemeSchema = z.lazy(() => z.enum(DATASET_THEMES));

export const UPDATE_FREQUENCIES = ['once', 'daily', 'weekly', 'monthly', 'quarterly', 'annually', 'irregular'] as const;

export const DATASET_STATES = ['draft', 'published', 'retired'] as const;
export type DatasetState = (typeof DATASET_STATES)[number];

export const DataDictionaryEntrySchema = z.lazy(() => z.strictObject({
  field: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  type: z.string().check(z.trim(), z.minLength(1), z.maxLength(50)),
  description: z.string().check(z.trim(), z.minLength(1), z.maxLength(1000)),
}));

/** What the consortium's data-sharing toolkit asks a provider to say about a dataset. */
const datasetMetadata = () => z.strictObject({
  title: z.string().check(z.trim(), z.minLength(3), z.maxLength(200)),
  description: z.string().check(z.trim(), z.minLength(10), z.maxLength(5000)),
  themes: z.array(ThemeSchema).check(z.minLength(1), z.maxLength(5)),
  keywords: z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(50))).check(z.maxLength(20)),
  contact: z.strictObject({ name: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)), email: z.email() }),
  /** The licence or terms under the common agreement. */
  licence: z.string().check(z.trim(), z.minLength(2), z.maxLength(500)),
  personalData: z.strictObject({
    contains: z.boolean(),
    /** Required when `contains`: what personal data, and how it is protected (aggregation, pseudonymisation). */
    description: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
  }).check(z.refine((p) => !p.contains || (p.description?.length ?? 0) >= 10, {
    message: 'Describe the personal data and its protection (at least 10 characters)',
    path: ['description'],
  })),
  formats: z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(30))).check(z.minLength(1), z.maxLength(10)),
  temporalCoverage: z.strictObject({ start: IsoDateSchema, end: z.optional(IsoDateSchema) }).check(z.refine((t) => !t.end || t.end >= t.start, { message: 'end must not be before start', path: ['end'] })),
  spatialCoverage: z.string().check(z.trim(), z.minLength(2), z.maxLength(500)),
  updateFrequency: z.enum(UPDATE_FREQUENCIES),
  provenance: z.string().check(z.trim(), z.minLength(10), z.maxLength(5000)),
  qualityStatement: z.string().check(z.trim(), z.minLength(10), z.maxLength(5000)),
  dataDictionary: z.array(DataDictionaryEntrySchema).check(z.minLength(1), z.maxLength(500)),
  /** The longest grant, in days, this provider allows on this dataset. */
  maxGrantDays: z.int().check(z.minimum(1), z.maximum(1825)),
  /** Whether each proposal asking for this dataset needs the provider's consent. */
  consentRequired: z.boolean(),
});
/** At most `LIMITS.metadataBytes` (64 KiB) as JSON, whatever each field's length: an edit's result is checked too (catalog service). */
export const DatasetMetadataSchema = z.lazy(() => datasetMetadata().check(maxJsonBytes(LIMITS.metadataBytes, 'metadata')));
export type DatasetMetadata = z.infer<typeof DatasetMetadataSchema>;

export const CreateDatasetRequestSchema = DatasetMetadataSchema;
export const UpdateDatasetRequestSchema = z.lazy(() => z.partial(datasetMetadata()).check(maxJsonBytes(LIMITS.metadataBytes, 'metadata')));
export type UpdateDatasetRequest = z.infer<typeof UpdateDatasetRequestSchema>;

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,199}$/;

/**
 * Files of 1 byte to 5 GiB (the most one S3 PUT, and one server-side copy, takes); above 64 MiB
 * the upload is multipart. The declared size is binding: the upload URLs sign it and the
 * verifier rejects any other.
 */
export const MAX_FILE_BYTES = 5 * 1024 ** 3;
export const MULTIPART_THRESHOLD_BYTES = 64 * 1024 ** 2;
export const MULTIPART_PART_BYTES = 16 * 1024 ** 2;

export const StartUploadRequestSchema = z.lazy(() => z.strictObject({
  fileName: z.string().check(z.regex(FILE_NAME, 'letters, digits, dot, dash, underscore or space; at most 200')),
  size: z.int().check(z.minimum(1), z.maximum(MAX_FILE_BYTES)),
  contentType: z._default(z.string().check(z.minLength(3), z.maxLength(100)), 'application/octet-stream'),
  /** Sample files are downloadable by any organisation that signed the agreement. */
  sample: z._default(z.boolean(), false),
}));
export type StartUploadRequest = z.infer<typeof StartUploadRequestSchema>;

export const UploadPartUrlSchema = z.lazy(() => z.object({ partNumber: z.int(), url: z.string() }));

export const StartUploadResponseSchema = z.lazy(() => z.object({
  fileId: z.string(),
  version: z.int(),
  /** `single`: PUT the whole body to `url`. `multipart`: PUT each part to its URL, then complete with the ETags. */
  method: z.enum(['single', 'multipart']),
  url: z.nullable(z.string()),
  parts: z.array(UploadPartUrlSchema),
  partSize: z.nullable(z.int()),
  expiresAt: z.string(),
}));
export type StartUploadResponse = z.infer<typeof StartUploadResponseSchema>;

export const CompleteUploadRequestSchema = z.lazy(() => z.strictObject({
  parts: z.optional(z.array(z.strictObject({ partNumber: z.int().check(z.minimum(1), z.maximum(10_000)), etag: z.string().check(z.minLength(1), z.maxLength(200)) })).check(z.maxLength(10_000))),
}));
export type CompleteUploadRequest = z.infer<typeof CompleteUploadRequestSchema>;

export const UpdateFileRequestSchema = z.lazy(() => z.strictObject({ sample: z.boolean() }));

/** What the verifier is handed for one completed upload (a queue message deployed; a call in process locally). */
export const FileVerificationJobSchema = z.lazy(() => z.strictObject({
  datasetId: z.uuid(),
  fileId: z.uuid(),
  /**
   * Set when the file was removed from its draft version: the verifier deletes what is left of its
   * bytes (the verified copy, the staging object) once it finds no dataset file names them.
   */
  discard: z.optional(z.strictObject({ version: z.int().check(z.minimum(1)), name: z.string().check(z.minLength(1), z.maxLength(200)) })),
}));
export type FileVerificationJob = z.infer<typeof FileVerificationJobSchema>;

/**
 * A file's way to publication: `pending` until its upload is completed, `verifying` while the
 * verifier copies it from staging and hashes the copy, then `ready` (size and sha256 are those of
 * the bytes every link serves) or `rejected` (`rejectedReason` says why). Only ready files are
 * published, offered as samples or granted.
 */
export const FILE_STATUSES = ['pending', 'verifying', 'ready', 'rejected'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

export const DatasetFileSchema = z.lazy(() => z.object({
  id: z.string(),
  name: z.string(),
  version: z.int(),
  /** Declared at the start of the upload; once ready, the verified size (the same, or it is rejected). */
  size: z.int(),
  sha256: z.nullable(z.string()),
  sample: z.boolean(),
  status: z.enum(FILE_STATUSES),
  /** Why the file was rejected; null unless `rejected`. */
  rejectedReason: z.nullable(z.string()),
  /** When the file became ready. */
  uploadedAt: z.nullable(z.string()),
}));
export type DatasetFile = z.infer<typeof DatasetFileSchema>;

export const DatasetSchema = z.lazy(() => z.object({
  id: z.string(),
  providerOrgId: z.string(),
  providerName: z.string(),
  state: z.enum(DATASET_STATES),
  /** Bumped by every change; send it back in `If-Match` when editing. */
  revision: z.int(),
  /** Bumped by every metadata change, so a proposal can tell whether what it was submitted under changed. */
  metadataVersion: z.int(),
  metadata: DatasetMetadataSchema,
  publishedVersion: z.nullable(z.int()),
  draftVersion: z.int(),
  files: z.array(DatasetFileSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.nullable(z.string()),
  retiredAt: z.nullable(z.string()),
  retiredReason: z.nullable(z.string()),
}));
export type Dataset = z.infer<typeof DatasetSchema>;

/** What a catalog list shows for one dataset. */
export const DatasetSummarySchema = z.lazy(() => z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  themes: z.array(ThemeSchema),
  keywords: z.array(z.string()),
  providerOrgId: z.string(),
  providerName: z.string(),
  state: z.enum(DATASET_STATES),
  publishedVersion: z.nullable(z.int()),
  consentRequired: z.boolean(),
  maxGrantDays: z.int(),
  updatedAt: z.string(),
}));
export type DatasetSummary = z.infer<typeof DatasetSummarySchema>;

export const CatalogQuerySchema = z.lazy(() => z.strictObject({
  limit: z._default(z.pipe(z.coerce.number(), z.int().check(z.minimum(1), z.maximum(100))), 20),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  theme: z.optional(ThemeSchema),
  provider: z.optional(z.uuid()),
  /** `mine` lists the caller's own datasets in every state (providers). */
  scope: z._default(z.enum(['catalog', 'mine']), 'catalog'),
}));
export type CatalogQuery = z.infer<typeof CatalogQuerySchema>;

export const PublishVersionResponseSchema = z.lazy(() => z.object({
  datasetId: z.string(),
  version: z.int(),
  files: z.array(DatasetFileSchema),
  publishedAt: z.string(),
}));

export const RetireDatasetRequestSchema = z.lazy(() => z.strictObject({
  reason: z.string().check(z.trim(), z.minLength(10), z.maxLength(512)),
}));

export const SampleLinkSchema = z.lazy(() => z.object({
  fileId: z.string(),
  name: z.string(),
  size: z.int(),
  sha256: z.nullable(z.string()),
  url: z.string(),
  expiresAt: z.string(),
}));
export const SampleListSchema = z.lazy(() => z.object({ items: z.array(SampleLinkSchema) }));
