import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedMail } from '../../functions/local/mail-server';
import { auditPage, signIn, startApp, type E2eApp } from './support';

const PROVIDER = 'data@northwind.example';
const MEMBER = 'analyst@andes-bank.example';
const TITLE = 'Bus stop heat shelters';

let app: E2eApp;
let provider: Page;

beforeAll(async () => {
  app = await startApp();
  provider = await app.newPage();
  await signIn(provider, app.url, PROVIDER);
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

/** What the local mail server received for `address`, through its REST API. */
async function mailFor(address: string): Promise<ReceivedMail[]> {
  return (await (await fetch(`${app.stack.mailUrl}/api/messages?to=${encodeURIComponent(address)}`)).json()) as ReceivedMail[];
}

describe('email', () => {
  it('emails the provider a proposal submitted for its consent, and the link opens that proposal in the web app', async () => {
    // Andes submits a proposal that asks for Northwind's consent-required data.
    const andes = await app.token(MEMBER);
    const catalog = await app.call<{ items: { id: string; metadata: { title: string } }[] }>(andes, 'GET', '/v1/datasets?limit=100');
    const od = catalog.body.items.find((d) => d.metadata.title === 'Urban trip origin-destination matrix')!;
    const draft = await app.call<{ id: string }>(andes, 'POST', '/v1/proposals', {
      title: TITLE,
      purpose: { category: 'climate-environment' },
      problem: 'Waiting passengers have no shade at the busiest stops during heat waves.',
      methods: 'Rank stops by afternoon boardings from district trip flows.',
      datasets: [{ datasetId: od.id, justification: 'Needed to know where people wait in the afternoon.' }],
      startDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      endDate: new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10),
      team: [MEMBER],
      expectedOutputs: 'A ranked list of stops for shelters.',
      publicBenefit: 'Shade where people wait longest.',
      impactIndicators: ['Shelters built at ranked stops'],
      confirmations: { noReidentification: true, noOnwardSharing: true, deletionAtEnd: true },
      listInPublicRegister: true,
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    expect((await app.call(andes, 'POST', `/v1/proposals/${draft.body.id}/submit`)).status).toBe(200);

    const mail = (await mailFor(PROVIDER)).filter((m) => m.subject.includes(TITLE));
    expect(mail).toHaveLength(1);
    const link = /href="([^"]+)"/.exec(mail[0]!.html!)![1]!.replace(/&amp;/g, '&');
    expect(link).toBe(`${app.url}/provider/reviews/${draft.body.id}`);
    expect(mail[0]!.text).toContain(link);

    await provider.goto(link);
    await provider.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await provider.getByRole('heading', { level: 2, name: 'Your answer' }).waitFor();
  });

  it('lets a user choose how they are emailed, from the notifications page, with obligations never off', async () => {
    await provider.goto(`${app.url}/notifications`);
    await provider.getByRole('link', { name: 'email preferences' }).click();
    await provider.getByRole('heading', { level: 1, name: 'Email preferences' }).waitFor();
    await provider.waitForLoadState('networkidle');
    expect(await auditPage(provider, 'email-preferences')).toEqual([]);
    // Obligations offer no "Off".
    const obligations = provider.getByRole('group', { name: /Obligations/ });
    expect(await obligations.getByRole('radio').count()).toBe(2);

    await provider.getByRole('group', { name: /Reviews and consents/ }).getByRole('radio', { name: 'In a daily digest' }).check();
    await provider.getByRole('group', { name: /Consortium news/ }).getByRole('radio', { name: 'Off' }).check();
    await provider.getByRole('button', { name: 'Save preferences' }).click();
    await provider.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    const stored = await app.call(await app.token(PROVIDER), 'GET', '/v1/me/email-preferences');
    expect(stored.body).toEqual({ reviews: 'daily', grants: 'immediately', obligations: 'immediately', news: 'off' });
  });

  it('shows the preferences without serious accessibility violations, and no wider than the screen, at 360 px', async () => {
    const narrow = await app.newPage({ width: 360, height: 740 });
    await signIn(narrow, app.url, PROVIDER);
    await narrow.goto(`${app.url}/settings/email`);
    await narrow.getByRole('heading', { level: 1, name: 'Email preferences' }).waitFor();
    await narrow.waitForLoadState('networkidle');
    expect(await auditPage(narrow, 'email-preferences-360')).toEqual([]);
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });

  it('shows every email in the local web inbox', async () => {
    const inbox = await app.newPage();
    await inbox.goto(app.stack.mailUrl);
    await inbox.getByRole('heading', { level: 1, name: 'Accord local inbox' }).waitFor();
    await inbox.getByRole('link', { name: new RegExp(TITLE) }).first().click();
    await inbox.getByRole('heading', { level: 2, name: 'Plain-text part' }).waitFor();
    expect(await auditPage(inbox, 'mail-inbox-message')).toEqual([]);
    await inbox.getByRole('link', { name: 'Open the HTML part' }).click();
    await inbox.getByRole('link', { name: 'Review the proposal' }).waitFor();
    await inbox.screenshot({ path: 'test-results/e2e/mail-html-part.png', fullPage: true });
  });
});
