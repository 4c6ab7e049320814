import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { LOCAL_TABLE } from '../../functions/local/local-stack';
import { formatDate } from '../../web/src/lib/format';
import { auditPage, RESULTS_DIR, signIn, startApp, type E2eApp } from './support';

const ADMIN = 'admin@secretariat.example';
const PROVIDER = 'data@northwind.example';
const MEMBER = 'analyst@andes-bank.example';
const RIDERSHIP = 'Public transit ridership by stop'; // Andes's seeded running grant (Northwind, no consent needed)
const OD = 'Urban trip origin-destination matrix'; // Northwind, consent required
const REASON = 'Stop-level figures were published without aggregation, against condition 1.';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

interface GrantBody {
  id: string;
  datasetTitle: string;
  endDate: string;
  state: string;
  renewals: { id: string; state: string }[];
}

let app: E2eApp;
let admin: Page;
let provider: Page;
let tokens: { admin: string; provider: string; member: string };
let ridership: GrantBody;
let ridershipFile: { id: string; name: string };
let od: GrantBody;

/**
 * Arranged through the API, in this file's own stack: Andes downloads a file of its seeded
 * ridership grant; a second grant (the OD matrix, whose provider must consent) is issued and
 * Andes asks to renew it.
 */
async function arrange(): Promise<void> {
  tokens = { admin: await app.token(ADMIN), provider: await app.token(PROVIDER), member: await app.token(MEMBER) };
  const held = await app.call<{ items: GrantBody[] }>(tokens.member, 'GET', '/v1/grants?view=held');
  ridership = held.body.items.find((g) => g.datasetTitle === RIDERSHIP)!;
  const files = await app.call<{ items: { id: string; name: string }[] }>(tokens.member, 'GET', `/v1/grants/${ridership.id}/files`);
  ridershipFile = files.body.items[0]!;
  const mint = await app.call(tokens.member, 'POST', `/v1/grants/${ridership.id}/downloads`, { fileId: ridershipFile.id });
  expect(mint.status, JSON.stringify(mint.body)).toBe(201);

  const datasets = await app.call<{ items: { id: string; metadata: { title: string } }[] }>(tokens.member, 'GET', '/v1/datasets?q=origin');
  const odId = datasets.body.items.find((d) => d.metadata.title === OD)!.id;
  const draft = await app.call<{ id: string }>(tokens.member, 'POST', '/v1/proposals', {
    title: 'Night-time trips for re-timing the last buses',
    purpose: { category: 'mobility-transport' },
    problem: 'The last buses leave the centre before most late-shift workers finish.',
    methods: 'Count late-evening trips between districts to find where the last departures fall short.',
    datasets: [{ datasetId: odId, justification: 'Trips by district pair and hour show the late-evening demand.' }],
    startDate: day(0),
    endDate: day(60),
    team: [MEMBER],
    expectedOutputs: 'A revised late-evening timetable.',
    publicBenefit: 'Safer journeys home for late-shift workers.',
    impactIndicators: ['Late-shift riders served'],
    confirmations: { noReidentification: true, noOnwardSharing: true, deletionAtEnd: true },
    listInPublicRegister: false,
  });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  expect((await app.call(tokens.member, 'POST', `/v1/proposals/${draft.body.id}/submit`)).status).toBe(200);
  expect((await app.call(tokens.provider, 'POST', `/v1/proposals/${draft.body.id}/reviews`, { decision: 'consent' })).status).toBe(200);
  const approved = await app.call<{ state: string }>(tokens.admin, 'POST', `/v1/proposals/${draft.body.id}/reviews`, { decision: 'approve' });
  expect(approved.body.state).toBe('approved');
  const all = await app.call<{ items: GrantBody[] }>(tokens.member, 'GET', '/v1/grants?view=held');
  od = all.body.items.find((g) => g.datasetTitle === OD)!;
  const renewal = await app.call(tokens.member, 'POST', `/v1/grants/${od.id}/renewals`, { endDate: day(90), reason: 'The survey of late-shift workers starts a month late.' }, { 'idempotency-key': 'renew-od-1' });
  expect(renewal.status, JSON.stringify(renewal.body)).toBe(201);
}

