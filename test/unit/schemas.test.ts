import { describe, expect, it } from 'vitest';
import { CreateDatasetRequestSchema, StartUploadRequestSchema, UpdateDatasetRequestSchema } from '../../shared/schemas/dataset';
import { WebUrlSchema } from '../../shared/schemas/common';
import { ClosureRequestSchema } from '../../shared/schemas/grant';
import { CreateOrganizationRequestSchema } from '../../shared/schemas/organization';
import { datasetMetadata } from '../support/fixtures';

const firstPath = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues[0]?.path.join('.');

describe('dataset metadata', () => {
  it('accepts a complete description', () => {
    expect(CreateDatasetRequestSchema.safeParse(datasetMetadata()).success).toBe(true);
  });

  it('requires a description of personal data when the dataset contains it', () => {
    const result = CreateDatasetRequestSchema.safeParse(datasetMetadata({ personalData: { contains: true } }));
    expect(firstPath(result)).toBe('personalData.description');
  });

  it('refuses a temporal coverage that ends before it starts', () => {
    const result = CreateDatasetRequestSchema.safeParse(datasetMetadata({ temporalCoverage: { start: '2024-02-01', end: '2024-01-01' } }));
    expect(firstPath(result)).toBe('temporalCoverage.end');
  });

  it('refuses an unknown theme and an empty data dictionary', () => {
    expect(firstPath(CreateDatasetRequestSchema.safeParse({ ...datasetMetadata(), themes: ['astrology'] }))).toBe('themes.0');
    expect(firstPath(CreateDatasetRequestSchema.safeParse(datasetMetadata({ dataDictionary: [] })))).toBe('dataDictionary');
  });

  it('refuses unknown fields, also in an edit', () => {
    const result = UpdateDatasetRequestSchema.safeParse({ title: 'Fine title', owner: 'me' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
  });
});

describe('uploads', () => {
  it('refuse file names that could escape their folder', () => {
    for (const fileName of ['../x.csv', 'a/b.csv', '.hidden', '']) {
      expect(StartUploadRequestSchema.safeParse({ fileName, size: 1 }).success).toBe(false);
    }
    expect(StartUploadRequestSchema.safeParse({ fileName: 'od matrix 2025-10.csv', size: 1 }).success).toBe(true);
  });
});

describe('organisation admission', () => {
  it('lower-cases the first admin\'s email and refuses the secretariat kind', () => {
    const parsed = CreateOrganizationRequestSchema.parse({ name: 'Org', kinds: ['member'], firstAdmin: { email: 'A@B.Example', name: 'A' } });
    expect(parsed.firstAdmin.email).toBe('a@b.example');
    expect(CreateOrganizationRequestSchema.safeParse({ ...parsed, kinds: ['secretariat'] }).success).toBe(false);
  });
});

describe('links people follow', () => {
  const report = (url: string) => ({ outcomeReport: { outputs: [{ title: 'Brief', url }], indicators: [], publicSummary: 'A public summary of what the project found.' } });

  it.each(['javascript:alert(document.domain)', 'JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'ftp://files.example/a', 'file:///etc/passwd', '//evil.example/x'])(
    'refuses %s as an output link',
    (url) => {
      const parsed = ClosureRequestSchema.safeParse(report(url));
      expect(parsed.success).toBe(false);
      expect(firstPath(parsed)).toBe('outcomeReport.outputs.0.url');
    },
  );

  it.each(['https://andes-bank.example/brief', 'http://intranet.example/report?id=4'])('accepts %s', (url) => {
    expect(WebUrlSchema.safeParse(url).success).toBe(true);
  });
});
