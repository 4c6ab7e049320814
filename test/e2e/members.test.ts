import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPage, signIn, startApp, type E2eApp } from './support';

/**
 * People come and go, in the browser: an org-admin removes a member (behind a confirmation) whose
 * very next request is refused and who is signed out with the reason; roles change; the
 * secretariat suspends and reinstates an organisation.
 */
const ADMIN = 'admin@secretariat.example';
const ANDES = 'analyst@andes-bank.example';
const LEAVER = 'leaver@andes-bank.example';
const STAYER = 'stayer@andes-bank.example';

let app: E2eApp;
let andes: Page;
let leaver: Page;
let andesOrg: string;
let civicOrg: string;

beforeAll(async () => {
  app = await startApp();
  const token = await app.token(ANDES);
  andesOrg = ((await app.call<any>(token, 'GET', '/v1/me')).body).organization.id;
  civicOrg = ((await app.call<any>(await app.token('lead@civic-lab.example'), 'GET', '/v1/me')).body).organization.id;
  for (const [email, name] of [[LEAVER, 'Lee Leaver'], [STAYER, 'Stacy Stayer']] as const) {
    const added = await app.call(token, 'POST', `/v1/organizations/${andesOrg}/members`, { email, name, roles: ['member'] });
    if (added.status !== 201) throw new Error(JSON.stringify(added.body));
  }
  // The leaver is signed in in their own browser, with a token that stays valid.
  leaver = await app.newPage();
  await leaver.goto(`${app.url}/sign-in`);
  const leaverToken = await app.token(LEAVER);
  await leaver.evaluate((accessToken) => sessionStorage.setItem('accord.session', JSON.stringify({ accessToken, expiresAt: null })), leaverToken);
  await leaver.goto(`${app.url}/catalog`);
  await leaver.getByRole('button', { name: 'Sign out' }).waitFor();
  andes = await app.newPage();
  await signIn(andes, app.url, ANDES);
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

describe('an org-admin managing members', () => {
  it('shows each member with their actions, free of serious accessibility violations', async () => {
    await andes.goto(`${app.url}/organization`);
    await andes.getByRole('cell', { name: LEAVER }).waitFor();
    await andes.getByRole('button', { name: 'Remove Lee Leaver' }).waitFor();
    expect(await auditPage(andes, 'organization-members')).toEqual([]);
  });

  it('removes a member after a confirmation; the member\'s next request is refused and they are signed out, told why', async () => {
    await andes.getByRole('button', { name: 'Remove Lee Leaver' }).click();
    const dialog = andes.getByRole('dialog', { name: 'Remove Lee Leaver?' });
    await dialog.waitFor();
    expect(await auditPage(andes, 'organization-remove-confirm')).toEqual([]);
    await dialog.getByRole('button', { name: 'Remove member' }).click();
    await andes.getByRole('cell', { name: LEAVER }).waitFor({ state: 'detached' });

    // The leaver, still holding their token, moves on: the next request is refused.
    await leaver.getByRole('link', { name: 'Catalog' }).first().click().catch(() => leaver.reload());
    await leaver.reload();
    await leaver.getByText('not a member of any organisation').waitFor();
    expect(await leaver.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await auditPage(leaver, 'removed-member-signed-out')).toEqual([]);
  });

  it('changes a member\'s roles', async () => {
    const stacy = andes.getByRole('row', { name: /Stacy Stayer/ });
    await stacy.getByRole('button', { name: 'Change roles of Stacy Stayer' }).click();
    await stacy.getByRole('checkbox', { name: /^Org-admin/ }).check();
    expect(await auditPage(andes, 'organization-change-roles')).toEqual([]);
    await andes.getByRole('button', { name: 'Save roles' }).click();
    await andes.getByRole('row', { name: /Stacy Stayer/ }).getByRole('cell', { name: 'member, org-admin' }).waitFor();
  });

  it('shows the refusal to demote the last org-admin', async () => {
    // Stacy is org-admin too now; demote her back, then try the same with Andes' own admin.
    const stacy = andes.getByRole('row', { name: /Stacy Stayer/ });
    await stacy.getByRole('button', { name: 'Change roles of Stacy Stayer' }).click();
    await stacy.getByRole('checkbox', { name: /^Org-admin/ }).uncheck();
    await andes.getByRole('button', { name: 'Save roles' }).click();
    await andes.getByRole('row', { name: /Stacy Stayer/ }).getByRole('cell', { name: 'member', exact: true }).waitFor();
    const me = andes.getByRole('row', { name: new RegExp(ANDES.replace(/[.]/g, '\\.')) });
    await me.getByRole('button', { name: /^Remove/ }).click();
    await andes.getByRole('dialog').getByRole('button', { name: 'Remove member' }).click();
    await andes.getByRole('alert').filter({ hasText: 'last org-admin' }).waitFor();
  });

  it('fits a 360 px screen', async () => {
    const narrow = await app.newPage({ width: 360, height: 740 });
    await signIn(narrow, app.url, ANDES);
    await narrow.goto(`${app.url}/organization`);
    await narrow.getByRole('button', { name: 'Remove Stacy Stayer' }).waitFor();
    expect(await auditPage(narrow, 'organization-members-360')).toEqual([]);
  });
});

describe('an org-admin managing a grant\'s team', () => {
  it('adds a member to the team and takes them off again; off the team, their mint is refused', async () => {
    const token = await app.token(ANDES);
    const grant = (await app.call<any>(token, 'GET', '/v1/grants?state=active')).body.items[0];
    const fileId = (await app.call<any>(token, 'GET', `/v1/grants/${grant.id}/files`)).body.items[0].id;
    const stayer = await app.token(STAYER);
    const mint = async () => (await app.call<any>(stayer, 'POST', `/v1/grants/${grant.id}/downloads`, { fileId })).status;

    await andes.goto(`${app.url}/grants/${grant.id}`);
    await andes.getByRole('heading', { name: 'Project team' }).waitFor();
    expect(await auditPage(andes, 'grant-team')).toEqual([]);
    await andes.getByRole('checkbox', { name: /Stacy Stayer/ }).check();
    await andes.getByRole('button', { name: 'Save team' }).click();
    await andes.getByText('Team saved.').waitFor();
    expect(await mint()).toBe(201);

    await andes.getByRole('checkbox', { name: /Stacy Stayer/ }).uncheck();
    await andes.getByRole('button', { name: 'Save team' }).click();
    await andes.getByRole('status').filter({ hasText: 'Team saved.' }).waitFor();
    await expect.poll(mint).toBe(403);

    const narrow = await app.newPage({ width: 360, height: 740 });
    await signIn(narrow, app.url, ANDES);
    await narrow.goto(`${app.url}/grants/${grant.id}`);
    await narrow.getByRole('heading', { name: 'Project team' }).waitFor();
    expect(await auditPage(narrow, 'grant-team-360')).toEqual([]);
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });
});

describe('the secretariat suspending an organisation', () => {
  it('suspends after a confirmation, shows the reason, and reinstates', async () => {
    const civicToken = await app.token('lead@civic-lab.example');
    const admin = await app.newPage();
    await signIn(admin, app.url, ADMIN);
    await admin.goto(`${app.url}/admin/organizations/${civicOrg}`);
    await admin.getByRole('heading', { name: 'Suspension' }).waitFor();
    expect(await auditPage(admin, 'admin-organization-suspension')).toEqual([]);
    await admin.locator('#f-suspension-reason').fill('Unpaid consortium fees');
    await admin.getByRole('button', { name: 'Suspend organisation' }).click();
    await admin.getByRole('dialog', { name: 'Suspend Civic Data Lab?' }).getByRole('button', { name: 'Suspend' }).click();
    await admin.getByText('Unpaid consortium fees').waitFor();
    expect(await auditPage(admin, 'admin-organization-suspended')).toEqual([]);
    const civic = await app.call<any>(civicToken, 'GET', '/v1/me');
    expect({ status: civic.status, code: civic.body.error.code }).toEqual({ status: 403, code: 'organization_suspended' });

    const narrow = await app.newPage({ width: 360, height: 740 });
    await signIn(narrow, app.url, ADMIN);
    await narrow.goto(`${app.url}/admin/organizations/${civicOrg}`);
    await narrow.getByRole('button', { name: 'Reinstate organisation' }).waitFor();
    expect(await auditPage(narrow, 'admin-organization-suspended-360')).toEqual([]);

    await admin.getByRole('button', { name: 'Reinstate organisation' }).click();
    await admin.getByRole('button', { name: 'Suspend organisation' }).waitFor();
  });
});

describe('the secretariat offboarding an organisation', () => {
  it('suspends it and revokes its running grants, after a confirmation', async () => {
    const andesToken = await app.token(ANDES);
    const running = (await app.call<any>(andesToken, 'GET', '/v1/grants?state=active')).body.items.length;
    const admin = await app.newPage();
    await signIn(admin, app.url, ADMIN);
    await admin.goto(`${app.url}/admin/organizations/${andesOrg}`);
    await admin.getByRole('heading', { name: 'Offboarding' }).waitFor();
    await admin.locator('#f-offboarding-reason').fill('The bank left the consortium');
    await admin.getByRole('button', { name: 'Offboard organisation' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Offboard Andes Development Bank?' });
    await dialog.waitFor();
    expect(await auditPage(admin, 'admin-organization-offboard-confirm')).toEqual([]);
    await dialog.getByRole('button', { name: 'Offboard' }).click();
    await admin.getByRole('status').filter({ hasText: `Andes Development Bank was offboarded: ${running} running` }).waitFor();
    await admin.getByText('Suspended by admin@secretariat.example: The bank left the consortium').waitFor();
    expect(running).toBeGreaterThan(0);
    const grants = (await app.call<any>(await app.token(ADMIN), 'GET', '/v1/grants?view=all&state=active&limit=100')).body.items;
    expect(grants.filter((g: any) => g.granteeOrgId === andesOrg)).toEqual([]);
    expect(await auditPage(admin, 'admin-organization-offboarded')).toEqual([]);
  });
});

