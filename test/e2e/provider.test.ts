import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MULTIPART_THRESHOLD_BYTES } from '../../shared/schemas/dataset';
import { auditPage, signIn, startApp, type E2eApp } from './support';

const PROVIDER = 'data@northwind.example';
const SAMPLE_CSV = 'station_id,bikes,docks\nS001,4,11\nS002,9,6\n';
const FULL_CSV = `station_id,bikes,docks\n${Array.from({ length: 200 }, (_, i) => `S${String(i + 1).padStart(3, '0')},${i % 13},${(i * 7) % 17}`).join('\n')}\n`;

let app: E2eApp;
let page: Page;
let files: string;
let datasetId = '';

beforeAll(async () => {
  app = await startApp();
  files = await mkdtemp(join(tmpdir(), 'accord-e2e-files-'));
  await writeFile(join(files, 'stations-sample.csv'), SAMPLE_CSV);
  await writeFile(join(files, 'stations.csv'), FULL_CSV);
  page = await app.newPage();
  await signIn(page, app.url, PROVIDER);
}, 120_000);

afterAll(async () => {
  await app?.stop();
  if (files) await rm(files, { recursive: true, force: true });
});

const field = (id: string) => page.locator(`#f-${id}`);

// One provider's journey, in order: each step builds on the dataset the previous one made.
describe('a provider lists a dataset', () => {
  it('lands on its own datasets, with their state', async () => {
    await page.waitForURL(/\/provider\/datasets$/);
    await page.getByRole('link', { name: 'Urban trip origin-destination matrix' }).waitFor();
    await page.getByRole('link', { name: 'Public transit ridership by stop' }).waitFor();
    expect(await page.locator('tbody .badge-published').count()).toBe(2);
    expect(await auditPage(page, 'provider-datasets')).toEqual([]);
  });

  it('is told next to each field what is missing or wrong before anything is sent', async () => {
    await page.getByRole('link', { name: 'New dataset' }).click();
    await page.getByRole('heading', { level: 1, name: 'New dataset' }).waitFor();
    await field('temporalCoverage-start').fill('2025-01-01');
    await field('temporalCoverage-end').fill('2024-06-30');
    await page.getByRole('button', { name: 'Create draft dataset' }).click();

    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    expect(await page.locator('#f-title-error').textContent()).toContain('at least 3');
    expect(await field('title').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-themes-error').isVisible()).toBe(true);
    expect(await page.locator('#f-temporalCoverage-end-error').textContent()).toContain('end must not be before start');
    expect(await page.locator('#f-dataDictionary-0-field-error').isVisible()).toBe(false);
    expect(await auditPage(page, 'provider-dataset-form-errors')).toEqual([]);

    // The summary's links take the keyboard to the field.
    await summary.getByRole('link', { name: /Title/ }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-title');
  });

  it('creates a draft with full metadata, the data dictionary typed into its table', async () => {
    await field('title').fill('Bike-share station availability');
    await field('description').fill('Bikes and free docks per bike-share station, every hour, across the city centre.');
    await page.getByRole('checkbox', { name: 'Mobility' }).check();
    await page.getByRole('checkbox', { name: 'Infrastructure' }).check();
    await field('keywords').fill('bike-share, stations, micromobility');
    await field('temporalCoverage-end').fill('');
    await field('spatialCoverage').fill('City centre, 120 stations');
    await field('updateFrequency').selectOption('daily');
    await field('formats').fill('CSV');
    await page.getByLabel(/contains personal data/).check();
    await field('personalData-description').fill('None about people: station counts only, no trips or users.');
    await field('provenance').fill('Station telemetry of the Northwind bike-share fleet, aggregated to the hour.');
    await field('qualityStatement').fill('Gaps under 1% of station-hours; docks under maintenance are excluded.');
    await field('dataDictionary-0-field').fill('station_id');
    await field('dataDictionary-0-type').fill('string');
    await field('dataDictionary-0-description').fill('Station identifier');
    await page.getByRole('button', { name: 'Add a row' }).click();
    await field('dataDictionary-1-field').fill('bikes');
    await field('dataDictionary-1-type').fill('integer');
    await field('dataDictionary-1-description').fill('Bikes available');
    await page.getByRole('button', { name: 'Add a row' }).click();
    await field('dataDictionary-2-field').fill('docks');
    await field('dataDictionary-2-type').fill('integer');
    await field('dataDictionary-2-description').fill('Free docks');
    expect(await field('contact-email').inputValue()).toBe(PROVIDER);
    await field('maxGrantDays').fill('180');

    await page.getByRole('button', { name: 'Create draft dataset' }).click();
    await page.waitForURL(/\/provider\/datasets\/[0-9a-f-]{36}$/);
    datasetId = page.url().split('/').pop()!;
    await page.getByRole('heading', { level: 1, name: 'Bike-share station availability' }).waitFor();
    await page.getByText('The draft is saved.').waitFor();

    const token = await app.token(PROVIDER);
    const { body } = await app.call<{ state: string; metadata: Record<string, unknown> }>(token, 'GET', `/v1/datasets/${datasetId}`);
    expect(body.state).toBe('draft');
    expect(body.metadata).toMatchObject({
      themes: ['mobility', 'infrastructure'],
      keywords: ['bike-share', 'stations', 'micromobility'],
      temporalCoverage: { start: '2025-01-01' },
      updateFrequency: 'daily',
      personalData: { contains: true },
      maxGrantDays: 180,
      consentRequired: true,
      dataDictionary: [
        { field: 'station_id', type: 'string', description: 'Station identifier' },
        { field: 'bikes', type: 'integer', description: 'Bikes available' },
        { field: 'docks', type: 'integer', description: 'Free docks' },
      ],
    });
  });

  it('uploads files straight to storage with a progress bar each, and marks samples', async () => {
    await page.getByLabel('Files for version 1').setInputFiles(join(files, 'stations-sample.csv'));
    await page.getByLabel(/These are sample files/).check();
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const first = page.locator('.upload').filter({ hasText: 'stations-sample.csv' });
    await first.locator('.upload-status', { hasText: 'Uploaded' }).waitFor();
    expect(await first.locator('progress').getAttribute('value')).toBe('100');

    await page.getByLabel(/These are sample files/).uncheck();
    await page.getByLabel('Files for version 1').setInputFiles(join(files, 'stations.csv'));
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.locator('.upload').filter({ hasText: /^stations\.csv/ }).locator('.upload-status', { hasText: 'Uploaded' }).waitFor();

    // Each file is verified on the server after its upload; the page reads it again until it is ready.
    const table = page.getByRole('region', { name: 'Files of version 1' });
    await table.getByRole('row', { name: /stations\.csv/ }).locator('.badge-ready').waitFor();
    await table.getByRole('row', { name: /stations-sample\.csv/ }).locator('.badge-ready').waitFor();
    await first.locator('.upload-status', { hasText: 'Uploaded and verified' }).waitFor();
    expect(await table.getByRole('checkbox', { name: 'Sample (stations-sample.csv)' }).isChecked()).toBe(true);
    expect(await table.getByRole('checkbox', { name: 'Sample (stations.csv)' }).isChecked()).toBe(false);

    // Mark, then unmark, the full file as a sample: PATCH /files/{fileId}.
    const token = await app.token(PROVIDER);
    const sampleOf = async (name: string) =>
      (await app.call<{ files: { name: string; sample: boolean }[] }>(token, 'GET', `/v1/datasets/${datasetId}`)).body.files.find((f) => f.name === name)?.sample;
    const patched = () => page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/files/'));
    await Promise.all([patched(), table.getByRole('checkbox', { name: 'Sample (stations.csv)' }).check()]);
    expect(await sampleOf('stations.csv')).toBe(true);
    await Promise.all([patched(), table.getByRole('checkbox', { name: 'Sample (stations.csv)' }).uncheck()]);
    expect(await sampleOf('stations.csv')).toBe(false);

    const { body } = await app.call<{ files: { name: string; size: number; status: string; sha256: string }[] }>(token, 'GET', `/v1/datasets/${datasetId}`);
    expect(body.files.find((f) => f.name === 'stations.csv')).toMatchObject({ size: Buffer.byteLength(FULL_CSV), status: 'ready', sha256: createHash('sha256').update(FULL_CSV).digest('hex') });
    expect(await auditPage(page, 'provider-dataset-files')).toEqual([]);
  });

  it('uploads a file above the multipart threshold in parts, retries a failing part, and resumes with Retry', async () => {
    const big = randomBytes(MULTIPART_THRESHOLD_BYTES + 1024 * 1024);
    await writeFile(join(files, 'stations-history.bin'), big);
    // Storage drops part 2 three times in a row: the automatic retries run out, then Retry resumes.
    let refusals = 3;
    const parts: number[] = [];
    await page.route(/partNumber=/, async (route) => {
      const request = route.request();
      const partNumber = Number(new URL(request.url()).searchParams.get('partNumber'));
      if (request.method() === 'PUT') parts.push(partNumber);
      if (request.method() === 'PUT' && partNumber === 2 && refusals > 0) {
        refusals -= 1;
        return route.abort('connectionreset');
      }
      return route.continue();
    });

    await page.getByLabel('Files for version 1').setInputFiles(join(files, 'stations-history.bin'));
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const row = page.locator('.upload').filter({ hasText: 'stations-history.bin' });
    // 68 MB through the route handler is slow on a busy machine: time is not what this test is about.
    await row.getByText(/Part 2 failed after every attempt/).waitFor({ timeout: 90_000 });
    await row.getByText(/\(4 of 5 parts are stored\)/).waitFor();
    expect(parts.filter((n) => n === 2)).toHaveLength(3);

    await row.getByRole('button', { name: 'Retry stations-history.bin' }).click();
    await row.locator('.upload-status', { hasText: 'Uploaded and verified' }).waitFor({ timeout: 60_000 });
    await page.unroute(/partNumber=/);
    // Only the failed part went again; the four stored parts were not re-sent.
    expect(parts.filter((n) => n === 2)).toHaveLength(4);
    expect(parts.filter((n) => n !== 2).sort()).toEqual([1, 3, 4, 5]);

    const token = await app.token(PROVIDER);
    const { body } = await app.call<{ files: { name: string; size: number; sha256: string }[] }>(token, 'GET', `/v1/datasets/${datasetId}`);
    expect(body.files.find((f) => f.name === 'stations-history.bin')).toMatchObject({
      size: big.byteLength,
      sha256: createHash('sha256').update(big).digest('hex'),
    });
  }, 180_000);

  it('publishes version 1, which then appears in the catalog', async () => {
    await page.getByRole('button', { name: 'Publish version 1' }).click();
    await page.getByText('Version 1 is published.').waitFor();
    await page.locator('.subtitle .badge-published').waitFor();
    await page.getByRole('heading', { name: 'Files of version 2 (not published yet)' }).waitFor();

    await page.getByRole('link', { name: 'View in the catalog' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bike-share station availability' }).waitFor();
    await page.goto(`${app.url}/catalog?q=bike-share`);
    await page.getByRole('link', { name: 'Bike-share station availability' }).waitFor();
  });

  it('edits the metadata with If-Match, and is stopped when someone else changed it first', async () => {
    await page.goto(`${app.url}/provider/datasets/${datasetId}/edit`);
    await field('title').fill('Bike-share station availability, hourly');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();

    // A colleague saves a change in the meantime (through the API, with the revision they read).
    const token = await app.token(PROVIDER);
    const current = await app.call<{ revision: number }>(token, 'GET', `/v1/datasets/${datasetId}`);
    const theirs = await app.call(token, 'PATCH', `/v1/datasets/${datasetId}`, { spatialCoverage: 'City centre and the harbour, 140 stations' }, { 'if-match': current.etag! });
    expect(theirs.status).toBe(200);

    await field('description').fill('Bikes and free docks per station, every hour, for the whole network.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Someone changed this dataset since you opened it').waitFor();
    await page.getByRole('button', { name: /Load the latest version/ }).click();
    await page.waitForFunction(() => (document.getElementById('f-spatialCoverage') as HTMLInputElement | null)?.value === 'City centre and the harbour, 140 stations');
    expect(await field('title').inputValue()).toBe('Bike-share station availability, hourly');
  });

  it('retires the dataset with a reason', async () => {
    await page.goto(`${app.url}/provider/datasets/${datasetId}`);
    await page.getByText('Retire this dataset').click();
    await page.getByRole('button', { name: 'Retire dataset' }).click();
    await page.locator('#f-reason-error').waitFor();
    await field('reason').fill('Replaced by the station feed of the new operator.');
    await page.getByRole('button', { name: 'Retire dataset' }).click();
    await page.getByText(/Retired on .*Replaced by the station feed/).waitFor();
    await page.locator('.subtitle .badge-retired').waitFor();
  });
});
