import { beforeAll, describe, expect, it } from 'vitest';
import { datasetMetadata } from '../support/fixtures';
import { createTestStack, USERS, type TestStack } from '../support/stack';

/**
 * Every route, called by every role and by foreign tenants. Northwind owns the datasets under
 * test; Helios is a foreign provider; Andes a member that signed; Civic one that did not;
 * `staff` a plain member (no org-admin) of Northwind.
 */
const STAFF = 'staff@northwind.example';
const CALLERS = { admin: USERS.admin, northwind: USERS.northwind, staff: STAFF, helios: USERS.helios, andes: USERS.andes, civic: USERS.civic } as const;
type Who = keyof typeof CALLERS | 'anonymous';

let stack: TestStack;
const ids: Record<string, string> = {};

beforeAll(async () => {
  stack = await createTestStack();
  const northwind = await stack.call('GET', '/v1/me', { as: USERS.northwind });
  ids.northwindOrg = northwind.body.organization.id;
  ids.andesOrg = (await stack.call('GET', '/v1/me', { as: USERS.andes })).body.organization.id;
  await stack.call('POST', `/v1/organizations/${ids.northwindOrg}/members`, { as: USERS.northwind, body: { email: STAFF, name: 'Staff', roles: ['member'] } });
  // Members of Northwind to remove (one for the consortium admin, one for Northwind's org-admin) and one whose roles change.
  for (const name of ['leaverForAdmin', 'leaverForNorthwind', 'roleChanged']) {
    ids[name] = (await stack.call('POST', `/v1/organizations/${ids.northwindOrg}/members`, { as: USERS.northwind, body: { email: `${name.toLowerCase()}@northwind.example`, name, roles: ['member'] } })).body.id;
  }
  ids.suspendable = (await stack.call('POST', '/v1/organizations', { as: USERS.admin, body: { name: 'Matrix suspendable', kinds: ['member'], firstAdmin: { email: 'head@suspendable.example', name: 'Head' } } })).body.id;
  ids.offboardable = (await stack.call('POST', '/v1/organizations', { as: USERS.admin, body: { name: 'Matrix offboardable', kinds: ['member'], firstAdmin: { email: 'head@offboardable.example', name: 'Head' } } })).body.id;
  const draft = await stack.call('POST', '/v1/datasets', { as: USERS.northwind, body: datasetMetadata({ title: 'Matrix draft' }) });
  ids.draft = draft.body.id;
  const upload = await stack.call('POST', `/v1/datasets/${ids.draft}/uploads`, { as: USERS.northwind, body: { fileName: 'm.csv', size: 4 } });
  ids.file = upload.body.fileId;
  const removable = await stack.call('POST', `/v1/datasets/${ids.draft}/uploads`, { as: USERS.northwind, body: { fileName: 'removable.csv', size: 4 } });
  ids.removableFile = removable.body.fileId;
  const catalog = await stack.call('GET', '/v1/datasets?q=ridership', { as: USERS.andes });
  ids.published = catalog.body.items[0].id;
  ids.publishedFile = catalog.body.items[0].files[0].id;
  const population = await stack.call('GET', '/v1/datasets?q=population', { as: USERS.andes });
  ids.population = population.body.items[0].id;
  // Andes drafts one proposal and submits another, asking for Northwind's ridership and Helios' population data.
  const proposalDraft = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: { title: 'Matrix draft proposal' } });
  ids.draftProposal = proposalDraft.body.id;
  const submitted = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: proposalFields() });
  ids.proposal = submitted.body.id;
  const submit = await stack.call('POST', `/v1/proposals/${ids.proposal}/submit`, { as: USERS.andes });
  if (submit.status !== 200) throw new Error(JSON.stringify(submit.body));
  // Three grants to Andes on Northwind's ridership data: one to read and download, one to revoke, one to renew.
  for (const name of ['grant', 'revokable', 'renewable']) {
    const proposal = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: { ...proposalFields(), datasets: [{ datasetId: ids.published, justification: 'Needed to compare demand with the people present.' }], ...runningPeriod() } });
    await stack.call('POST', `/v1/proposals/${proposal.body.id}/submit`, { as: USERS.andes });
    const approved = await stack.call('POST', `/v1/proposals/${proposal.body.id}/reviews`, { as: USERS.admin, body: { decision: 'approve' } });
    if (approved.body.state !== 'approved') throw new Error(JSON.stringify(approved.body));
    const grants = await stack.call('GET', '/v1/grants?limit=100', { as: USERS.andes });
    ids[name] = grants.body.items.find((g: any) => g.proposalId === proposal.body.id).id;
  }
  ids.grantFile = (await stack.call('GET', `/v1/grants/${ids.grant}/files`, { as: USERS.andes })).body.items[0].id;
  const renewal = await stack.call('POST', `/v1/grants/${ids.renewable}/renewals`, { as: USERS.andes, body: { endDate: runningPeriod(90).endDate, reason: 'The analysis needs another month of data.' } });
  ids.renewal = renewal.body.renewals[0].id;
  // A notification only Andes received (the provider hears of the approval, not of Andes' grant).
  const inbox = await stack.call('GET', '/v1/notifications?limit=100', { as: USERS.andes });
  ids.notification = inbox.body.items.find((n: any) => n.kind === 'grant_issued').id;
});

