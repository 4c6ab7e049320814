import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPage, signIn, startApp, type E2eApp } from './support';

const ADMIN = 'admin@secretariat.example';

let app: E2eApp;
let admin: Page;

beforeAll(async () => {
  app = await startApp();
  admin = await app.newPage();
  await signIn(admin, app.url, ADMIN);
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

const field = (id: string) => admin.locator(`#f-${id}`);

describe('the secretariat', () => {
  it('starts on the review queue, where the seeded proposal awaits Helios\' consent', async () => {
    await admin.waitForURL(/\/admin\/queue$/);
    await admin.getByRole('link', { name: 'Flood evacuation planning with present population' }).waitFor();
    // Sent back for changes, still a draft: neither is the secretariat's to decide now.
    expect(await admin.getByText('Connectivity and school attendance').count()).toBe(0);
    expect(await admin.getByText('Commuter flows for a bus rapid transit line').count()).toBe(0);
  });

  it('sees when Helios\' consent is due, and gives Helios more time, which the timeline records', async () => {
    await admin.getByRole('link', { name: 'Flood evacuation planning with present population' }).click();
    const awaited = admin.getByRole('region', { name: 'Consents awaited' });
    await awaited.getByText('The provider may answer until').waitFor();
    expect(await auditPage(admin, 'admin-consents-awaited')).toEqual([]);
    // Until the window closes, only more time can be given.
    expect(await awaited.getByRole('radio').count()).toBe(1);
    await awaited.getByRole('radio', { name: 'Give the provider more time' }).check();
    await awaited.getByLabel('Days more').fill('10');
    await awaited.getByRole('button', { name: 'Record' }).click();
    await admin.getByRole('status').filter({ hasText: 'Recorded on the timeline.' }).waitFor();
    await admin.getByText('Provider given more time').first().waitFor();
    await admin.setViewportSize({ width: 360, height: 800 });
    expect(await auditPage(admin, 'admin-consents-awaited-360')).toEqual([]);
    await admin.setViewportSize({ width: 1280, height: 800 });
    await admin.getByRole('link', { name: 'Review queue' }).first().click();
  });

  it('lists the organisations and admits a new one, told what is missing first', async () => {
    await admin.getByRole('link', { name: 'Organisations' }).click();
    await admin.getByRole('link', { name: 'Civic Data Lab' }).waitFor();
    expect(await admin.getByRole('row').count()).toBe(6); // the header and five organisations
    expect(await auditPage(admin, 'admin-organizations')).toEqual([]);

    await admin.getByRole('button', { name: 'Admit organisation' }).click();
    await admin.locator('#f-kinds-error').waitFor();
    expect(await admin.locator('#f-firstAdmin-email-error').isVisible()).toBe(true);

    await field('name').fill('Ministry of Transport');
    await admin.getByRole('checkbox', { name: /^Member/ }).check();
    await field('firstAdmin-name').fill('Mina Transport');
    await field('firstAdmin-email').fill('mina@transport.example');
    await admin.getByRole('button', { name: 'Admit organisation' }).click();
    await admin.getByText('Ministry of Transport was admitted.').waitFor();
    await admin.getByRole('link', { name: 'See its members' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Ministry of Transport' }).waitFor();
    await admin.getByRole('cell', { name: 'mina@transport.example' }).waitFor();
    expect(await auditPage(admin, 'admin-organization')).toEqual([]);
  });

  it('adds a member to its own organisation, and shows the API’s refusal of a taken email', async () => {
    await admin.getByRole('link', { name: 'My organisation' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Accord Secretariat' }).waitFor();
    await field('name').fill('Sam Again');
    await field('email').fill(ADMIN);
    await admin.getByRole('button', { name: 'Add member' }).click();
    // Already a user: the server's 409 names no field, so its message heads the form.
    await admin.getByRole('alert').filter({ hasText: 'admin@secretariat.example already belongs to an organisation' }).waitFor();

    await field('name').fill('Rita Reviewer');
    await field('email').fill('rita@secretariat.example');
    await admin.getByRole('checkbox', { name: /^Consortium admin/ }).check();
    await admin.getByRole('button', { name: 'Add member' }).click();
    await admin.getByText('Rita Reviewer (rita@secretariat.example) was added.').waitFor();
    await admin.getByRole('cell', { name: 'rita@secretariat.example' }).waitFor();
  });

  it('sets governance, with each value checked against its range', async () => {
    await admin.getByRole('link', { name: 'Governance' }).click();
    await field('maxGrantDays').waitFor();
    expect(await field('maxGrantDays').inputValue()).toBe('365');
    await field('providerResponseDays').fill('0');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.locator('#f-providerResponseDays-error').getByText('Enter a number from 1').waitFor();
    expect(await auditPage(admin, 'admin-governance')).toEqual([]);
    await field('providerResponseDays').fill('21');
    await field('maxGrantDays').fill('540');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.getByText('Saved.').waitFor();
    await admin.getByText(/Last changed .* by admin@secretariat\.example/).waitFor();

    const token = await app.token(ADMIN);
    const governance = await app.call<{ maxGrantDays: number; providerResponseDays: number }>(token, 'GET', '/v1/governance');
    expect(governance.body).toMatchObject({ maxGrantDays: 540, providerResponseDays: 21 });
  });

  it('sees who signed the agreement, publishes version 2, and is told to re-sign within the grace period', async () => {
    await admin.getByRole('link', { name: 'Agreement versions' }).click();
    const signatures = admin.getByRole('region', { name: 'Signatures' });
    await signatures.getByRole('cell', { name: 'Andes Development Bank' }).waitFor();
    expect(await signatures.getByRole('cell', { name: 'Civic Data Lab' }).count()).toBe(0);
    expect(await auditPage(admin, 'admin-agreement')).toEqual([]);

    await admin.getByText('Publish a new version').click();
    await field('text').fill('# Accord Common Data Agreement — version 2\n\nVersion 2 adds a duty to report incidents within 48 hours.');
    await field('graceDays').fill('14');
    await field('summary').fill('Incidents must now be reported within 48 hours.');
    await admin.getByRole('button', { name: 'Publish new version' }).click();
    await admin.getByText('Version 2 is published and in force.').waitFor();
    await admin.getByRole('status').filter({ hasText: /Version 2 of the common data agreement is in force/ }).waitFor();

    await admin.getByRole('link', { name: 'Sign it for the secretariat' }).click();
    await admin.getByRole('heading', { name: 'Accord Common Data Agreement — version 2' }).waitFor();
    await admin.getByLabel(/I have read version 2/).check();
    await admin.getByRole('button', { name: 'Sign version 2' }).click();
    await admin.getByText(/Signed version 2 for Accord Secretariat/).waitFor();
    await admin.getByText(/Version 2 of the common data agreement is in force/).waitFor({ state: 'detached' });
    // What changed, and the version every organisation signed before, stay on the page.
    await admin.getByText('What changed in version 2: Incidents must now be reported within 48 hours.').waitFor();
    const earlier = admin.getByRole('region', { name: 'Earlier versions' });
    await earlier.getByText(/^Version 1, published/).click();
    await earlier.getByRole('heading', { level: 3 }).first().waitFor();
    expect(await auditPage(admin, 'agreement-versions')).toEqual([]);
    await admin.setViewportSize({ width: 360, height: 800 });
    expect(await auditPage(admin, 'agreement-versions-360')).toEqual([]);
    await admin.setViewportSize({ width: 1280, height: 800 });
  });

  it('finds what it just did in the audit log', async () => {
    await admin.getByRole('link', { name: 'Audit log' }).click();
    const events = admin.getByRole('region', { name: 'Audit events' });
    await events.getByRole('row').filter({ hasText: 'Agreement signed' }).first().getByText('Version 2').waitFor();
    await events.getByRole('row').filter({ hasText: 'Agreement version published' }).filter({ hasText: 'Version 2' }).waitFor();
    await events.getByRole('row').filter({ hasText: 'Organisation admitted' }).filter({ hasText: 'Ministry of Transport' }).waitFor();
  });
});