beforeAll(async () => {
  app = await startApp();
  await arrange();
  admin = await app.newPage();
  await signIn(admin, app.url, ADMIN);
  provider = await app.newPage();
  await signIn(provider, app.url, PROVIDER);
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
/** A calendar date as the app shows it to this browser (en-GB). */
const shown = (isoDate: string) => formatDate(isoDate, { locale: 'en-GB' });

describe('grants as the secretariat and the provider see them', () => {
  it('the admin is told when the grants cannot be loaded, and tries again', async () => {
    const grantsList = (url: URL) => url.pathname === '/v1/grants';
    await admin.route(grantsList, (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'The grants are unavailable.', details: {} } }) }),
    );
    await nav(admin, 'Grants').click();
    await admin.getByRole('alert').getByText('The grants are unavailable.').waitFor();
    await admin.unroute(grantsList);
    await admin.getByRole('button', { name: 'Try again' }).click();
    await admin.getByRole('region', { name: 'Grants' }).getByRole('link', { name: RIDERSHIP }).waitFor();
  });

  it('the admin lists every grant, filters them by state, and opens the running one', async () => {
    await nav(admin, 'Grants').click();
    const table = admin.getByRole('region', { name: 'Grants' });
    await table.getByRole('link', { name: RIDERSHIP }).waitFor();
    await table.getByRole('link', { name: OD }).waitFor();
    await table.getByText('Renewal asked').waitFor();
    expect(await auditPage(admin, 'admin-grants')).toEqual([]);

    await admin.getByLabel('State').selectOption('revoked');
    await admin.getByText('No revoked grant.').waitFor();
    expect(admin.url()).toMatch(/\/admin\/grants\?state=revoked$/);
    await admin.getByLabel('State').selectOption('');
    await table.getByRole('link', { name: RIDERSHIP }).click();

    await admin.getByRole('heading', { level: 1, name: `Grant: ${RIDERSHIP}` }).waitFor();
    await admin.getByText('Andes Development Bank').first().waitFor();
    await admin.getByText(MEMBER).first().waitFor();
    await admin.getByText('Publish only stop-level aggregates.').waitFor();
    // The period's instants are in the reader's zone, which is named (the browser runs in Europe/Madrid).
    await admin.getByText(/Access from .*CES?T until .*CES?T/).waitFor();
    const downloads = admin.getByRole('region', { name: 'Downloads under this grant' });
    await downloads.getByRole('cell', { name: ridershipFile.name }).waitFor();
    expect(await auditPage(admin, 'admin-grant')).toEqual([]);
    await admin.getByRole('link', { name: 'Every event of this grant in the audit log' }).click();
    await admin.getByRole('region', { name: 'Audit events' }).getByText('Download link issued').waitFor();
    expect(await admin.locator('#f-entityId').inputValue()).toBe(ridership.id);
    await admin.goBack();
    await admin.getByRole('heading', { level: 1, name: `Grant: ${RIDERSHIP}` }).waitFor();
  });

  it('the provider consents to a renewal of its data and the admin approves it, moving the end date', async () => {
    await provider.goto(`${app.url}/provider/grants/${od.id}`);
    const renewal = provider.getByRole('region', { name: 'Renewal requested' });
    await renewal.getByText('The survey of late-shift workers starts a month late.').waitFor();
    await renewal.getByText('30 days longer').waitFor();
    await provider.getByText('Not shown to providers').waitFor();
    expect(await auditPage(provider, 'provider-grant-renewal')).toEqual([]);
    await renewal.getByRole('button', { name: 'Record answer' }).click();
    await provider.locator('#f-decision-error').getByText('Choose an answer').waitFor();
    await renewal.getByLabel('Consent to the renewal').check();
    await renewal.getByRole('button', { name: 'Record answer' }).click();
    await provider.getByText('Your answer is recorded; the renewal awaits the other decision.').waitFor();

    await admin.goto(`${app.url}/admin/grants/${od.id}`);
    const review = admin.getByRole('region', { name: 'Renewal requested' });
    await review.getByText("Awaiting a consortium admin's decision.").waitFor();
    await review.getByLabel('Refuse the renewal').check();
    await review.getByRole('button', { name: 'Record answer' }).click();
    await admin.locator('#f-text-error').getByText('Say why (at least 5 characters)').waitFor();
    await review.getByLabel('Approve the renewal').check();
    await review.getByRole('button', { name: 'Record answer' }).click();
    await admin.getByText(`Renewed: the grant now ends on ${shown(day(90))}.`).waitFor();

    const after = await app.call<GrantBody>(tokens.admin, 'GET', `/v1/grants/${od.id}`);
    expect(after.body.endDate).toBe(day(90));
  });

  it('the provider is told when a renewal was decided meanwhile, and sees the grant as it is now', async () => {
    const asked = await app.call<GrantBody>(tokens.member, 'POST', `/v1/grants/${od.id}/renewals`, { endDate: day(120), reason: 'The council asked for a winter comparison.' }, { 'idempotency-key': 'renew-od-2' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const renewalId = asked.body.renewals.find((r) => r.state === 'pending')!.id;
    await provider.goto(`${app.url}/provider/grants/${od.id}`);
    const renewal = provider.getByRole('region', { name: 'Renewal requested' });
    await renewal.getByText('The council asked for a winter comparison.').waitFor();

    const refused = await app.call(tokens.admin, 'POST', `/v1/grants/${od.id}/renewals/${renewalId}/reviews`, { decision: 'refuse', text: 'One renewal per project is enough here.' });
    expect(refused.status).toBe(200);
    await renewal.getByLabel('Consent to the renewal').check();
    await renewal.getByRole('button', { name: 'Record answer' }).click();
    await provider.getByText(/Your answer was not recorded: .*refused\. The grant below is as it is now\./).waitFor();
    await renewal.waitFor({ state: 'detached' });
    await provider.getByText(/refused.*One renewal per project is enough here\./).waitFor();
  });

  it('the admin revokes the running grant with a reason, after confirming, and the member can no longer download', async () => {
    await admin.goto(`${app.url}/admin/grants/${ridership.id}`);
    const panel = admin.getByRole('region', { name: 'Revoke access' });
    await panel.getByRole('button', { name: 'Revoke access…' }).click();
    await admin.locator('#f-reason-error').getByText('Enter at least 10 characters').waitFor();
    await admin.locator('#f-reason').fill(REASON);
    await panel.getByRole('button', { name: 'Revoke access…' }).click();

    const dialog = admin.getByRole('dialog', { name: 'Revoke this grant now?' });
    await dialog.getByText(REASON).waitFor();
    expect(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((b) => b === document.activeElement)).toBe(true);
    expect(await auditPage(admin, 'admin-grant-revoke-confirm')).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await app.call<GrantBody>(tokens.admin, 'GET', `/v1/grants/${ridership.id}`)).body.state).toBe('active');

    await panel.getByRole('button', { name: 'Revoke access…' }).click();
    await dialog.getByRole('button', { name: 'Yes, revoke now' }).click();
    await admin.getByText('The grant is revoked. Downloads stopped at once.').waitFor();
    await admin.getByText('This grant is revoked; it can no longer be revoked.').waitFor();
    // The revoke form is gone; the focus is on what happened, not lost to the page.
    expect(await admin.evaluate(() => document.activeElement?.textContent)).toBe('The grant is revoked. Downloads stopped at once.');
    await admin.getByRole('cell', { name: 'Deletion attestation' }).waitFor();

    const mint = await app.call<{ error: { code: string } }>(tokens.member, 'POST', `/v1/grants/${ridership.id}/downloads`, { fileId: ridershipFile.id });
    expect(mint.status).toBe(403);
    expect(mint.body.error.code).toBe('grant_revoked');
  });

  it('the audit log shows the revocation first, narrows to one grant, checks its filters, and verifies the chain intact', async () => {
    await nav(admin, 'Audit log').click();
    const events = admin.getByRole('region', { name: 'Audit events' });
    const first = events.getByRole('row').nth(1);
    await first.getByText('Grant revoked').waitFor();
    await first.getByText(`By the secretariat: ${REASON}`).waitFor();
    await first.getByText(ADMIN).waitFor();

    await first.getByRole('button', { name: /Only this grant/ }).click();
    await admin.waitForURL(new RegExp(`entityType=grant&entityId=${ridership.id}`));
    // This grant's three events only: issued, one download, revoked (newest first).
    await expect.poll(() => events.getByRole('row').count()).toBe(4);
    const actions = await events.locator('tbody tr td:nth-child(3) strong').allTextContents();
    expect(actions).toEqual(['Grant revoked', 'Download link issued', 'Grant issued']);
    await events.getByText(`${ridershipFile.name} (version 1)`).waitFor();
    expect(await admin.locator('#f-entityId').inputValue()).toBe(ridership.id);

    await admin.locator('#f-from').fill('2026-03-02T10:00');
    await admin.locator('#f-to').fill('2026-03-01T10:00');
    await admin.getByRole('button', { name: 'Filter', exact: true }).click();
    await admin.locator('#f-to-error').getByText('Enter a time after the “from” time').waitFor();
    await admin.getByRole('button', { name: 'Clear' }).click();
    await admin.waitForURL(/\/admin\/audit$/);
    // A hand-edited address with an id but no kind of entity: said where, and nothing is fetched.
    await admin.goto(`${app.url}/admin/audit?entityId=${ridership.id}`);
    await admin.locator('#f-entityType-error').getByText('Choose the kind of entity this id belongs to').waitFor();
    await admin.getByText('The filters in this address are not valid').waitFor();
    await admin.getByRole('button', { name: 'Clear' }).click();
    await admin.waitForURL(/\/admin\/audit$/);
    await events.getByText('Renewal refused').waitFor();

    await admin.getByRole('button', { name: 'Verify chain' }).click();
    await admin.getByText(/The chain is intact: \d+ events checked/).waitFor();
    expect(await auditPage(admin, 'admin-audit')).toEqual([]);
    await admin.screenshot({ path: join(RESULTS_DIR, 'readme-admin-audit.png') }); // the viewport, for docs/
  });

  it('the provider sees the grants to its data, who downloaded which file and when, and its data’s events', async () => {
    await nav(provider, 'Access to my data').click();
    await provider.getByRole('heading', { level: 1, name: 'Access to my data' }).waitFor();
    const grants = provider.getByRole('region', { name: 'Grants to your datasets' });
    await grants.getByRole('link', { name: RIDERSHIP }).waitFor();
    await grants.getByRole('row').filter({ hasText: RIDERSHIP }).getByText('Revoked').waitFor();

    const downloads = provider.getByRole('region', { name: 'Downloads of your data' });
    const row = downloads.getByRole('row').filter({ hasText: ridershipFile.name });
    await row.getByRole('cell', { name: MEMBER }).waitFor();
    await row.getByRole('cell', { name: 'Andes Development Bank', exact: true }).waitFor();
    await row.getByRole('link', { name: `${RIDERSHIP} — Andes Development Bank` }).waitFor();
    await provider.getByText('No closed grant with an outcome report yet.').waitFor();
    expect(await auditPage(provider, 'provider-data-access')).toEqual([]);

    await provider.getByLabel('Every event on your data').check();
    const all = provider.getByRole('region', { name: 'Events on your data' });
    await all.getByText('Grant revoked').waitFor();
    await all.getByText('Grant renewed').waitFor();
  });

  it('the provider revokes a grant to its own data', async () => {
    await provider.getByRole('region', { name: 'Grants to your datasets' }).getByRole('link', { name: OD }).click();
    await provider.getByRole('heading', { level: 1, name: `Grant: ${OD}` }).waitFor();
    await provider.locator('#f-reason').fill('Our licence for the underlying trip records was withdrawn.');
    await provider.getByRole('button', { name: 'Revoke access…' }).click();
    await provider.getByRole('dialog', { name: 'Revoke this grant now?' }).getByRole('button', { name: 'Yes, revoke now' }).click();
    await provider.getByText('The grant is revoked. Downloads stopped at once.').waitFor();
    const after = await app.call<GrantBody & { revokedBy: string }>(tokens.member, 'GET', `/v1/grants/${od.id}`);
    expect(after.body).toMatchObject({ state: 'revoked', revokedBy: PROVIDER });
  });

  it('the provider reads the outcome report and the deletion attestation once the grantee closes the grant', async () => {
    const closure = await app.call(tokens.member, 'POST', `/v1/grants/${od.id}/closure`, {
      attestation: {
        deletedBy: 'Ana Analyst',
        deletedAt: new Date().toISOString(),
        method: 'Secure erase of the project volume and its snapshots.',
        copies: [{ location: 'Project workspace volume' }, { location: 'Nightly backup', description: 'Expired with the 7-day retention.' }],
        statement: 'Every copy of the trip matrix held by the project team has been deleted.',
      },
      outcomeReport: {
        outputs: [{ title: 'Late-evening timetable proposal', url: 'https://andes-bank.example/late-buses' }],
        indicators: [{ indicator: 'Late-shift riders served', result: 'About 1,200 more riders a night on four routes.' }],
        publicSummary: 'Four late-evening bus routes were re-timed to match when late shifts end.',
      },
    });
    expect(closure.status, JSON.stringify(closure.body)).toBe(200);

    await nav(provider, 'Access to my data').click();
    const reports = provider.getByRole('region', { name: 'Outcome reports on your data' });
    await reports.getByText('Four late-evening bus routes were re-timed to match when late shifts end.').waitFor();
    await reports.getByRole('link', { name: 'Late-evening timetable proposal' }).waitFor();
    await reports.getByText('About 1,200 more riders a night on four routes.').waitFor();
    expect(await auditPage(provider, 'provider-outcome-report')).toEqual([]);

    await reports.getByRole('link', { name: 'Night-time trips for re-timing the last buses' }).click();
    await provider.getByRole('heading', { name: 'Deletion attestation' }).waitFor();
    await provider.getByText('Secure erase of the project volume and its snapshots.').waitFor();
    await provider.getByText('Closed', { exact: true }).first().waitFor();
  });

  it('keeps every new page free of serious accessibility violations, and no wider than the screen, at 360 px', async () => {
    const narrowAdmin = await app.newPage({ width: 360, height: 740 });
    await signIn(narrowAdmin, app.url, ADMIN);
    for (const [path, name, heading] of [
      ['/admin/grants', 'admin-grants-360', 'Grants'],
      [`/admin/grants/${od.id}`, 'admin-grant-360', `Grant: ${OD}`],
      ['/admin/audit', 'admin-audit-360', 'Audit log'],
    ] as const) {
      await narrowAdmin.goto(app.url + path);
      await narrowAdmin.getByRole('heading', { level: 1, name: heading }).waitFor();
      await narrowAdmin.waitForLoadState('networkidle');
      expect(await auditPage(narrowAdmin, name), path).toEqual([]);
      // Nothing wider than the screen: wide tables scroll inside their own region.
      expect(await narrowAdmin.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(360);
    }
    const narrowProvider = await app.newPage({ width: 360, height: 740 });
    await signIn(narrowProvider, app.url, PROVIDER);
    for (const [path, name, heading] of [
      ['/provider/grants', 'provider-data-access-360', 'Access to my data'],
      [`/provider/grants/${ridership.id}`, 'provider-grant-360', `Grant: ${RIDERSHIP}`],
    ] as const) {
      await narrowProvider.goto(app.url + path);
      await narrowProvider.getByRole('heading', { level: 1, name: heading }).waitFor();
      await narrowProvider.waitForLoadState('networkidle');
      expect(await auditPage(narrowProvider, name), path).toEqual([]);
      // Nothing wider than the screen: wide tables scroll inside their own region.
      expect(await narrowProvider.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(360);
    }
  });

  // Last: it breaks this stack's chain on purpose.
  it('reports a broken chain, naming the first altered event, once an event is edited in DynamoDB', async () => {
    const revoked = await app.call<{ items: { seq: number; action: string }[] }>(tokens.admin, 'GET', `/v1/audit?entityType=grant&entityId=${ridership.id}`);
    const seq = revoked.body.items.find((e) => e.action === 'grant.revoked')!.seq;
    await app.stack.app.deps.db.doc.send(
      new UpdateCommand({ TableName: LOCAL_TABLE, Key: keys.auditEvent(seq), UpdateExpression: 'SET details.reason = :r', ExpressionAttributeValues: { ':r': 'Nothing to see here.' } }),
    );
    await admin.goto(`${app.url}/admin/audit`);
    await admin.getByRole('button', { name: 'Verify chain' }).click();
    await admin.getByText(new RegExp(`Broken\\. The chain is broken at event ${seq} \\(altered\\): .*\\d+ events checked\\.`)).waitFor();
    expect(await auditPage(admin, 'admin-audit-broken')).toEqual([]);
  });
});