/** A period around today: started ten days ago, ending in `days` days. */
const runningPeriod = (days = 60) => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return { startDate: day(-10), endDate: day(days) };
};

const proposalFields = () => ({
  title: 'Matrix proposal',
  purpose: { category: 'mobility-transport' },
  problem: 'Buses are overcrowded in districts with dense evening population.',
  methods: 'Compare boardings by stop with present population by time slot.',
  datasets: [ids.published, ids.population].map((datasetId) => ({ datasetId, justification: 'Needed to compare demand with the people present.' })),
  startDate: '2027-01-01',
  endDate: '2027-03-01',
  team: [USERS.andes],
  expectedOutputs: 'A schedule adjustment proposal.',
  publicBenefit: 'Less crowded buses in the evening.',
  impactIndicators: ['Average load factor'],
  confirmations: { noReidentification: true, noOnwardSharing: true, deletionAtEnd: true },
  listInPublicRegister: false,
});

interface Case {
  readonly route: string;
  readonly method: string;
  readonly path: (who: Who) => string;
  readonly body?: (who: Who) => unknown;
  readonly headers?: (who: Who) => Promise<Record<string, string>>;
  readonly expect: Partial<Record<Who, number>> & { others: number };
}

const currentRevision = async (who: Who) => {
  const seen = await stack.call('GET', `/v1/datasets/${ids.draft}`, { as: USERS.northwind });
  return { 'if-match': `"${seen.body.revision}"`, who };
};

