import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DATASETS } from '../../functions/local/demo/datasets';
import { auditPage, signIn, startApp, type E2eApp } from './support';

const MEMBER = 'lead@civic-lab.example'; // Civic Data Lab: has not signed the agreement
const PROVIDER = 'data@northwind.example';
const ADMIN = 'admin@secretariat.example';
const TITLE = 'Safer cycling routes for school commutes';
const OD_MATRIX = DEMO_DATASETS.find((d) => d.metadata.title === 'Urban trip origin-destination matrix')!;
const SUMMARY = 'Four school corridors were ranked for protected lanes; the city has funded the first two.';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

let app: E2eApp;
let member: Page;
let proposalId = '';
let odGrantUrl = '';

beforeAll(async () => {
  app = await startApp();
  member = await app.newPage();
  await signIn(member, app.url, MEMBER);
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

const field = (page: Page, id: string) => page.locator(`#f-${id}`);
const step = (page: Page, name: RegExp) => page.getByRole('navigation', { name: 'Proposal steps' }).getByRole('button', { name });

/**
 * One proposal from start to decision, in order: a member that has not signed signs, browses,
 * downloads a sample, drafts and submits; the secretariat sends it back; the member answers;
 * the provider consents; the secretariat approves with a condition; the member downloads the
 * provider's file under its grant; the secretariat revokes that grant and the next download is
 * refused; the member closes it out, and the outcome appears on the public register.
 */
describe('a proposal from the agreement to a closed-out grant', () => {
  it('an unsigned member lands on the agreement, sees the banner, and gets no samples yet', async () => {
    await member.waitForURL(/\/agreement$/);
    await member.getByRole('status').filter({ hasText: 'Civic Data Lab has not signed the common data agreement' }).waitFor();
    await member.goto(`${app.url}/catalog?q=transit`);
    await member.getByRole('link', { name: 'Public transit ridership by stop' }).click();
    await member.getByRole('button', { name: 'Get sample download links' }).click();
    await member.getByRole('alert').filter({ hasText: 'Sign the common agreement to download samples' }).waitFor();
  });

  it('the org-admin signs the current version, stating its hash, and the banner goes', async () => {
    await member.getByRole('link', { name: 'Go to the agreement' }).click();
    await member.getByRole('heading', { level: 1, name: 'Common data agreement' }).waitFor();
    await member.getByRole('heading', { name: /1\. Purpose limitation/ }).waitFor();
    expect(await auditPage(member, 'member-agreement')).toEqual([]);

    await member.getByRole('button', { name: 'Sign version 1' }).click();
    await member.locator('#f-confirm-error').waitFor();
    await member.getByLabel(/I have read version 1/).check();
    await member.getByRole('button', { name: 'Sign version 1' }).click();
    await member.getByText(/Signed version 1 for Civic Data Lab/).waitFor();
    await member.getByText('has not signed the common data agreement').waitFor({ state: 'detached' });

    const token = await app.token(MEMBER);
    const me = await app.call<{ agreement: { state: string } }>(token, 'GET', '/v1/me');
    expect(me.body.agreement.state).toBe('signed');
  });

  it('sees its organisation and its members', async () => {
    await member.getByRole('link', { name: 'My organisation' }).click();
    await member.getByRole('heading', { level: 1, name: 'Civic Data Lab' }).waitFor();
    await member.getByRole('cell', { name: MEMBER }).waitFor();
    await member.getByText(/Signed version 1 on/).waitFor();
    expect(await auditPage(member, 'member-organization')).toEqual([]);
  });

  it('browses the catalog and downloads a sample whose bytes match the published hash', async () => {
    await member.getByRole('link', { name: 'Catalog', exact: true }).click();
    await member.getByRole('link', { name: 'Urban trip origin-destination matrix' }).waitFor();
    expect(await auditPage(member, 'member-catalog')).toEqual([]);
    await member.getByLabel('Search').fill('transit');
    await member.getByRole('button', { name: 'Search' }).click();
    await member.getByRole('link', { name: 'Public transit ridership by stop' }).click();
    await member.getByRole('heading', { level: 1, name: 'Public transit ridership by stop' }).waitFor();
    await member.getByRole('button', { name: 'Get sample download links' }).click();
    const link = member.getByRole('link', { name: /Download .*sample\.csv/ });
    await link.waitFor();
    expect(await auditPage(member, 'member-dataset')).toEqual([]);

    const expected = await member.locator('.file-list code').getAttribute('title');
    const [download] = await Promise.all([member.waitForEvent('download'), link.click()]);
    const bytes = await readFile((await download.path())!);
    expect(download.suggestedFilename()).toMatch(/sample\.csv$/);
    expect(bytes.toString('utf8')).toMatch(/^stop_id,district,month,boardings,alightings\n/);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(expected);
  });

  it('drafts a proposal step by step, saving as it goes and told what is missing', async () => {
    await member.getByRole('link', { name: 'Propose a project with this dataset' }).click();
    await member.getByRole('heading', { level: 1, name: 'New proposal' }).waitFor();
    await member.getByRole('button', { name: 'Save and continue' }).click();
    await member.getByRole('alert').getByText('Title: This is required').waitFor();

    await field(member, 'title').fill(TITLE);
    await field(member, 'purpose-category').selectOption('mobility-transport');
    await member.getByRole('button', { name: 'Save and continue' }).click();
    await member.waitForURL(/\/proposals\/[0-9a-f-]{36}\/edit\?step=problem$/);
    proposalId = /proposals\/([0-9a-f-]{36})/.exec(member.url())![1]!;
    await step(member, /Problem and methods — 2 to do/).waitFor();
    await step(member, /Purpose — complete/).waitFor();

    await field(member, 'problem').fill('Children cycling to school cross the busiest corridors at peak hours; crashes cluster near twelve schools.');
    await field(member, 'methods').fill('Overlay boardings and trips by district with crash records; rank corridors; only aggregates leave our secure workspace.');
    await member.getByRole('button', { name: 'Save and continue' }).click();

    await member.getByRole('heading', { name: 'Public transit ridership by stop' }).waitFor();
    await field(member, 'datasets-0-justification').fill('Boardings by stop show where pupils switch between bus and bike.');
    await field(member, 'datasetSearch').fill('origin');
    await field(member, 'datasetSearch').press('Enter');
    await member.getByRole('button', { name: 'Add Urban trip origin-destination matrix' }).click();
    await field(member, 'datasets-1-justification').fill('Trips between districts at school times locate the commuting corridors.');
    expect(await auditPage(member, 'member-proposal-wizard')).toEqual([]);
    await member.getByRole('button', { name: 'Save and continue' }).click();

    // The period is checked against the shortest limit: governance and the OD matrix both allow 365 days.
    await member.getByText(/The grant may last at most 365 days/).waitFor();
    // The grant starts today, so the member can download as soon as it is approved.
    await field(member, 'startDate').fill(day(0));
    await field(member, 'endDate').fill(day(400));
    await member.locator('#f-endDate-error').getByText(/The period is 400 days; the longest allowed is 365 days/).waitFor();
    await field(member, 'endDate').fill(day(180));
    await member.getByText('180 days — within the limit.').waitFor();
    await member.getByRole('button', { name: 'Save and continue' }).click();

    await member.getByRole('checkbox', { name: /Leo Civic/ }).check();
    await member.getByRole('button', { name: 'Save and continue' }).click();

    await field(member, 'expectedOutputs').fill('A ranked map of risky corridors and a short report for the city.');
    await field(member, 'publicBenefit').fill('Safer routes for about 9,000 pupils who cycle to school.');
    await field(member, 'impactIndicators').fill('Corridors redesigned within two years\nCrashes involving pupils per year');
    await member.getByRole('button', { name: 'Save and continue' }).click();

    await member.getByRole('button', { name: 'Save and continue' }).click();
    await member.getByRole('heading', { name: 'Still missing before you can submit' }).waitFor();
    await member.getByRole('button', { name: 'No re-identification' }).waitFor();
    await step(member, /Confirmations — 3 to do/).click();
    await member.getByLabel(/not attempt to re-identify/).check();
    await member.getByLabel(/not share the data/).check();
    await member.getByLabel(/delete the data when the grant ends/).check();
    await member.getByLabel(/List this project in the public register/).check();
    await member.getByRole('button', { name: 'Save and continue' }).click();

    await member.getByRole('heading', { name: 'Ready to submit' }).waitFor();
    const token = await app.token(MEMBER);
    const saved = await app.call<{ state: string; fields: Record<string, unknown> }>(token, 'GET', `/v1/proposals/${proposalId}`);
    expect(saved.body.state).toBe('draft');
    expect(saved.body.fields).toMatchObject({ title: TITLE, team: [MEMBER], impactIndicators: ['Corridors redesigned within two years', 'Crashes involving pupils per year'] });
  });

  it('submits the proposal and sees it in the timeline', async () => {
    await member.getByRole('button', { name: 'Submit proposal' }).click();
    await member.waitForURL(new RegExp(`/proposals/${proposalId}$`));
    await member.getByText(/^Submitted\. The secretariat and the providers/).waitFor();
    await member.locator('.timeline').getByText('Submitted', { exact: true }).waitFor();
    expect(await auditPage(member, 'member-proposal-submitted')).toEqual([]);
  });

  it('the secretariat finds it in the queue and asks for changes', async () => {
    const admin = await app.newPage();
    await signIn(admin, app.url, ADMIN);
    await admin.waitForURL(/\/admin\/queue$/);
    const row = admin.getByRole('row', { name: new RegExp(TITLE) });
    await row.getByText('0 days').waitFor();
    expect(await auditPage(admin, 'admin-queue')).toEqual([]);
    await row.getByRole('link', { name: TITLE }).click();
    await admin.getByRole('heading', { name: 'Decision' }).waitFor();
    await admin.getByText(/Awaiting the provider/).waitFor();
    expect(await auditPage(admin, 'admin-decision')).toEqual([]);

    await admin.getByRole('radio', { name: 'Request changes' }).check();
    await admin.getByRole('button', { name: 'Record decision' }).click();
    await admin.locator('#f-text-error').waitFor();
    await admin.getByLabel(/What must change/).fill('Say how crash records are joined without exposing addresses.');
    await admin.getByRole('button', { name: 'Record decision' }).click();
    await admin.getByText('Changes requested; the authors have been sent back to edit.').waitFor();
  });

  it('the member reads the request, edits and resubmits', async () => {
    await member.reload();
    await member.getByText('The secretariat asked for changes.').waitFor();
    await member.getByText(/without exposing addresses/).first().waitFor();
    await member.getByRole('link', { name: 'Edit and resubmit' }).click();
    await step(member, /Problem and methods/).click();
    await field(member, 'methods').fill(
      'Overlay boardings and trips by district with crash records joined at district level only (no addresses); rank corridors; only aggregates leave our workspace.',
    );
    await step(member, /Review and submit/).click();
    await member.getByRole('button', { name: 'Resubmit proposal' }).click();
    await member.waitForURL(new RegExp(`/proposals/${proposalId}$`));
    await member.locator('.subtitle').getByText('Submitted').waitFor();
    await member.locator('.timeline').getByText('Resubmitted').waitFor();
  });

  it('the provider consents for its dataset', async () => {
    const provider = await app.newPage();
    await signIn(provider, app.url, PROVIDER);
    await provider.getByRole('link', { name: 'Proposals to review' }).click();
    const row = provider.getByRole('row', { name: new RegExp(TITLE) });
    await row.getByText('1 awaiting your answer').waitFor();
    expect(await auditPage(provider, 'provider-reviews')).toEqual([]);
    await row.getByRole('link', { name: TITLE }).click();
    await provider.getByRole('heading', { name: 'Your answer' }).waitFor();
    // Providers never see the team.
    await provider.locator('.facts dt', { hasText: 'Organisation' }).waitFor();
    expect(await provider.locator('.facts dt', { hasText: 'Team' }).count()).toBe(0);
    expect(await auditPage(provider, 'provider-review')).toEqual([]);
    await provider.getByRole('radio', { name: 'Consent' }).check();
    await provider.getByRole('button', { name: 'Send answer' }).click();
    await provider.getByText('Your answer was recorded.').waitFor();
    await provider.getByText(/Consented/).first().waitFor();
  });

  it('the secretariat approves with a condition', async () => {
    const admin = await app.newPage();
    await signIn(admin, app.url, ADMIN);
    await admin.getByRole('link', { name: TITLE }).click();
    await admin.getByRole('radio', { name: 'Approve' }).check();
    await admin.getByLabel(/Conditions of approval/).fill('Publish only aggregates of at least 10 trips per cell.');
    await admin.getByRole('button', { name: 'Record decision' }).click();
    await admin.getByText('Approved.', { exact: true }).waitFor();
    await admin.getByRole('heading', { name: 'Conditions of approval' }).waitFor();
  });

  it('the member sees the approval and its condition', async () => {
    await member.reload();
    await member.locator('.subtitle').getByText('Approved').waitFor();
    await member.getByText('Publish only aggregates of at least 10 trips per cell.').first().waitFor();
    await member.getByText(/Each consented dataset has a grant/).waitFor();
  });

  it('the member finds a grant per dataset under My grants, each carrying the condition', async () => {
    await member.getByRole('main').getByRole('link', { name: 'My grants' }).click();
    await member.getByRole('heading', { level: 1, name: 'My grants' }).waitFor();
    for (const dataset of ['Public transit ridership by stop', 'Urban trip origin-destination matrix']) {
      await member.getByRole('row', { name: new RegExp(dataset) }).getByText('Active').waitFor();
    }
    await member.getByRole('link', { name: 'Urban trip origin-destination matrix' }).click();
    await member.getByRole('heading', { level: 1, name: 'Urban trip origin-destination matrix: grant' }).waitFor();
    await member.getByText('Publish only aggregates of at least 10 trips per cell.').waitFor();
    odGrantUrl = member.url();
  });

  it('the member downloads the granted file through the button: the bytes are the provider\'s file', async () => {
    const row = member.locator('.grant-files li').filter({ hasText: OD_MATRIX.fileName });
    expect(await row.locator('code').textContent()).toBe(createHash('sha256').update(OD_MATRIX.csv).digest('hex'));
    const [download] = await Promise.all([member.waitForEvent('download'), row.getByRole('button', { name: `Download ${OD_MATRIX.fileName}` }).click()]);
    const bytes = await readFile((await download.path())!);
    expect(bytes.equals(Buffer.from(OD_MATRIX.csv))).toBe(true);
    expect(download.suggestedFilename()).toBe(`urban-trip-origin-destination-matrix-v1-${OD_MATRIX.fileName}`);
  });

  it('the secretariat revokes that grant, and the member\'s next download is refused', async () => {
    const admin = await app.newPage();
    await signIn(admin, app.url, ADMIN);
    await admin.goto(odGrantUrl.replace('/grants/', '/admin/grants/'));
    const panel = admin.getByRole('region', { name: 'Revoke access' });
    await admin.locator('#f-reason').fill('The provider reported an error in this release of the matrix.');
    await panel.getByRole('button', { name: 'Revoke access…' }).click();
    await admin.getByRole('dialog', { name: 'Revoke this grant now?' }).getByRole('button', { name: 'Yes, revoke now' }).click();
    await admin.getByText('The grant is revoked. Downloads stopped at once.').waitFor();

    const row = member.locator('.grant-files li').filter({ hasText: OD_MATRIX.fileName });
    await row.getByRole('button', { name: `Download ${OD_MATRIX.fileName}` }).click();
    await member.getByText(/revoked/i).first().waitFor();
    await member.getByText('The provider reported an error in this release of the matrix.').first().waitFor();
    expect(await member.getByRole('button', { name: /^Download/ }).count()).toBe(0);
  });

  it('the member closes the revoked grant: deletion attested, outcomes reported, shown on the public register', async () => {
    await member.getByRole('heading', { name: 'Close the grant' }).waitFor();
    await field(member, 'attestation-deletedAt').fill(`${day(0)}T09:00`);
    await field(member, 'attestation-method').fill('Project workspace wiped; the downloaded matrix deleted from the laptop that held it.');
    await field(member, 'attestation-copies-0-location').fill('Project laptop');
    await field(member, 'attestation-statement').fill('No copy of the origin-destination matrix remains with Civic Data Lab.');
    await field(member, 'outcomeReport-outputs-0-title').fill('Ranked map of school corridors');
    await field(member, 'outcomeReport-indicators-0-result').fill('Two corridors funded');
    await field(member, 'outcomeReport-indicators-1-result').fill('Baseline recorded; first year pending');
    await field(member, 'outcomeReport-publicSummary').fill(SUMMARY);
    await member.getByRole('button', { name: 'Submit closure' }).click();
    await member.getByText('Closure sent: the grant is closed.').waitFor();
    await member.locator('.subtitle').getByText('Closed').waitFor();

    const visitor = await app.newPage();
    await visitor.goto(`${app.url}/public/projects`);
    const card = visitor.getByRole('listitem').filter({ has: visitor.getByRole('heading', { name: TITLE }) });
    await card.getByText('Civic Data Lab').waitFor();
    await card.getByText(SUMMARY).waitFor();
  });

  it('a draft can be withdrawn', async () => {
    await member.goto(`${app.url}/proposals/new`);
    await field(member, 'title').fill('A project we will not pursue');
    await member.getByRole('button', { name: 'Save draft' }).click();
    await member.waitForURL(/\/proposals\/[0-9a-f-]{36}\/edit/);
    await member.getByRole('link', { name: '← The proposal' }).click();
    await member.getByText('Withdraw this proposal').click();
    await member.getByRole('button', { name: 'Withdraw proposal' }).click();
    await member.locator('.subtitle').getByText('Withdrawn').waitFor();
    await member.goto(`${app.url}/proposals`);
    await member.getByRole('row', { name: /A project we will not pursue/ }).getByText('Withdrawn').waitFor();
    expect(await auditPage(member, 'member-proposals')).toEqual([]);
  });
});
