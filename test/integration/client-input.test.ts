import { request as httpRequest } from 'node:http';
import { handle } from 'hono/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/http/app';
import { createLocalApp } from '../../functions/local/local-app';
import { mountWebApp } from '../../functions/local/web-app';
import { serve } from '../../functions/local/serve';
import { LIMITS } from '../../shared/schemas/limits';
import { datasetMetadata } from '../support/fixtures';
import { catalogIds, proposalFields, submitProposal, TITLES } from '../support/proposal-flow';
import { createTestStack, USERS, type TestStack } from '../support/stack';

/**
 * Issue 12, flaw 4: client input that reached DynamoDB (or decodeURIComponent) in a shape it
 * refuses, answered 500. Each input as the attack sent it, on every route of its kind: a 400 (or
 * 404, 413) naming what is wrong, never a 500.
 */
let stack: TestStack;
const ids: Record<string, string> = {};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const unb64 = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;

beforeAll(async () => {
  stack = await createTestStack();
  ids.helios = (await stack.call('GET', '/v1/me', { as: USERS.helios })).body.organization.id;
  const published = await stack.call('GET', '/v1/datasets?q=ridership', { as: USERS.andes });
  ids.dataset = published.body.items[0].id;
  // Two proposals submitted for Helios' data, so the provider's and the admins' lists span two pages.
  const titles = await catalogIds(stack);
  const nextYear = new Date().getUTCFullYear() + 1;
  for (const title of ['Cursor test one', 'Cursor test two']) {
    const fields = proposalFields([titles[TITLES.population]!], { startDate: `${nextYear}-01-01`, endDate: `${nextYear}-03-01` }, { title });
    ids.proposal = (await submitProposal(stack, fields)).id;
  }
});

/** Every list route, as one caller with the right to read it; `limit=1` so that the first page has a cursor. */
const LISTS: { name: string; path: string; as?: string; cursorFrom?: string }[] = [
  { name: 'public catalog', path: '/v1/public/datasets' },
  { name: 'public register', path: '/v1/public/projects' },
  // Pages of 100: its cursors are the public catalog's.
  { name: 'DCAT catalog', path: '/v1/public/catalog.jsonld', cursorFrom: '/v1/public/datasets' },
  { name: 'catalog', path: '/v1/datasets', as: USERS.andes },
  { name: 'own datasets', path: '/v1/datasets?scope=mine', as: USERS.northwind },
  { name: 'a provider\'s datasets', path: '/v1/datasets?provider={helios}', as: USERS.andes },
  { name: 'own proposals', path: '/v1/proposals', as: USERS.andes },
  { name: 'proposals to review (provider)', path: '/v1/proposals?view=review', as: USERS.helios },
  { name: 'proposals to review (admin)', path: '/v1/proposals?view=review', as: USERS.admin },
  { name: 'review queue', path: '/v1/proposals?view=queue', as: USERS.admin },
  { name: 'grants held', path: '/v1/grants', as: USERS.andes },
  { name: 'grants provided', path: '/v1/grants?view=provided', as: USERS.northwind },
  { name: 'every grant', path: '/v1/grants?view=all', as: USERS.admin },
  { name: 'audit (all)', path: '/v1/audit', as: USERS.admin },
  { name: 'audit (organisation)', path: '/v1/audit', as: USERS.andes },
  { name: 'audit (provided)', path: '/v1/audit?view=provided', as: USERS.northwind },
  { name: 'audit (entity)', path: '/v1/audit?entityType=dataset&entityId={dataset}', as: USERS.admin },
  { name: 'audit (period)', path: '/v1/audit?from=2020-01-01T00:00:00Z&to=2999-01-01T00:00:00Z', as: USERS.andes },
  { name: 'notifications', path: '/v1/notifications', as: USERS.andes },
  { name: 'organisations', path: '/v1/organizations', as: USERS.admin },
  { name: 'signatures', path: '/v1/agreement/signatures', as: USERS.admin },
];

const pathOf = (list: (typeof LISTS)[number]) => list.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name]!);
const withCursor = (path: string, cursor: string) => `${path}${path.includes('?') ? '&' : '?'}${path.endsWith('.jsonld') ? '' : 'limit=1&'}cursor=${cursor}`;

