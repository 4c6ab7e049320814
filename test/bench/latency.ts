import autocannon, { type Options as AutocannonOptions } from 'autocannon';
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, LOCAL_TABLE, type LocalStack } from '../../functions/local/local-stack';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { stackPeakRss, type StackRss } from './rss';

export interface LatencyRow {
  readonly route: string;
  readonly connections: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly rps: number;
  readonly non2xx: number;
}

const DURATION_SECONDS = 4;

/** A fresh local stack as `npm start` runs it (DynamoDB Local on disk unless `dynamoInMemory`), without the web build. */
export async function withStack<T>(fn: (stack: LocalStack) => Promise<T>, options: { dynamoInMemory?: boolean } = {}): Promise<T> {
  const stack = await startLocalStack({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'accord-bench-')), buildWeb: false, ...options });
  try {
    return await fn(stack);
  } finally {
    await stack.stop();
  }
}

export async function tokenFor(stack: LocalStack, email: string): Promise<string> {
  const response = await fetch(`${stack.url}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function call(stack: LocalStack, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as any;
}

/** Exact percentiles of the recorded latencies, in ms to two decimals. */
function percentiles(latencies: number[]): Pick<LatencyRow, 'p50' | 'p95' | 'p99'> {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 100) / 100;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/**
 * One autocannon run, keeping every 2xx response's latency (autocannon's own histogram reports
 * p90 and p97.5 but no p95, and in whole milliseconds): percentiles come from these samples.
 */
function load(route: string, connections: number, options: AutocannonOptions): Promise<LatencyRow> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon({ ...options, connections }, (error, result) =>
      error ? reject(error) : resolve({ route, connections, ...percentiles(latencies), rps: result.requests.average, non2xx: result.non2xx }),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

export const draftBody = (datasetId: string, team: string) => ({
  title: 'Benchmark proposal',
  purpose: { category: 'mobility-transport' },
  problem: 'Buses are overcrowded in the evening peak.',
  methods: 'Compare boardings by stop across the evening hours.',
  datasets: [{ datasetId, justification: 'Boardings by stop measure the crowding directly.' }],
  startDate: '2027-01-01',
  endDate: '2027-02-01',
  team: [team],
  expectedOutputs: 'A schedule adjustment.',
  publicBenefit: 'Less crowded buses.',
  impactIndicators: ['Load factor'],
  confirmations: { noReidentification: true, noOnwardSharing: true, deletionAtEnd: true },
  listInPublicRegister: true,
});

/**
 * Latency and throughput of the main routes on the local stack, beside raw DynamoDB Local
 * GetItem and Query calls made the same way (same process, same concurrency), so the API's
 * figures can be read as a ratio over the store's.
 */
export async function measureLatency(connectionLevels = [1, 10, 50]): Promise<{ rows: LatencyRow[]; raw: LatencyRow[]; rss: StackRss }> {
  return withStack(async (stack) => {
    const member = await tokenFor(stack, 'analyst@andes-bank.example');
    const catalog = await call(stack, member, 'GET', '/v1/datasets?limit=20');
    const datasetId = catalog.items.find((d: any) => !d.metadata.consentRequired).id;
    // Drafts to submit: each submit request consumes one.
    const drafts: string[] = [];
    for (let i = 0; i < 600; i++) drafts.push((await call(stack, member, 'POST', '/v1/proposals', draftBody(datasetId, 'analyst@andes-bank.example'))).id);
    const headers = { authorization: `Bearer ${member}` };
    const rows: LatencyRow[] = [];
    const reads: [string, string][] = [
      ['GET /v1/datasets (catalog list)', '/v1/datasets?limit=20'],
      ['GET /v1/datasets/{id}', `/v1/datasets/${datasetId}`],
      ['GET /v1/proposals (list)', '/v1/proposals?limit=20'],
    ];
    for (const connections of connectionLevels) {
      for (const [route, path] of reads) {
        rows.push(await load(route, connections, { url: `${stack.url}${path}`, duration: DURATION_SECONDS, headers }));
      }
    }
    // Submits: a fixed number of requests, each on its own draft.
    for (const connections of connectionLevels) {
      const batch = drafts.splice(0, 150);
      let next = 0;
      rows.push(
        await load('POST /v1/proposals/{id}/submit', connections, {
          url: stack.url,
          amount: batch.length,
          requests: [{ method: 'POST', headers, setupRequest: (req: any) => ({ ...req, path: `/v1/proposals/${batch[next++ % batch.length]}/submit` }) }],
        }),
      );
    }
    // Download mints on the seeded running grant (Andes on Northwind's ridership data).
    const grant = (await call(stack, member, 'GET', '/v1/grants?state=active')).items[0];
    const file = (await call(stack, member, 'GET', `/v1/grants/${grant.id}/files`)).items[0];
    for (const connections of connectionLevels) {
      rows.push(
        await load('POST /v1/grants/{id}/downloads (mint)', connections, {
          url: `${stack.url}/v1/grants/${grant.id}/downloads`,
          amount: 150,
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ fileId: file.id }),
        }),
      );
    }

    // The store alone, through the same SDK client the API uses.
    const doc = stack.app.deps.db.doc;
    const raw: LatencyRow[] = [];
    for (const connections of connectionLevels) {
      raw.push(await rawLoad('DynamoDB Local GetItem', connections, () => doc.send(new GetItemCommand({ TableName: LOCAL_TABLE, Key: { PK: { S: keys.dataset(datasetId).PK }, SK: { S: 'DATASET' } } }))));
      raw.push(
        await rawLoad('DynamoDB Local Query (catalog page)', connections, () =>
          doc.send(new QueryCommand({ TableName: LOCAL_TABLE, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': { S: 'CATALOG' } }, Limit: 20 })),
        ),
      );
    }
    return { rows, raw, rss: stackPeakRss() };
  });
}

/** `connections` concurrent loops of one call each, for the same duration as the HTTP runs. */
async function rawLoad(route: string, connections: number, once: () => Promise<unknown>): Promise<LatencyRow> {
  const latencies: number[] = [];
  const end = Date.now() + DURATION_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const start = performance.now();
        await once();
        latencies.push(performance.now() - start);
      }
    }),
  );
  return { route, connections, ...percentiles(latencies), rps: latencies.length / DURATION_SECONDS, non2xx: 0 };
}
