import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DATASETS } from '../../functions/local/demo/datasets';
import { auditPage, signIn, startApp, type E2eApp } from './support';

/**
 * The member side of a grant, on the seeded one: Andes Development Bank holds a running grant on
 * Northwind's ridership data, issued when its listed proposal was approved. The member reads the
 * notification, downloads a file, asks for a renewal; the secretariat revokes the grant (through
 * the API); the member sees the download refused, closes the grant, and the public register shows
 * the outcome summary without sign-in.
 */
const MEMBER = 'analyst@andes-bank.example';
const ADMIN = 'admin@secretariat.example';
const DATASET = 'Public transit ridership by stop';
const PROJECT = 'Evening bus crowding in the southern districts';
const SUMMARY = 'Evening buses in the southern districts were re-timed; the average evening load factor fell by a third.';
const ridership = DEMO_DATASETS.find((d) => d.metadata.title === DATASET)!;

let app: E2eApp;
let member: Page;
let grantId = '';

const addDays = (isoDate: string, days: number): string => new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const field = (page: Page, id: string) => page.locator(`#f-${id}`);
const navLink = (page: Page, name: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });

/** Axe at desktop width (on the page as it is) and at 360 px (the same address in a narrow page). */
async function auditBothWidths(page: Page, name: string, signInAs?: string): Promise<void> {
  const wide = await auditPage(page, name);
  if (wide.length) console.log('AXE', name, JSON.stringify(wide));
  expect(wide).toEqual([]);
  const narrow = await app.newPage({ width: 360, height: 740 });
  if (signInAs) await signIn(narrow, app.url, signInAs);
  await narrow.goto(page.url());
  await narrow.getByRole('heading', { level: 1 }).waitFor();
  await narrow.locator('.loading').first().waitFor({ state: 'detached' });
  const small = await auditPage(narrow, `${name}-360`);
  if (small.length) console.log('AXE', name, JSON.stringify(small));
  expect(small).toEqual([]);
  // Nothing wider than the screen but the scrolling tables.
  expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await narrow.context().close();
}

