import {
  DatasetMetadataSchema,
  StartUploadRequestSchema,
  UPDATE_FREQUENCIES,
  type DATASET_THEMES,
  type DatasetMetadata,
  type StartUploadRequest,
  type UpdateDatasetRequest,
} from '../../../shared/schemas/dataset';
import { commaList, validate, type FieldErrors } from './forms';

type Theme = (typeof DATASET_THEMES)[number];
type Frequency = (typeof UPDATE_FREQUENCIES)[number];

export interface DictionaryRow {
  field: string;
  type: string;
  description: string;
}

/** The dataset form as the inputs hold it: text, with lists as comma-separated text. */
export interface DatasetFormState {
  title: string;
  description: string;
  themes: Theme[];
  keywords: string;
  contactName: string;
  contactEmail: string;
  licence: string;
  personalDataContains: boolean;
  personalDataDescription: string;
  formats: string;
  temporalStart: string;
  temporalEnd: string;
  spatialCoverage: string;
  updateFrequency: Frequency | '';
  provenance: string;
  qualityStatement: string;
  dataDictionary: DictionaryRow[];
  maxGrantDays: string;
  consentRequired: boolean;
}

/** Every field path the form shows a message next to (the schema's paths). */
export const DATASET_FIELDS = [
  'title',
  'description',
  'themes',
  'keywords',
  'contact.name',
  'contact.email',
  'licence',
  'personalData.contains',
  'personalData.description',
  'formats',
  'temporalCoverage.start',
  'temporalCoverage.end',
  'spatialCoverage',
  'updateFrequency',
  'provenance',
  'qualityStatement',
  'dataDictionary',
  'maxGrantDays',
  'consentRequired',
] as const;

/** The dictionary's cells are fields too, so each message sits in its own cell. */
export const datasetFieldsFor = (state: Pick<DatasetFormState, 'dataDictionary'>): string[] => [
  ...DATASET_FIELDS,
  ...state.dataDictionary.flatMap((_, i) => [`dataDictionary.${i}.field`, `dataDictionary.${i}.type`, `dataDictionary.${i}.description`]),
];

export const emptyDictionaryRow = (): DictionaryRow => ({ field: '', type: '', description: '' });

export function emptyDatasetForm(contact: { name: string; email: string } = { name: '', email: '' }): DatasetFormState {
  return {
    title: '',
    description: '',
    themes: [],
    keywords: '',
    contactName: contact.name,
    contactEmail: contact.email,
    licence: 'Accord Common Data Agreement',
    personalDataContains: false,
    personalDataDescription: '',
    formats: 'CSV',
    temporalStart: '',
    temporalEnd: '',
    spatialCoverage: '',
    updateFrequency: '',
    provenance: '',
    qualityStatement: '',
    dataDictionary: [emptyDictionaryRow()],
    maxGrantDays: '365',
    consentRequired: true,
  };
}

export function formFromMetadata(metadata: DatasetMetadata): DatasetFormState {
  return {
    title: metadata.title,
    description: metadata.description,
    themes: [...metadata.themes],
    keywords: metadata.keywords.join(', '),
    contactName: metadata.contact.name,
    contactEmail: metadata.contact.email,
    licence: metadata.licence,
    personalDataContains: metadata.personalData.contains,
    personalDataDescription: metadata.personalData.description ?? '',
    formats: metadata.formats.join(', '),
    temporalStart: metadata.temporalCoverage.start,
    temporalEnd: metadata.temporalCoverage.end ?? '',
    spatialCoverage: metadata.spatialCoverage,
    updateFrequency: metadata.updateFrequency,
    provenance: metadata.provenance,
    qualityStatement: metadata.qualityStatement,
    dataDictionary: metadata.dataDictionary.map((row) => ({ ...row })),
    maxGrantDays: String(metadata.maxGrantDays),
    consentRequired: metadata.consentRequired,
  };
}

const optional = (text: string): string | undefined => (text.trim() === '' ? undefined : text);

/** The request body the form stands for, before validation (numbers parsed, blanks left out). */
export function metadataFromForm(state: DatasetFormState): unknown {
  return {
    title: state.title,
    description: state.description,
    themes: state.themes,
    keywords: commaList(state.keywords),
    contact: { name: state.contactName, email: state.contactEmail.trim() },
    licence: state.licence,
    personalData: state.personalDataContains
      ? { contains: true, description: optional(state.personalDataDescription) }
      : { contains: false },
    formats: commaList(state.formats),
    temporalCoverage: { start: state.temporalStart, end: optional(state.temporalEnd) },
    spatialCoverage: state.spatialCoverage,
    updateFrequency: state.updateFrequency === '' ? undefined : state.updateFrequency,
    provenance: state.provenance,
    qualityStatement: state.qualityStatement,
    // Rows left entirely blank are the empty row the table offers for typing, not data.
    dataDictionary: state.dataDictionary.filter((row) => row.field.trim() || row.type.trim() || row.description.trim()),
    maxGrantDays: state.maxGrantDays.trim() === '' ? undefined : Number(state.maxGrantDays),
    consentRequired: state.consentRequired,
  };
}

/** Validates the form with the same schema the API uses. */
export function validateDatasetForm(state: DatasetFormState): { ok: true; value: DatasetMetadata } | { ok: false; errors: FieldErrors } {
  return validate(DatasetMetadataSchema, metadataFromForm(state), datasetFieldsFor(state));
}

/**
 * The PATCH body for an edit: only the top-level fields that differ from what was read, so an
 * edit of the title does not rewrite (and re-version) everything else. Empty when nothing changed.
 */
export function changedMetadata(before: DatasetMetadata, after: DatasetMetadata): UpdateDatasetRequest {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof DatasetMetadata)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = after[key];
  }
  return changes as UpdateDatasetRequest;
}

/** What the upload route is asked for one chosen file; the file name is checked as the API checks it. */
export function uploadRequestFor(
  file: { name: string; size: number; type: string },
  sample: boolean,
): { ok: true; value: StartUploadRequest } | { ok: false; message: string } {
  const parsed = StartUploadRequestSchema.safeParse({
    fileName: file.name,
    size: file.size,
    contentType: file.type && file.type.length >= 3 ? file.type : 'application/octet-stream',
    sample,
  });
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') === 'size' ? 'Size' : 'File name';
  return { ok: false, message: `${field}: ${issue?.message ?? 'not accepted'}` };
}

export const FREQUENCY_LABELS: Record<Frequency, string> = {
  once: 'Once (no updates)',
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  annually: 'Annually',
  irregular: 'Irregularly',
};

export const THEME_LABELS: Record<Theme, string> = {
  mobility: 'Mobility',
  telecommunications: 'Telecommunications',
  population: 'Population',
  health: 'Health',
  'climate-environment': 'Climate and environment',
  'economy-finance': 'Economy and finance',
  agriculture: 'Agriculture',
  energy: 'Energy',
  infrastructure: 'Infrastructure',
  other: 'Other',
};
