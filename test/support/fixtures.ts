import type { DatasetMetadata } from '../../shared/schemas/dataset';

/** Valid dataset metadata; override what a test is about. */
export const datasetMetadata = (overrides: Partial<DatasetMetadata> = {}): DatasetMetadata => ({
  title: 'Test freight flows',
  description: 'Weekly freight tonnage between logistics hubs, for testing.',
  themes: ['mobility'],
  keywords: ['freight'],
  contact: { name: 'Test desk', email: 'desk@test.example' },
  licence: 'Accord Common Data Agreement',
  personalData: { contains: false },
  formats: ['CSV'],
  temporalCoverage: { start: '2024-01-01' },
  spatialCoverage: 'Test region',
  updateFrequency: 'weekly',
  provenance: 'Collected from weighbridges at each hub.',
  qualityStatement: 'Weighbridge readings are calibrated yearly.',
  dataDictionary: [{ field: 'hub', type: 'string', description: 'Hub name' }],
  maxGrantDays: 365,
  consentRequired: true,
  ...overrides,
});