beforeAll(async () => {
  app = await startApp();
  member = await app.newPage();
  await signIn(member, app.url, MEMBER);
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

describe('a member organisation and its grant', () => {
  it('sees its unread notifications counted in the navigation, and marks the grant one read', async () => {
    const token = await app.token(MEMBER);
    const { body: before } = await app.call<{ unread: number; items: { kind: string; title: string }[] }>(token, 'GET', '/v1/notifications');
    expect(before.items.map((n) => n.kind)).toEqual(expect.arrayContaining(['grant_issued', 'proposal_decided']));
    const unread = before.unread;
    await navLink(member, new RegExp(`^Notifications\\W+${unread} unread$`)).click();
    await member.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const item = member.getByRole('listitem').filter({ hasText: `Access granted to ${DATASET}` });
    await item.getByText('Unread').waitFor();
    await member.getByText(`${unread} unread.`).waitFor();
    await auditBothWidths(member, 'member-notifications', MEMBER);

    await item.getByRole('button', { name: /^Mark as read/ }).click();
    await item.getByText('Unread').waitFor({ state: 'detached' });
    await navLink(member, new RegExp(`^Notifications\\W+${unread - 1} unread$`)).waitFor();
    await member.getByText(`${unread - 1} unread.`).waitFor();
    const inbox = await app.call<{ unread: number; items: { kind: string; read: boolean }[] }>(token, 'GET', '/v1/notifications');
    expect(inbox.body.unread).toBe(unread - 1);
    expect(inbox.body.items.find((n) => n.kind === 'grant_issued')?.read).toBe(true);

    // Opening another one from its link reads it too.
    await member.getByRole('link', { name: `Proposal approved: ${PROJECT}` }).click();
    await member.waitForURL(/\/proposals\/[0-9a-f-]{36}$/);
    await navLink(member, new RegExp(`^Notifications\\W+${unread - 2} unread$`)).waitFor();

    await member.goBack();
    await item.getByRole('link', { name: `Access granted to ${DATASET}` }).click();
    await member.waitForURL(/\/grants\/[0-9a-f-]{36}$/);
    grantId = /grants\/([0-9a-f-]{36})/.exec(member.url())![1]!;
  });

  it('lists its grants with state, dataset and period, and filters them by state', async () => {
    await navLink(member, /^My grants$/).click();
    await member.getByRole('heading', { level: 1, name: 'My grants' }).waitFor();
    const row = member.getByRole('row', { name: new RegExp(DATASET) });
    await row.getByText('Active').waitFor();
    await row.getByText(PROJECT).waitFor();
    await auditBothWidths(member, 'member-grants', MEMBER);

    await member.getByLabel('State').selectOption('revoked');
    await member.waitForURL(/state=revoked/);
    await member.getByText('No grant is revoked.').waitFor();
    await member.getByLabel('State').selectOption('active');
    await row.getByRole('link', { name: DATASET }).click();
    await member.waitForURL(new RegExp(`/grants/${grantId}$`));
  });

  it('opens the grant and downloads a file through the button: the bytes are the published file, the address stays', async () => {
    await member.getByRole('heading', { level: 1, name: `${DATASET}: grant` }).waitFor();
    await member.getByText('Publish only stop-level aggregates.').waitFor();
    await member.getByText(/CET|GMT\+1/).first().waitFor(); // instants say their time zone (the browser is in Europe/Madrid)
    const row = member.locator('.grant-files li').filter({ hasText: ridership.fileName });
    const listed = await row.locator('code').textContent();
    expect(listed).toBe(createHash('sha256').update(ridership.csv).digest('hex'));
    await auditBothWidths(member, 'member-grant', MEMBER);

    const before = member.url();
    const [download] = await Promise.all([member.waitForEvent('download'), row.getByRole('button', { name: `Download ${ridership.fileName}` }).click()]);
    const bytes = await readFile((await download.path())!);
    expect(bytes.equals(Buffer.from(ridership.csv))).toBe(true);
    expect(download.suggestedFilename()).toBe(`public-transit-ridership-by-stop-v1-${ridership.fileName}`);
    await member.getByText(/Your browser is saving/).waitFor();
    expect(member.url()).toBe(before);
    // The minted URL is in no link, no attribute and no storage of the app.
    expect(await member.content()).not.toContain('X-Amz-Signature');
    expect(await member.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }))).not.toContain('X-Amz');
  });

  it('asks for a renewal, checked before it is sent, and sees it pending', async () => {
    const token = await app.token(MEMBER);
    const { body: before } = await app.call<{ endDate: string }>(token, 'GET', `/v1/grants/${grantId}`);
    await member.getByRole('button', { name: 'Ask for the renewal' }).click();
    await member.getByRole('alert').getByText(/New end date: Enter a date/).waitFor();
    await field(member, 'endDate').fill(before.endDate);
    await field(member, 'reason').fill('The winter timetable change needs a second season of data.');
    await member.getByRole('button', { name: 'Ask for the renewal' }).click();
    await member.locator('#f-endDate-error').getByText('Choose a date after the current end date').waitFor();
    await field(member, 'endDate').fill(addDays(before.endDate, 30));
    await member.getByRole('button', { name: 'Ask for the renewal' }).click();
    await member.getByText('Renewal requested. The secretariat will review it.').waitFor();
    await member.getByText(/is awaiting review\. Awaiting .*a consortium admin's decision/).waitFor();
    await member.locator('.renewals').getByText('Awaiting review').waitFor();
    expect(await member.getByRole('button', { name: 'Ask for the renewal' }).count()).toBe(0);
  });

  it('is told plainly when the grant was revoked meanwhile, and sees why after a reload', async () => {
    const admin = await app.token(ADMIN);
    const revoked = await app.call(admin, 'POST', `/v1/grants/${grantId}/revoke`, { reason: 'The provider found a stop-level re-identification risk.' });
    expect(revoked.status).toBe(200);

    const row = member.locator('.grant-files li').filter({ hasText: ridership.fileName });
    await row.getByRole('button', { name: `Download ${ridership.fileName}` }).click();
    await member.getByRole('alert').getByText('This grant was revoked.').waitFor();
    // The page reads the grant again by itself: the reason, no more Download buttons, the closure form.
    await member.locator('.subtitle').getByText('Revoked').waitFor();
    await member.getByText('The provider found a stop-level re-identification risk.').first().waitFor();
    await member.getByRole('heading', { name: 'Close the grant' }).waitFor();

    await member.reload();
    await member.locator('.subtitle').getByText('Revoked').waitFor();
    await member.getByText('The provider found a stop-level re-identification risk.').first().waitFor();
    expect(await member.getByRole('button', { name: /^Download/ }).count()).toBe(0);
    await member.getByRole('region', { name: 'Obligations' }).getByText('Deletion attestation').waitFor();
    await member.getByRole('heading', { name: 'Close the grant' }).waitFor();
    await auditBothWidths(member, 'member-grant-revoked', MEMBER);
  });

  it('sees a banner on every page once a closure obligation is past its deadline', async () => {
    // The deadline is 30 days away; the grants answer is aged here so that it reads as past.
    const page = await app.newPage();
    await page.route((url) => url.pathname === '/v1/grants', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { items: { obligations: { dueAt: string; overdue: boolean }[] }[] };
      for (const g of body.items) for (const o of g.obligations) Object.assign(o, { dueAt: '2026-01-01T00:00:00.000Z', overdue: true });
      await route.fulfill({ response, json: body });
    });
    await signIn(page, app.url, MEMBER);
    const banner = page.getByRole('status').filter({ hasText: 'Closure overdue.' });
    await banner.getByText(/Andes Development Bank is late with the deletion attestation and outcome report of one grant/).waitFor();
    await page.getByRole('link', { name: 'Catalog', exact: true }).click();
    await banner.getByRole('link', { name: new RegExp(DATASET) }).click();
    await page.waitForURL(new RegExp(`/grants/${grantId}$`));
    await page.context().close();
  });

  it('closes the grant with a deletion attestation and an outcome report, each field checked first', async () => {
    await member.getByRole('button', { name: 'Submit closure' }).click();
    const summary = member.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.getByText(/Deleted on: Enter/).waitFor();
    await summary.getByRole('link', { name: 'Copy 1: where it was: Enter at least 2 characters' }).waitFor();
    await member.locator('#f-outcomeReport-publicSummary-error').waitFor();
    await member.locator('#f-attestation-copies-0-location-error').waitFor();
    // The proposal's indicators are there to answer.
    expect(await field(member, 'outcomeReport-indicators-0-indicator').inputValue()).toBe('Average evening load factor');
    expect(await field(member, 'outcomeReport-indicators-1-indicator').inputValue()).toBe('Passengers left at stops');

    await field(member, 'attestation-deletedAt').fill('2026-12-01T17:30');
    await field(member, 'attestation-method').fill('Encrypted analysis volume securely erased; object storage prefix and its versions deleted.');
    await field(member, 'attestation-copies-0-location').fill('Analysis server, Lima');
    await member.getByRole('button', { name: 'Add a copy' }).click();
    await field(member, 'attestation-copies-1-location').fill('Nightly backup');
    await field(member, 'attestation-copies-1-description').fill('Backup set expired and purged');
    await field(member, 'attestation-statement').fill('No copy of the ridership data remains with Andes Development Bank.');
    await field(member, 'outcomeReport-outputs-0-title').fill('Re-timed evening schedule');
    await field(member, 'outcomeReport-outputs-0-url').fill('not a link');
    await field(member, 'outcomeReport-indicators-0-result').fill('Down from 1.3 to 0.9');
    await field(member, 'outcomeReport-indicators-1-result').fill('Halved on the three worst routes');
    await field(member, 'outcomeReport-publicSummary').fill(SUMMARY);
    expect(await auditPage(member, 'member-grant-closure')).toEqual([]);
    await member.getByRole('button', { name: 'Submit closure' }).click();
    await member.locator('#f-outcomeReport-outputs-0-url-error').waitFor();
    await field(member, 'outcomeReport-outputs-0-url').fill('https://andes-bank.example/evening-buses');
    await member.getByRole('button', { name: 'Submit closure' }).click();

    await member.getByText('Closure sent: the grant is closed.').waitFor();
    await member.locator('.subtitle').getByText('Closed').waitFor();
    await member.getByRole('heading', { name: 'Deletion attestation' }).waitFor();
    await member.getByText('Backup set expired and purged', { exact: false }).waitFor();
    await member.getByRole('link', { name: 'Re-timed evening schedule' }).waitFor();
    await member.getByText(SUMMARY).waitFor();
    expect(await member.getByRole('heading', { name: 'Close the grant' }).count()).toBe(0);
    expect(await auditPage(member, 'member-grant-closed')).toEqual([]);

    const token = await app.token(MEMBER);
    const { body } = await app.call<{ state: string; attestation: { copies: unknown[]; files: string[]; deletedAt: string } }>(token, 'GET', `/v1/grants/${grantId}`);
    expect(body.state).toBe('closed');
    expect(body.attestation.copies).toHaveLength(2);
    expect(body.attestation.files.sort()).toEqual([ridership.fileName, ridership.fileName.replace('.csv', '-sample.csv')].sort());
    // 17:30 in Madrid (UTC+1 in December).
    expect(body.attestation.deletedAt).toBe('2026-12-01T16:30:00.000Z');
  });

  it('the public register shows the closed project and its outcome, without signing in', async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}/public/projects`);
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: PROJECT }) });
    await card.getByText('Andes Development Bank').waitFor();
    await card.getByText('Mobility and transport').waitFor();
    await card.getByRole('listitem').filter({ hasText: `${DATASET} (Northwind Mobility)` }).waitFor();
    await card.getByText('Closed', { exact: true }).waitFor();
    await card.getByText(SUMMARY).waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await auditBothWidths(page, 'public-projects');
  });
});