const CASES: Case[] = [
  { route: 'GET /v1/me', method: 'GET', path: () => '/v1/me', expect: { others: 200 } },
  // Each user's own preferences: there is no path to another user's (test/integration/email.test.ts).
  { route: 'GET /v1/me/email-preferences', method: 'GET', path: () => '/v1/me/email-preferences', expect: { others: 200 } },
  {
    route: 'PUT /v1/me/email-preferences', method: 'PUT', path: () => '/v1/me/email-preferences',
    body: () => ({ reviews: 'daily', grants: 'immediately', obligations: 'immediately', news: 'off' }),
    expect: { others: 200 },
  },
  { route: 'GET /v1/organizations', method: 'GET', path: () => '/v1/organizations', expect: { others: 200 } },
  {
    route: 'POST /v1/organizations', method: 'POST', path: () => '/v1/organizations',
    body: (who) => ({ name: `Matrix org by ${who}`, kinds: ['member'], firstAdmin: { email: `head@${who}.matrix.example`, name: 'Head' } }),
    expect: { admin: 201, others: 403 },
  },
  { route: 'GET /v1/organizations/{orgId}', method: 'GET', path: () => `/v1/organizations/${ids.andesOrg}`, expect: { admin: 200, andes: 200, others: 404 } },
  {
    route: 'POST /v1/organizations/{orgId}/members', method: 'POST', path: () => `/v1/organizations/${ids.northwindOrg}/members`,
    body: (who) => ({ email: `new-${who}@northwind.example`, name: 'New', roles: ['member'] }),
    expect: { northwind: 201, staff: 403, others: 404 },
  },
  {
    route: 'DELETE /v1/organizations/{orgId}/members/{userId}', method: 'DELETE',
    path: (who) => `/v1/organizations/${ids.northwindOrg}/members/${who === 'northwind' ? ids.leaverForNorthwind : ids.leaverForAdmin}`,
    expect: { admin: 200, northwind: 200, staff: 403, others: 404 },
  },
  {
    route: 'PATCH /v1/organizations/{orgId}/members/{userId}', method: 'PATCH', path: () => `/v1/organizations/${ids.northwindOrg}/members/${ids.roleChanged}`,
    body: () => ({ roles: ['member'] }),
    expect: { admin: 200, northwind: 200, staff: 403, others: 404 },
  },
  {
    route: 'POST /v1/organizations/{orgId}/suspension', method: 'POST', path: () => `/v1/organizations/${ids.suspendable}/suspension`,
    body: () => ({ reason: 'Suspended by the authorization matrix.' }),
    expect: { admin: 200, others: 404 },
  },
  {
    route: 'DELETE /v1/organizations/{orgId}/suspension', method: 'DELETE', path: () => `/v1/organizations/${ids.suspendable}/suspension`,
    expect: { admin: 200, others: 404 },
  },
  {
    route: 'POST /v1/organizations/{orgId}/offboarding', method: 'POST', path: () => `/v1/organizations/${ids.offboardable}/offboarding`,
    body: () => ({ reason: 'Offboarded by the authorization matrix.' }),
    expect: { admin: 200, others: 404 },
  },
  { route: 'GET /v1/governance', method: 'GET', path: () => '/v1/governance', expect: { others: 200 } },
  {
    route: 'PUT /v1/governance', method: 'PUT', path: () => '/v1/governance',
    body: () => ({ adminApprovalsRequired: 1, providerResponseDays: 30, maxGrantDays: 365, closureDeadlineDays: 30, agreementGraceDays: 30 }),
    expect: { admin: 200, others: 403 },
  },
  { route: 'GET /v1/agreement', method: 'GET', path: () => '/v1/agreement', expect: { others: 200 } },
  // Every published version stays readable by everyone signed in: there is nothing tenant-owned in it.
  { route: 'GET /v1/agreement/versions', method: 'GET', path: () => '/v1/agreement/versions', expect: { others: 200 } },
  { route: 'GET /v1/agreement/versions/{version}', method: 'GET', path: () => '/v1/agreement/versions/1', expect: { others: 200 } },
  { route: 'GET /v1/agreement/signatures', method: 'GET', path: () => '/v1/agreement/signatures', expect: { admin: 200, others: 403 } },
  {
    route: 'POST /v1/agreement/signatures', method: 'POST', path: () => '/v1/agreement/signatures',
    // Everyone sends a hash that is not the current one: org-admins reach the check (409), others are refused first.
    body: () => ({ version: 1, sha256: 'f'.repeat(64) }),
    expect: { staff: 403, others: 409 },
  },
  { route: 'GET /v1/datasets', method: 'GET', path: () => '/v1/datasets', expect: { others: 200 } },
  {
    route: 'POST /v1/datasets', method: 'POST', path: () => '/v1/datasets', body: () => datasetMetadata(),
    expect: { northwind: 201, staff: 201, helios: 201, others: 403 },
  },
  { route: 'GET /v1/datasets/{id} (draft)', method: 'GET', path: () => `/v1/datasets/${ids.draft}`, expect: { northwind: 200, staff: 200, others: 404 } },
  { route: 'GET /v1/datasets/{id} (published)', method: 'GET', path: () => `/v1/datasets/${ids.published}`, expect: { others: 200 } },
  {
    route: 'PATCH /v1/datasets/{id}', method: 'PATCH', path: () => `/v1/datasets/${ids.draft}`, body: () => ({ keywords: ['matrix'] }),
    headers: async (who) => {
      const { 'if-match': ifMatch } = await currentRevision(who);
      return { 'if-match': ifMatch };
    },
    expect: { northwind: 200, staff: 200, others: 404 },
  },
  {
    route: 'PATCH /v1/datasets/{id} (published, foreign)', method: 'PATCH', path: () => `/v1/datasets/${ids.published}`, body: () => ({ keywords: ['x'] }),
    headers: async () => ({ 'if-match': '"1"' }),
    expect: { northwind: 412, staff: 412, others: 403 },
  },
  {
    route: 'POST /v1/datasets/{id}/uploads', method: 'POST', path: () => `/v1/datasets/${ids.draft}/uploads`,
    body: (who) => ({ fileName: `${who}.csv`, size: 10 }),
    expect: { northwind: 201, staff: 201, others: 404 },
  },
  {
    route: 'POST /v1/datasets/{id}/uploads/{fileId}/complete', method: 'POST', path: () => `/v1/datasets/${ids.draft}/uploads/${ids.file}/complete`,
    body: () => ({}),
    expect: { northwind: 409, staff: 409, others: 404 },
  },
  {
    route: 'PATCH /v1/datasets/{id}/files/{fileId}', method: 'PATCH', path: () => `/v1/datasets/${ids.draft}/files/${ids.file}`,
    body: () => ({ sample: true }),
    expect: { northwind: 200, staff: 200, others: 404 },
  },
  {
    route: 'DELETE /v1/datasets/{id}/files/{fileId}', method: 'DELETE', path: () => `/v1/datasets/${ids.draft}/files/${ids.removableFile}`,
    // The owner removes it; its staff then find it gone.
    expect: { northwind: 200, staff: 404, others: 404 },
  },
  {
    route: 'DELETE /v1/datasets/{id}/files/{fileId} (published)', method: 'DELETE', path: () => `/v1/datasets/${ids.published}/files/${ids.publishedFile}`,
    expect: { northwind: 409, staff: 409, others: 403 },
  },
  { route: 'POST /v1/datasets/{id}/versions', method: 'POST', path: () => `/v1/datasets/${ids.draft}/versions`, expect: { northwind: 409, staff: 409, others: 404 } },
  { route: 'GET /v1/datasets/{id}/samples', method: 'GET', path: () => `/v1/datasets/${ids.published}/samples`, expect: { civic: 403, others: 200 } },
  { route: 'GET /v1/proposals', method: 'GET', path: () => '/v1/proposals', expect: { others: 200 } },
  { route: 'GET /v1/proposals?view=queue', method: 'GET', path: () => '/v1/proposals?view=queue', expect: { admin: 200, others: 403 } },
  {
    route: 'POST /v1/proposals', method: 'POST', path: () => '/v1/proposals', body: (who) => ({ title: `Proposal by ${who}` }),
    // Civic is a member that has not signed; providers and the secretariat do not propose.
    expect: { andes: 201, civic: 403, others: 403 },
  },
  { route: 'GET /v1/proposals/{id} (draft)', method: 'GET', path: () => `/v1/proposals/${ids.draftProposal}`, expect: { andes: 200, others: 404 } },
  // Helios and Northwind (and its staff) provide requested datasets; Civic is uninvolved.
  { route: 'GET /v1/proposals/{id} (submitted)', method: 'GET', path: () => `/v1/proposals/${ids.proposal}`, expect: { civic: 404, others: 200 } },
  { route: 'GET /v1/proposals/{id}/timeline', method: 'GET', path: () => `/v1/proposals/${ids.proposal}/timeline`, expect: { civic: 404, others: 200 } },
  {
    route: 'PATCH /v1/proposals/{id} (draft)', method: 'PATCH', path: () => `/v1/proposals/${ids.draftProposal}`, body: () => ({ problem: 'A problem stated at length.' }),
    headers: async () => {
      const seen = await stack.call('GET', `/v1/proposals/${ids.draftProposal}`, { as: USERS.andes });
      return { 'if-match': `"${seen.body.revision}"` };
    },
    expect: { andes: 200, others: 404 },
  },
  {
    route: 'PATCH /v1/proposals/{id} (submitted)', method: 'PATCH', path: () => `/v1/proposals/${ids.proposal}`, body: () => ({ title: 'Edited after submission' }),
    headers: async () => ({ 'if-match': '"2"' }),
    expect: { andes: 409, civic: 404, others: 403 },
  },
  {
    route: 'POST /v1/proposals/{id}/submit', method: 'POST', path: () => `/v1/proposals/${ids.draftProposal}/submit`,
    expect: { andes: 400, others: 404 },
  },
  {
    route: 'POST /v1/proposals/{id}/reviews (comment)', method: 'POST', path: () => `/v1/proposals/${ids.proposal}/reviews`,
    body: () => ({ decision: 'comment', text: 'A question about the method.' }),
    expect: { andes: 403, civic: 404, others: 200 },
  },
  {
    route: 'POST /v1/proposals/{id}/reviews (consent)', method: 'POST', path: () => `/v1/proposals/${ids.proposal}/reviews`,
    body: () => ({ decision: 'consent', datasetIds: [ids.population] }),
    // Only Helios provides the population data; Northwind's ridership needs no consent.
    expect: { helios: 200, andes: 403, civic: 404, admin: 403, others: 409 },
  },
  {
    route: 'POST /v1/proposals/{id}/withdraw', method: 'POST', path: () => `/v1/proposals/${ids.draftProposal}/withdraw`, body: () => ({}),
    expect: { andes: 200, others: 404 },
  },
  { route: 'GET /v1/grants', method: 'GET', path: () => '/v1/grants', expect: { others: 200 } },
  { route: 'GET /v1/grants?view=all', method: 'GET', path: () => '/v1/grants?view=all', expect: { admin: 200, others: 403 } },
  { route: 'GET /v1/grants/{id}', method: 'GET', path: () => `/v1/grants/${ids.grant}`, expect: { helios: 404, civic: 404, others: 200 } },
  { route: 'GET /v1/grants/{id}/files', method: 'GET', path: () => `/v1/grants/${ids.grant}/files`, expect: { helios: 404, civic: 404, others: 200 } },
  {
    route: 'POST /v1/grants/{id}/downloads', method: 'POST', path: () => `/v1/grants/${ids.grant}/downloads`, body: () => ({ fileId: ids.grantFile }),
    expect: { andes: 201, helios: 404, civic: 404, others: 403 },
  },
  {
    route: 'POST /v1/grants/{id}/revoke', method: 'POST', path: () => `/v1/grants/${ids.revokable}/revoke`, body: () => ({ reason: 'Revoked by the authorization matrix.' }),
    // The admin revokes first; the provider's users then find it revoked already.
    expect: { admin: 200, andes: 403, helios: 404, civic: 404, others: 409 },
  },
  {
    route: 'PUT /v1/grants/{id}/team', method: 'PUT', path: () => `/v1/grants/${ids.grant}/team`, body: () => ({ team: [USERS.andes] }),
    // Only Andes' org-admin; Northwind (the provider) and the admins see the grant but may not change its team.
    expect: { andes: 200, helios: 404, civic: 404, others: 403 },
  },
  {
    route: 'POST /v1/grants/{id}/closure', method: 'POST', path: () => `/v1/grants/${ids.grant}/closure`,
    body: () => ({ outcomeReport: { outputs: [{ title: 'Report' }], indicators: [{ indicator: 'Load factor', result: 'Down 5%' }], publicSummary: 'A summary of what the project achieved.' } }),
    expect: { andes: 409, helios: 404, civic: 404, others: 403 },
  },
  {
    route: 'POST /v1/grants/{id}/renewals', method: 'POST', path: () => `/v1/grants/${ids.grant}/renewals`,
    body: () => ({ endDate: runningPeriod(100).endDate, reason: 'We need more time for the analysis.' }),
    expect: { andes: 201, helios: 404, civic: 404, others: 403 },
  },
  {
    route: 'POST /v1/grants/{id}/renewals/{renewalId}/reviews', method: 'POST', path: () => `/v1/grants/${ids.renewable}/renewals/${ids.renewal}/reviews`,
    body: () => ({ decision: 'approve' }),
    // The admin decides first; the provider's users then find it decided.
    expect: { admin: 200, andes: 403, helios: 404, civic: 404, others: 409 },
  },
  { route: 'GET /v1/audit', method: 'GET', path: () => '/v1/audit', expect: { others: 200 } },
  { route: 'GET /v1/audit?view=provided', method: 'GET', path: () => '/v1/audit?view=provided', expect: { andes: 403, civic: 403, others: 200 } },
  { route: 'GET /v1/audit/verify', method: 'GET', path: () => '/v1/audit/verify', expect: { admin: 200, others: 403 } },
  { route: 'GET /v1/notifications', method: 'GET', path: () => '/v1/notifications', expect: { others: 200 } },
  {
    route: 'POST /v1/notifications/{id}/read', method: 'POST', path: () => `/v1/notifications/${ids.notification}/read`,
    // Someone else's notification is as unknown as a missing one.
    expect: { andes: 200, others: 404 },
  },
  {
    route: 'POST /v1/datasets/{id}/retire (draft)', method: 'POST', path: () => `/v1/datasets/${ids.draft}/retire`,
    body: () => ({ reason: 'Matrix retirement reason' }),
    // Retiring a retired dataset is a retry that completes its revocations, not a conflict.
    expect: { northwind: 200, staff: 200, others: 404 },
  },
];