/** The first page's cursor. */
async function firstCursor(list: (typeof LISTS)[number]): Promise<string> {
  const path = list.cursorFrom ?? pathOf(list);
  const first = await stack.call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=1`, { as: list.as });
  expect(first.status, JSON.stringify(first.body)).toBe(200);
  const next = first.body.nextCursor as string | null;
  expect(next, `${list.name} has a second page`).toEqual(expect.any(String));
  return next!;
}

/** The walk cursor of `view=all` grants is `{ p, k }`; every other cursor is a start key. */
function startKeyOf(cursor: string): { key: Record<string, unknown>; wrap: (key: unknown) => unknown } {
  const decoded = unb64(cursor);
  if ('p' in decoded && 'k' in decoded) {
    // The first page of a state ends where its partition does: its cursor may be { p: 1, k: null }.
    const key = (decoded.k as Record<string, unknown> | null) ?? { PK: 'GRANT#x', SK: 'GRANT', GSI3PK: 'GRANTS#active', GSI3SK: '2026-01-01#x' };
    return { key, wrap: (k) => ({ p: decoded.p, k }) };
  }
  return { key: decoded, wrap: (k) => k };
}

function malformedCursors(cursor: string): [string, string][] {
  const { key, wrap } = startKeyOf(cursor);
  const names = Object.keys(key);
  const partitionName = names.find((n) => /^GSI\dPK$/.test(n)) ?? 'PK';
  const sortName = partitionName === 'PK' ? 'SK' : partitionName.replace('PK', 'SK');
  const without = (name: string) => Object.fromEntries(Object.entries(key).filter(([n]) => n !== name));
  return [
    ['JSON null', b64(null)],
    ['an array', b64([key])],
    ['a string', b64('PK')],
    ['only the partition (the reproduced public-catalog cursor)', b64(wrap({ [partitionName]: key[partitionName] }))],
    ['no table partition key', b64(wrap(without('PK')))],
    ['no sort key', b64(wrap(without(sortName)))],
    ['an extra attribute', b64(wrap({ ...key, extra: 'x' }))],
    ['an extra attribute named like a key', b64(wrap({ ...key, GSI9PK: 'x' }))],
    ['another partition', b64(wrap({ ...key, [partitionName]: `${String(key[partitionName])}X` }))],
    ['another tenant\'s partition', b64(wrap({ ...key, [partitionName]: 'ORG#00000000-0000-4000-8000-000000000000#GRANTS' }))],
    ['a number for the sort key', b64(wrap({ ...key, [sortName]: 5 }))],
    ['an object for the table key', b64(wrap({ ...key, PK: { S: 'DATASET#x' } }))],
    ['a DynamoDB-typed key', b64(wrap(Object.fromEntries(Object.entries(key).map(([n, v]) => [n, { S: v }]))))],
    ['an empty sort key', b64(wrap({ ...key, [sortName]: '' }))],
    ['a sort key over 1 KB', b64(wrap({ ...key, [sortName]: 'x'.repeat(1100) }))],
    ['bad base64', '!!!not-base64!!!'],
    ['base64 of text, not JSON', Buffer.from('not json at all').toString('base64url')],
    ['standard base64 with padding', `${Buffer.from(JSON.stringify(key)).toString('base64')}==`],
  ];
}

describe('a list\'s cursor', () => {
  it.each(LISTS)('$name: its own cursor reads the next page', async (list) => {
    const cursor = await firstCursor(list);
    const second = await stack.call('GET', withCursor(pathOf(list), cursor), { as: list.as });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
  });

  it.each(LISTS)('$name: every malformed cursor is a 400 naming cursor', async (list) => {
    const cursor = await firstCursor(list);
    const answers: string[] = [];
    for (const [what, bad] of malformedCursors(cursor)) {
      const response = await stack.call('GET', withCursor(pathOf(list), encodeURIComponent(bad)), { as: list.as });
      if (response.status !== 400 || response.body?.error?.details?.field !== 'cursor') answers.push(`${what}: ${response.status} ${JSON.stringify(response.body).slice(0, 120)}`);
    }
    expect(answers).toEqual([]);
  });

  it('as reproduced: the public catalog with {"GSI1PK":"CATALOG"}, no token', async () => {
    const response = await stack.call('GET', `/v1/public/datasets?cursor=${b64({ GSI1PK: 'CATALOG' })}`);
    expect(response.status).toBe(400);
    expect(response.body.error.details.field).toBe('cursor');
  });

  it('as reproduced: every grant (the walk cursor) with JSON null, an extra field or a partition out of range', async () => {
    for (const bad of [b64(null), b64({ p: 0, k: null, x: 1 }), b64({ p: 0 }), b64({ p: '0', k: null }), b64({ p: 99, k: null }), b64({ p: 0, k: { GSI3PK: 'GRANTS#active' } })]) {
      const response = await stack.call('GET', `/v1/grants?view=all&cursor=${bad}`, { as: USERS.admin });
      expect(response.status, bad).toBe(400);
      expect(response.body.error.details.field).toBe('cursor');
    }
  });

  it('a cursor whose sort key lies outside the period asked for is a 400, not the store\'s refusal', async () => {
    const first = await stack.call('GET', '/v1/audit?limit=1&from=2020-01-01T00:00:00Z', { as: USERS.andes });
    const key = unb64(first.body.nextCursor);
    const outside = b64({ ...key, GSI1SK: '1999-01-01T00:00:00.000Z#000000000001' });
    const response = await stack.call('GET', `/v1/audit?limit=1&from=2020-01-01T00:00:00Z&cursor=${outside}`, { as: USERS.andes });
    expect(response.status).toBe(400);
    expect(response.body.error.details.field).toBe('cursor');
  });

  it('a cursor of one organisation\'s audit view cannot start another\'s', async () => {
    const mine = await stack.call('GET', '/v1/audit?limit=1', { as: USERS.northwind, headers: {} });
    const response = await stack.call('GET', `/v1/audit?limit=1&cursor=${mine.body.nextCursor}`, { as: USERS.andes });
    expect(response.status).toBe(400);
    expect(response.body.error.details.field).toBe('cursor');
  });
});

describe('times in a query string', () => {
  it('as reproduced: an audit period with an offset is read as the same instant in UTC, in every view', async () => {
    const all = await stack.call('GET', '/v1/audit?limit=100', { as: USERS.admin });
    // The fifth newest event's second, written five hours west of UTC, and in UTC.
    const at = new Date(Math.floor(Date.parse(all.body.items[4].at) / 1000) * 1000);
    const utc = at.toISOString().replace('.000Z', 'Z');
    const west = new Date(at.getTime() - 5 * 3_600_000).toISOString().replace('.000Z', '-05:00');
    for (const [as, view] of [[USERS.admin, ''], [USERS.andes, ''], [USERS.northwind, '&view=provided'], [USERS.admin, `&entityType=dataset&entityId=${ids.dataset}`]] as const) {
      const inUtc = await stack.call('GET', `/v1/audit?limit=100&from=${encodeURIComponent(utc)}${view}`, { as });
      const inWest = await stack.call('GET', `/v1/audit?limit=100&from=${encodeURIComponent(west)}${view}`, { as });
      expect(inWest.status).toBe(200);
      expect(inWest.body.items.map((e: { seq: number }) => e.seq)).toEqual(inUtc.body.items.map((e: { seq: number }) => e.seq));
      expect(inWest.body.items.every((e: { at: string }) => e.at >= at.toISOString())).toBe(true);
    }
    const reproduced = await stack.call('GET', `/v1/audit?from=2026-01-01T05:00:00-05:00`, { as: USERS.andes });
    expect(reproduced.status).toBe(200);
  });

  it('a period that is empty once both ends are in UTC is a 400 naming to, for every audit view', async () => {
    // 05:00 at -05:00 is 10:00 UTC: after 09:00 UTC, though it reads as earlier.
    const query = `from=${encodeURIComponent('2026-01-01T05:00:00-05:00')}&to=2026-01-01T09:00:00Z`;
    for (const path of [`/v1/audit?${query}`, `/v1/audit?${query}&entityType=dataset&entityId=${ids.dataset}`]) {
      for (const as of [USERS.admin, USERS.andes, USERS.northwind]) {
        const response = await stack.call('GET', path, { as });
        expect(response.status, `${as} ${path}`).toBe(400);
        expect(response.body.error.details.field).toBe('to');
      }
    }
  });

  it('a time outside the years 0000-9999 in UTC, or not a time, is a 400 naming the field', async () => {
    for (const [field, value] of [['from', '9999-12-31T23:59:59-05:00'], ['to', '0000-01-01T00:00:00+01:00'], ['from', '2026-02-30T00:00:00Z'], ['to', 'yesterday']]) {
      const response = await stack.call('GET', `/v1/audit?${field}=${encodeURIComponent(value!)}`, { as: USERS.admin });
      expect(response.status, value).toBe(400);
      expect(response.body.error.details.field).toBe(field);
    }
  });
});

describe('a path with a malformed percent-escape', () => {
  const PATHS = ['/%E0%A4%A', '/%', '/v1/datasets/%E0%A4%A', '/v1/public/datasets/%ZZ', '/v1/proposals/%E0%A4%A/timeline', '/v1/grants/%/files', '/docs%', '/v1/%C0%AF'];

  it('is a 400 or 404 through the app', async () => {
    for (const path of PATHS) {
      const response = await stack.call('GET', path, { as: USERS.andes });
      expect([400, 404], path).toContain(response.status);
    }
  });

  it('is a 400 or 404 through Hono\'s Lambda adapter', async () => {
    const handler = handle(stack.app);
    const authorization = `Bearer ${await stack.token(USERS.andes)}`;
    for (const path of PATHS) {
      const event = {
        version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: 'cursor=%E0%A4%A', headers: { host: 'api.example.com', authorization }, isBase64Encoded: false,
        requestContext: { accountId: '1', apiId: 'api', domainName: 'api.example.com', domainPrefix: 'api', requestId: 'r', routeKey: '$default', stage: '$default', time: '', timeEpoch: 0, http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' } },
      };
      const result = (await handler(event as never, {} as never)) as { statusCode: number };
      expect([400, 404], path).toContain(result.statusCode);
    }
  });

  it('is a 400 or 404 on the local server, with the web app mounted (which decodes the path itself)', async () => {
    // A second app on the same table, as `npm start` composes it: the API, then the web app's catch-all route.
    const { app } = createLocalApp({ config: stack.config, issuer: stack.issuer });
    await mountWebApp(app, { build: false });
    const server = await serve(app, 0);
    const authorization = `Bearer ${await stack.token(USERS.andes)}`;
    try {
      for (const path of [...PATHS, '/catalog/%E0%A4%A', '/%E0%A4%A.js']) {
        const status = await new Promise<number>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method: 'GET', headers: { authorization } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.once('error', reject);
          req.end();
        });
        expect([400, 404], path).toContain(status);
      }
    } finally {
      await server.stop();
    }
  });
});

describe('sizes', () => {
  /** The reproduced metadata: 500 dictionary entries of 1,000 characters each, within every field's own limit. */
  const hugeDictionary = Array.from({ length: 500 }, (_, i) => ({ field: `field_${i}`, type: 'string', description: 'd'.repeat(1000) }));

  it('as reproduced: oversized metadata on POST is a 400 before anything is stored', async () => {
    const response = await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: datasetMetadata({ dataDictionary: hugeDictionary.slice(0, 200) }) });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain(`${LIMITS.metadataBytes} bytes`);
  });

  it('as reproduced: the whole 500-entry body is over the body limit: 413 payload_too_large', async () => {
    const response = await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: datasetMetadata({ dataDictionary: hugeDictionary }) });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
  });

  it('as reproduced: oversized metadata on PATCH is a 400, and so is a small edit whose result would be over the limit', async () => {
    const created = await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: datasetMetadata() });
    expect(created.status).toBe(201);
    const patch = await stack.call('PATCH', `/v1/datasets/${created.body.id}`, { as: USERS.northwind, headers: { 'if-match': '"1"' }, body: { dataDictionary: hugeDictionary.slice(0, 200) } });
    expect(patch.status).toBe(400);
    // Each half fits; together they would not.
    const half = 'h'.repeat(Math.floor(LIMITS.metadataBytes / 2 / 5) - 100);
    const first = await stack.call('PATCH', `/v1/datasets/${created.body.id}`, {
      as: USERS.northwind, headers: { 'if-match': '"1"' },
      body: { description: `${half}`.slice(0, 5000), provenance: half.slice(0, 5000), qualityStatement: half.slice(0, 5000), dataDictionary: Array.from({ length: 30 }, (_, i) => ({ field: `f${i}`, type: 't', description: 'x'.repeat(1000) })) },
    });
    expect(first.status, JSON.stringify(first.body).slice(0, 200)).toBe(200);
    const second = await stack.call('PATCH', `/v1/datasets/${created.body.id}`, {
      as: USERS.northwind, headers: { 'if-match': `"${first.body.revision}"` },
      body: { dataDictionary: Array.from({ length: 60 }, (_, i) => ({ field: `f${i}`, type: 't', description: 'x'.repeat(1000) })) },
    });
    expect(second.status).toBe(400);
    expect(second.body.error.details.field).toBe('metadata');
    expect((await stack.call('GET', `/v1/datasets/${created.body.id}`, { as: USERS.northwind })).body.revision).toBe(first.body.revision);
  });

  it('metadata just under the limit, in three-byte characters, is stored and read back', async () => {
    // '€' is one UTF-16 unit and three UTF-8 bytes: the limit is on bytes.
    const entries = Array.from({ length: 60 }, (_, i) => ({ field: `f${i}`, type: 'string', description: '€'.repeat(340) }));
    const created = await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: datasetMetadata({ dataDictionary: entries }) });
    expect(created.status, JSON.stringify(created.body).slice(0, 300)).toBe(201);
    const read = await stack.call('GET', `/v1/datasets/${created.body.id}`, { as: USERS.northwind });
    expect(read.body.metadata.dataDictionary).toHaveLength(60);
    const over = await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: datasetMetadata({ dataDictionary: [...entries, ...entries.slice(0, 10)] }) });
    expect(over.status).toBe(400);
  });

  it('a proposal draft, an edit\'s result, a review and closure documents have their limits', async () => {
    const big = 'p'.repeat(4_900);
    const draft = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: { title: 'Big proposal', problem: big, methods: big, expectedOutputs: big, publicBenefit: big } });
    expect(draft.status).toBe(201);
    const edit = await stack.call('PATCH', `/v1/proposals/${draft.body.id}`, {
      as: USERS.andes, headers: { 'if-match': `"${draft.body.revision}"` },
      body: { impactIndicators: Array.from({ length: 20 }, () => '€'.repeat(300)), datasets: Array.from({ length: 20 }, () => ({ datasetId: ids.dataset, justification: '€'.repeat(1000) })) },
    });
    expect(edit.status).toBe(400);
    expect(['fields', 'json']).toContain(edit.body.error.details.field);
    const review = await stack.call('POST', `/v1/proposals/${ids.proposal}/reviews`, { as: USERS.admin, body: { decision: 'approve', conditions: Array.from({ length: 20 }, () => '€'.repeat(1000)) } });
    expect(review.status).toBe(400);
    const grants = await stack.call('GET', '/v1/grants?limit=1', { as: USERS.andes });
    const closure = await stack.call('POST', `/v1/grants/${grants.body.items[0].id}/closure`, {
      as: USERS.andes,
      body: { outcomeReport: { outputs: Array.from({ length: 12 }, () => ({ title: 'An output', description: '€'.repeat(2000) })), indicators: [{ indicator: 'Reach', result: 'Wide' }], publicSummary: 'A summary of what the data did for the public.' } },
    });
    expect(closure.status).toBe(400);
  });

  it('any body over the limit is a 413 on every route, before authentication', async () => {
    const body = JSON.stringify({ text: 'x'.repeat(LIMITS.bodyBytes) });
    for (const [method, path] of [['POST', '/v1/datasets'], ['PUT', '/v1/governance'], ['POST', '/v1/agreement/versions'], ['POST', '/local/token'], ['PATCH', `/v1/proposals/${ids.proposal}`]] as const) {
      const response = await stack.call(method, path, { rawBody: body, headers: { 'content-type': 'application/json' } });
      expect(response.status, path).toBe(413);
      expect(response.body.error.code).toBe('payload_too_large');
    }
  });

  it('a body over the limit is a 413 through Hono\'s Lambda adapter too, with or without a Content-Length', async () => {
    const handler = handle(stack.app);
    const body = JSON.stringify({ text: 'x'.repeat(LIMITS.bodyBytes) });
    for (const headers of [{ 'content-type': 'application/json' }, { 'content-type': 'application/json', 'content-length': String(body.length) }]) {
      const event = {
        version: '2.0', routeKey: '$default', rawPath: '/v1/datasets', rawQueryString: '', headers: { host: 'api.example.com', ...headers }, body, isBase64Encoded: false,
        requestContext: { accountId: '1', apiId: 'api', domainName: 'api.example.com', domainPrefix: 'api', requestId: 'r', routeKey: '$default', stage: '$default', time: '', timeEpoch: 0, http: { method: 'POST', path: '/v1/datasets', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' } },
      };
      const result = (await handler(event as never, {} as never)) as { statusCode: number; body: string };
      expect(result.statusCode).toBe(413);
      expect(JSON.parse(result.body).error.code).toBe('payload_too_large');
    }
  });

  it('DynamoDB\'s own refusal of an item too large is a 413, not a 500', async () => {
    const app = createApiApp();
    app.get('/too-large', () => {
      throw Object.assign(new Error('Item size has exceeded the maximum allowed size'), { name: 'ValidationException' });
    });
    app.get('/transaction-too-large', () => {
      throw Object.assign(new Error('Transaction payload size cannot exceed 4MB. Payload Size: 4200144'), { name: 'ValidationException' });
    });
    for (const path of ['/too-large', '/transaction-too-large']) {
      const response = await app.request(path);
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    }
  });
});
