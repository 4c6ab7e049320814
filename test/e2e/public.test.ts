import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPage, startApp, type E2eApp } from './support';

let app: E2eApp;

beforeAll(async () => {
  app = await startApp();
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

describe('public pages, without signing in', () => {
  it('the start page explains Accord and links to the public catalog and sign-in', async () => {
    const page = await app.newPage();
    await page.goto(app.url);
    await page.getByRole('heading', { level: 1, name: 'Accord data consortium' }).waitFor();
    await page.getByRole('link', { name: 'Public catalog' }).first().waitFor();
    expect(await auditPage(page, 'public-home')).toEqual([]);
  });

  it('the public catalog lists published datasets, searches and filters by theme', async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}/public/datasets`);
    await page.getByRole('link', { name: 'Urban trip origin-destination matrix' }).waitFor();
    expect(await page.locator('.dataset-card').count()).toBe(4);
    expect(await auditPage(page, 'public-catalog')).toEqual([]);

    await page.getByLabel('Search').fill('transit');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=transit/);
    await page.getByRole('link', { name: 'Public transit ridership by stop' }).waitFor();
    // The list reloads for the new query: wait for it to settle on the one match.
    await expect.poll(() => page.locator('.dataset-card').count()).toBe(1);
    await page.getByRole('link', { name: 'Public transit ridership by stop' }).waitFor();

    await page.getByLabel('Search').fill('');
    await page.getByLabel('Theme').selectOption('telecommunications');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/theme=telecommunications/);
    await page.getByRole('link', { name: 'Connectivity coverage by district' }).waitFor();
    await page.getByRole('link', { name: 'Public transit ridership by stop' }).waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.dataset-card').count()).toBe(2);

    await page.getByLabel('Search').fill('no such dataset anywhere');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No dataset matches this search.').waitFor();
  });

  it('a public dataset page shows its metadata and data dictionary', async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}/public/datasets`);
    await page.getByRole('link', { name: 'Public transit ridership by stop' }).click();
    await page.getByRole('heading', { level: 1, name: 'Public transit ridership by stop' }).waitFor();
    await page.getByRole('heading', { name: 'Data dictionary' }).waitFor();
    await page.getByRole('cell', { name: 'stop_id' }).waitFor();
    await page.getByRole('heading', { name: 'Quality statement' }).waitFor();
    expect(await auditPage(page, 'public-dataset')).toEqual([]);
  });

  it('an unknown dataset says so instead of showing an empty page', async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}/public/datasets/00000000-0000-4000-8000-000000000000`);
    await page.getByRole('alert').getByText('Dataset not found').waitFor();
  });

  it('the register of approved projects lists the seeded project, its datasets and period', async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}/public/projects`);
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Evening bus crowding in the southern districts' }) });
    await card.getByText('Running').waitFor();
    await card.getByText('Public transit ridership by stop').waitFor();
    await card.getByText('The outcome is published here when the project closes.').waitFor();
    expect(await auditPage(page, 'public-projects-running')).toEqual([]);
  });

  it('the sign-in page lists the demo users and is accessible', async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}/sign-in`);
    await page.getByRole('button', { name: /Sign in as Leo Civic/ }).waitFor();
    expect(await page.getByRole('button', { name: /^Sign in as/ }).count()).toBe(5);
    expect(await auditPage(page, 'sign-in')).toEqual([]);
  });

  it('a signed-in page sends a visitor to sign in first, and back afterwards', async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}/catalog`);
    await page.waitForURL(/\/sign-in$/);
    await page.getByRole('button', { name: /Sign in as Ana Andes/ }).click();
    await page.waitForURL(/\/catalog$/);
    await page.getByRole('heading', { level: 1, name: 'Catalog' }).waitFor();
    const stored = await page.evaluate(() => ({ session: sessionStorage.getItem('accord.session'), local: JSON.stringify(localStorage) }));
    expect(stored.session).toContain('accessToken');
    expect(stored.local).not.toContain('accessToken');
    expect(page.url()).not.toMatch(/token|eyJ/);
  });

  it('works at 360 px wide: the menu opens from a button and the catalog stays readable', async () => {
    const page = await app.newPage({ width: 360, height: 740 });
    await page.goto(`${app.url}/public/datasets`);
    await page.getByRole('link', { name: 'Urban trip origin-destination matrix' }).waitFor();
    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approved projects' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await auditPage(page, 'public-catalog-360')).toEqual([]);
  });

  it('is keyboard-usable: the first Tab reaches a visible skip link that moves to the content', async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}/public/datasets`);
    await page.getByRole('link', { name: 'Urban trip origin-destination matrix' }).waitFor();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return { text: el.textContent, outline: style.outlineStyle, top: el.getBoundingClientRect().top };
    });
    expect(focused.text).toBe('Skip to content');
    expect(focused.outline).not.toBe('none');
    expect(focused.top).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    // Following a link inside the app moves focus to the new page's heading, so it is announced.
    await page.getByRole('link', { name: 'Public transit ridership by stop' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Public transit ridership by stop' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  });
});
