import { expect } from 'vitest';
import { USERS, type TestClock, type TestStack } from './stack';

/** The seeded catalog's dataset ids by title. */
export async function catalogIds(stack: TestStack): Promise<Record<string, string>> {
  const listed = await stack.call('GET', '/v1/datasets?limit=100', { as: USERS.andes });
  return Object.fromEntries(listed.body.items.map((d: any) => [d.metadata.title, d.id]));
}

export const TITLES = {
  od: 'Urban trip origin-destination matrix', // Northwind, consent required
  ridership: 'Public transit ridership by stop', // Northwind, no consent
  population: 'Mobile network present population estimates', // Helios, consent required
} as const;

/** Complete proposal fields asking for `datasetIds` over the period. */
export const proposalFields = (datasetIds: string[], period: { startDate: string; endDate: string }, overrides: Record<string, unknown> = {}) => ({
  title: 'Commuting and heat exposure',
  purpose: { category: 'climate-environment' },
  problem: 'Heat waves hit commuters who travel long distances in the afternoon.',
  methods: 'Join district trip flows with present population by time of day to map exposure.',
  datasets: datasetIds.map((datasetId) => ({ datasetId, justification: 'Needed to know who travels where and when during heat waves.' })),
  ...period,
  team: [USERS.andes],
  expectedOutputs: 'A district heat-exposure index and a policy brief.',
  publicBenefit: 'Better targeted cooling centres and transit schedules.',
  impactIndicators: ['Cooling centres relocated'],
  confirmations: { noReidentification: true, noOnwardSharing: true, deletionAtEnd: true },
  listInPublicRegister: true,
  ...overrides,
});

/** Andes drafts and submits a proposal; returns it. */
export async function submitProposal(stack: TestStack, fields: Record<string, unknown>) {
  const draft = await stack.call('POST', '/v1/proposals', { as: USERS.andes, body: fields });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  const submit = await stack.call('POST', `/v1/proposals/${draft.body.id}/submit`, { as: USERS.andes });
  expect(submit.status, JSON.stringify(submit.body)).toBe(200);
  return submit.body;
}

/** Submits, collects every consent the datasets need and the admin's approval; returns the approved proposal. */
export async function approvedProposal(stack: TestStack, fields: Record<string, unknown>, consenters: string[] = []) {
  const proposal = await submitProposal(stack, fields);
  for (const as of consenters) {
    const consent = await stack.call('POST', `/v1/proposals/${proposal.id}/reviews`, { as, body: { decision: 'consent' } });
    expect(consent.status, JSON.stringify(consent.body)).toBe(200);
  }
  const approved = await stack.call('POST', `/v1/proposals/${proposal.id}/reviews`, { as: USERS.admin, body: { decision: 'approve', conditions: ['Publish only aggregates.'] } });
  expect(approved.body.state, JSON.stringify(approved.body)).toBe('approved');
  return approved.body;
}

/**
 * A period already over was submitted and approved while it ran (an ended period can be neither):
 * the clock goes back to its start for `approve`, then returns to where it was.
 */
export async function issuedWhileRunning<T>(clock: TestClock, period: { startDate: string }, approve: () => Promise<T>): Promise<T> {
  const now = clock.now().getTime();
  const start = Date.parse(`${period.startDate}T09:00:00Z`);
  if (start >= now) return approve();
  clock.set(start);
  try {
    return await approve();
  } finally {
    clock.set(now);
  }
}
