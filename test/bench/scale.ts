import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { LOCAL_TABLE, type LocalStack } from '../../functions/local/local-stack';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { DEMO_DATASETS } from '../../functions/local/demo/datasets';
import { tokenFor } from './latency';

export interface ScaleRow {
  readonly list: string;
  readonly items: number;
  readonly p50: number;
  readonly samples: number;
}

const SEED_CHUNK = 10_000;

/** Writes items 25 at a time with a few batches in flight, retrying what DynamoDB leaves unprocessed. */
async function bulkWrite(stack: LocalStack, items: Record<string, unknown>[]): Promise<void> {
  const doc = stack.app.deps.db.doc;
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        let requests = batches[next++]!.map((item) => ({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) } }));
        while (requests.length) {
          const result = await doc.send(new BatchWriteItemCommand({ RequestItems: { [LOCAL_TABLE]: requests } }));
          requests = (result.UnprocessedItems?.[LOCAL_TABLE] ?? []) as typeof requests;
        }
      }
    }),
  );
}

/** Synthetic proposals of one organisation, all awaiting review (so they fill both the member's list and the queue). */
function proposals(orgId: string, count: number, offset: number): Record<string, unknown>[] {
  const base = Date.parse('2026-01-01T00:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const id = randomUUID();
    const at = new Date(base + (offset + i) * 1000).toISOString();
    return {
      ...keys.proposal(id),
      type: 'proposal',
      id, orgId, orgName: 'Andes Development Bank', state: 'submitted', revision: 2,
      fields: { title: `Synthetic proposal ${offset + i}` }, createdBy: 'bench', createdAt: at, updatedAt: at, submittedAt: at, firstSubmittedAt: at,
      decidedAt: null, agreementVersion: 1, snapshots: [], consents: [], adminApprovals: [], conditions: [],
      GSI1PK: keys.proposalsOfOrg(orgId), GSI1SK: `${at}#${id}`,
      GSI2PK: keys.submittedProposals, GSI2SK: `${at}#${id}`,
      GSI3PK: keys.reviewQueue, GSI3SK: `${at}#${id}`,
    };
  });
}

/** Synthetic audit events of one organisation, numbered after the seeded chain (the bench never verifies it). */
function auditEvents(orgId: string, count: number, offset: number): Record<string, unknown>[] {
  const base = Date.parse('2026-06-01T00:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const seq = 1_000_000 + offset + i;
    const at = new Date(base + (offset + i) * 1000).toISOString();
    const entity = { type: 'proposal', id: randomUUID() };
    const sk = keys.auditIndexSk(at, seq);
    return {
      ...keys.auditEvent(seq), type: 'audit-event', seq, at,
      actor: { userId: 'bench', email: 'bench@andes-bank.example', orgId, orgName: 'Andes Development Bank' },
      action: 'proposal.updated', entity, orgId, providerOrgIds: [], details: {}, prevHash: '0'.repeat(64), hash: '0'.repeat(64),
      GSI1PK: keys.auditOfOrg(orgId), GSI1SK: sk, GSI2PK: keys.auditOfEntity(entity.type, entity.id), GSI2SK: sk,
    };
  });
}

function datasets(count: number, offset: number): Record<string, unknown>[] {
  const template = DEMO_DATASETS[1]!;
  const at = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => {
    const id = randomUUID();
    const title = `Synthetic dataset ${String(offset + i).padStart(6, '0')}`;
    return {
      ...keys.dataset(id), type: 'dataset', id, providerOrgId: 'synthetic', providerName: 'Synthetic Provider', state: 'published', revision: 2,
      metadataVersion: 1, metadata: { ...template.metadata, title }, publishedVersion: 1, draftVersion: 2, createdAt: at, updatedAt: at,
      publishedAt: at, retiredAt: null, retiredReason: null, files: {}, themes: template.metadata.themes, searchText: title.toLowerCase(),
      ...keys.catalogIndex(title, id),
    };
  });
}

/** Requests that warm a list's path (both JITs, the connection pool) before it is timed. */
export const WARM_UP_REQUESTS = 20;

async function firstPageP50(stack: LocalStack, token: string, path: string, samples = 40): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples + WARM_UP_REQUESTS; i++) {
    const start = performance.now();
    const response = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    if (i >= WARM_UP_REQUESTS) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * The first page of each growing list at 1k and at 100k items, seeded in bulk straight into
 * DynamoDB Local: a list served by a key-ordered Query should not slow down as it grows.
 */
export async function measureScale(stack: LocalStack, sizes = [1_000, 100_000], log: (line: string) => void = () => undefined): Promise<ScaleRow[]> {
  const member = await tokenFor(stack, 'analyst@andes-bank.example');
  const admin = await tokenFor(stack, 'admin@secretariat.example');
  const orgId = ((await (await fetch(`${stack.url}/v1/me`, { headers: { authorization: `Bearer ${member}` } })).json()) as any).organization.id;
  const rows: ScaleRow[] = [];
  let seeded = 0;
  for (const size of sizes) {
    const started = Date.now();
    // In chunks, so the bench process (which also serves the API) never holds more than a chunk of items.
    for (let start = seeded; start < size; start += SEED_CHUNK) {
      const count = Math.min(SEED_CHUNK, size - start);
      await bulkWrite(stack, [...proposals(orgId, count, start), ...datasets(count, start), ...auditEvents(orgId, count, start)]);
    }
    log(`  seeded ${size} proposals, ${size} datasets and ${size} audit events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    seeded = size;
    const lists: [string, string, string][] = [
      ['proposal list (member)', member, '/v1/proposals?limit=20'],
      ['review queue (admin)', admin, '/v1/proposals?view=queue&limit=20'],
      ['catalog', member, '/v1/datasets?limit=20'],
      ['audit trail (admin, all)', admin, '/v1/audit?limit=20'],
      ['audit trail (member organisation)', member, '/v1/audit?limit=20'],
    ];
    for (const [list, token, path] of lists) rows.push({ list, items: size, p50: await firstPageP50(stack, token, path), samples: 40 });
  }
  return rows;
}