// The owner goes before its staff, so a one-shot action (retire) is first done by the owner, then retried.
const ORDER: Who[] = ['anonymous', 'helios', 'andes', 'civic', 'admin', 'northwind', 'staff'];

describe.each(CASES)('$route', (c) => {
  it.each(ORDER)('answers %s as the matrix says', async (who) => {
    const expected = who === 'anonymous' ? 401 : (c.expect[who] ?? c.expect.others);
    const response = await stack.call(c.method, c.path(who), {
      as: who === 'anonymous' ? undefined : CALLERS[who],
      body: c.body?.(who),
      headers: c.headers ? await c.headers(who) : undefined,
    });
    expect({ who, status: response.status, body: response.status === expected ? undefined : response.body }).toEqual({ who, status: expected, body: undefined });
  });
});

describe('public routes', () => {
  it.each(['/health', '/v1/public/datasets', '/v1/public/projects', '/v1/public/catalog.jsonld', '/v1/openapi.json', '/docs'])('%s answers without a token', async (path) => {
    expect((await stack.call('GET', path)).status).toBe(200);
  });

  it('never shows a draft publicly', async () => {
    expect((await stack.call('GET', `/v1/public/datasets/${ids.draft}`)).status).toBe(404);
    expect((await stack.call('GET', `/v1/public/datasets/${ids.published}`)).status).toBe(200);
  });
});
