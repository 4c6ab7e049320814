import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { datasetMetadata } from '../support/fixtures';
import { createTestStack, USERS, type TestStack } from '../support/stack';

/**
 * Counts DynamoDB commands per request with a middleware on the real client. Counts are
 * deterministic, so they may fail a test; time never does.
 */
let stack: TestStack;
let calls: string[] = [];
const ids: Record<string, string> = {};

beforeAll(async () => {
  stack = await createTestStack();
  stack.deps.db.doc.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(context.commandName as string);
      return next(args);
    },
    { step: 'initialize', name: 'roundTripCounter' },
  );
  const listed = await stack.call('GET', '/v1/datasets?q=ridership', { as: USERS.andes });
  ids.dataset = listed.body.items[0].id;
  ids.andesOrg = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.organization.id;
  const proposal = await stack.call('POST', '/v1/proposals', {
    as: USERS.andes,
    body: {
      title: 'Round trips',
      purpose: { category: 'mobility-transport' },
      problem: 'Buses are overcrowded in the evening peak.',
      methods: 'Compare boardings by stop across the evening hours.',
      datasets: [{ datasetId: ids.dataset, justification: 'Boardings by stop measure the crowding directly.' }],
      startDate: '2027-01-01',
      endDate: '2027-02-01',
      team: [USERS.andes],
      expectedOutputs: 'A schedule adjustment.',
      publicBenefit: 'Less crowded buses.',
      impactIndicators: ['Load factor'],
      confirmations: { noReidentification: true, noOnwardSharing: true, deletionAtEnd: true },
      listInPublicRegister: true,
    },
  });
  ids.proposal = proposal.body.id;
  await stack.call('POST', `/v1/proposals/${ids.proposal}/submit`, { as: USERS.andes });
  // Warm every caller's membership and the governance settings, as a warm container would have.
  for (const who of Object.values(USERS)) await stack.call('GET', '/v1/governance', { as: who });
});

beforeEach(() => {
  calls = [];
});

const READS: [string, string, string][] = [
  ['GET /v1/me', USERS.andes, '/v1/me'],
  ['GET /v1/organizations', USERS.admin, '/v1/organizations'],
  ['GET /v1/organizations/{orgId}', USERS.andes, '/v1/organizations/{andesOrg}'],
  ['GET /v1/governance', USERS.andes, '/v1/governance'],
  ['GET /v1/agreement', USERS.andes, '/v1/agreement'],
  ['GET /v1/agreement/signatures', USERS.admin, '/v1/agreement/signatures'],
  ['GET /v1/datasets', USERS.andes, '/v1/datasets?q=transit&theme=mobility'],
  ['GET /v1/datasets?scope=mine', USERS.northwind, '/v1/datasets?scope=mine'],
  ['GET /v1/datasets/{id}', USERS.andes, '/v1/datasets/{dataset}'],
  ['GET /v1/proposals (member)', USERS.andes, '/v1/proposals'],
  ['GET /v1/proposals (provider)', USERS.northwind, '/v1/proposals'],
  ['GET /v1/proposals?view=queue', USERS.admin, '/v1/proposals?view=queue'],
  ['GET /v1/proposals/{id} (author)', USERS.andes, '/v1/proposals/{proposal}'],
  ['GET /v1/proposals/{id}/timeline', USERS.admin, '/v1/proposals/{proposal}/timeline'],
  ['GET /v1/public/datasets', '', '/v1/public/datasets'],
  ['GET /v1/public/datasets/{id}', '', '/v1/public/datasets/{dataset}'],
];

const path = (template: string) => template.replace(/\{(\w+)\}/g, (_, name: string) => ids[name]!);

describe('DynamoDB round trips per request', () => {
  it.each(READS)('%s makes at most one', async (_, as, template) => {
    const response = await stack.call('GET', path(template), { as: as || undefined });
    expect(response.status).toBe(200);
    // Governance settings come from the container's cache, so that route makes none.
    expect(calls.length).toBeLessThanOrEqual(1);
    
  });

  it('a reviewer reading a proposal makes two: the proposal, then the current versions of its datasets in one batch', async () => {
    await stack.call('GET', `/v1/proposals/${ids.proposal}`, { as: USERS.admin });
    expect(calls).toEqual(['GetItemCommand', 'BatchGetItemCommand']);
  });

  it('sample links make two: the dataset, and the organisation\'s standing with the agreement in one batch', async () => {
    await stack.call('GET', `/v1/datasets/${ids.dataset}/samples`, { as: USERS.andes });
    expect(calls.sort()).toEqual(['BatchGetItemCommand', 'GetItemCommand']);
  });

  it('an approval makes one transaction and three reads: the proposal, its datasets\' published versions, the audit head', async () => {
    const response = await stack.call('POST', `/v1/proposals/${ids.proposal}/reviews`, { as: USERS.admin, body: { decision: 'approve' } });
    expect(response.body.state).toBe('approved');
    expect(calls).toEqual(['GetItemCommand', 'BatchGetItemCommand', 'GetItemCommand', 'TransactWriteItemsCommand']);
  });

  it('creating a dataset makes a standing check and one write', async () => {
    await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: datasetMetadata() });
    expect(calls).toEqual(['BatchGetItemCommand', 'PutItemCommand']);
  });


});

describe('Scan', () => {
  it('is used nowhere in the functions', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const files = readdirSync('functions', { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile() && f.name.endsWith('.ts'))
      .map((f) => `${f.parentPath}/${f.name}`);
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((f) => /\bScan(Command|Input)\b/.test(readFileSync(f, 'utf8')))).toEqual([]);
  });
});
