import { describe, expect, it } from 'vitest';
import type { DatasetMetadata } from '../../shared/schemas/dataset';
import {
  changedMetadata,
  emptyDatasetForm,
  formFromMetadata,
  metadataFromForm,
  uploadRequestFor,
  validateDatasetForm,
  type DatasetFormState,
} from '../../web/src/lib/dataset-form';

const metadata: DatasetMetadata = {
  title: 'Bike-share station availability',
  description: 'Bikes and docks per station, hourly.',
  themes: ['mobility'],
  keywords: ['bike-share', 'stations'],
  contact: { name: 'Data desk', email: 'data@northwind.example' },
  licence: 'Accord Common Data Agreement v1',
  personalData: { contains: false },
  formats: ['CSV'],
  temporalCoverage: { start: '2025-01-01' },
  spatialCoverage: 'City centre',
  updateFrequency: 'daily',
  provenance: 'Station telemetry, aggregated hourly.',
  qualityStatement: 'Gaps under 1% of hours.',
  dataDictionary: [{ field: 'station_id', type: 'string', description: 'Station' }],
  maxGrantDays: 365,
  consentRequired: true,
};

const filled = (change: Partial<DatasetFormState> = {}): DatasetFormState => ({ ...formFromMetadata(metadata), ...change });

describe('the dataset form', () => {
  it('round-trips metadata through the form unchanged', () => {
    const result = validateDatasetForm(filled());
    expect(result).toEqual({ ok: true, value: metadata });
  });

  it('names every required field of an empty form next to it', () => {
    const result = validateDatasetForm(emptyDatasetForm({ name: 'Nora', email: 'nora@northwind.example' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(
      ['dataDictionary', 'description', 'provenance', 'qualityStatement', 'spatialCoverage', 'temporalCoverage.start', 'themes', 'title', 'updateFrequency'].sort(),
    );
  });

  it('asks for a description of personal data only when the dataset contains some', () => {
    const result = validateDatasetForm(filled({ personalDataContains: true, personalDataDescription: 'few' }));
    expect(!result.ok && result.errors['personalData.description']).toMatch(/at least 10 characters/);
    expect(validateDatasetForm(filled({ personalDataContains: false, personalDataDescription: 'few' })).ok).toBe(true);
  });

  it('puts a coverage that ends before it starts on the end date', () => {
    const result = validateDatasetForm(filled({ temporalStart: '2025-02-01', temporalEnd: '2025-01-01' }));
    expect(!result.ok && result.errors['temporalCoverage.end']).toBe('end must not be before start');
  });

  it('drops blank dictionary rows and shows a half-filled row’s message in its cell', () => {
    const rows = [...metadata.dataDictionary, { field: '', type: '', description: '' }, { field: 'bikes', type: '', description: 'Bikes' }];
    const result = validateDatasetForm(filled({ dataDictionary: rows }));
    expect(!result.ok && result.errors).toEqual({ 'dataDictionary.1.type': 'Enter a value' });
    expect((metadataFromForm(filled({ dataDictionary: rows.slice(0, 2) })) as DatasetMetadata).dataDictionary).toHaveLength(1);
  });

  it('reads the longest grant as a whole number', () => {
    const words = validateDatasetForm(filled({ maxGrantDays: 'a year' }));
    expect(!words.ok && words.errors.maxGrantDays).toBe('Enter a whole number');
    const result = validateDatasetForm(filled({ maxGrantDays: '2000' }));
    expect(!result.ok && result.errors.maxGrantDays).toBe('Enter a number up to 1825');
  });
});

describe('an edit', () => {
  it('sends only the fields that changed', () => {
    const after = { ...metadata, title: 'Bike-share, hourly', keywords: ['bike-share'] };
    expect(changedMetadata(metadata, after)).toEqual({ title: 'Bike-share, hourly', keywords: ['bike-share'] });
    expect(changedMetadata(metadata, { ...metadata })).toEqual({});
  });
});

describe('an upload request', () => {
  it('is made from the chosen file, with a default content type', () => {
    expect(uploadRequestFor({ name: 'stations.csv', size: 27, type: '' }, true)).toEqual({
      ok: true,
      value: { fileName: 'stations.csv', size: 27, contentType: 'application/octet-stream', sample: true },
    });
  });

  it('refuses a file name the API would refuse, and an empty file', () => {
    expect(uploadRequestFor({ name: '../secret.csv', size: 5, type: 'text/csv' }, false)).toMatchObject({ ok: false, message: /^File name:/ });
    expect(uploadRequestFor({ name: 'empty.csv', size: 0, type: 'text/csv' }, false)).toMatchObject({ ok: false, message: /^Size:/ });
  });
});
