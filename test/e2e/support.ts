import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../functions/local/local-stack';

/** Where screenshots go (git-ignored). */
export const RESULTS_DIR = resolve('test-results/e2e');

export interface E2eApp {
  readonly url: string;
  readonly stack: LocalStack;
  readonly browser: Browser;
  /** A fresh browser context (its own sessionStorage) and page. */
  newPage(options?: { width?: number; height?: number }): Promise<Page>;
  /** An access token for a seeded user, for arranging state through the API. */
  token(email: string): Promise<string>;
  /** Calls the API as that token's user. */
  call<T = unknown>(token: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; etag: string | null }>;
  stop(): Promise<void>;
}

/**
 * Starts the whole local consortium (its own DynamoDB Local, S3 server, API and freshly built
 * web app, in a new data directory) and Debian's Chromium. Each test file gets its own.
 */
export async function startApp(): Promise<E2eApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'accord-e2e-'));
  await mkdir(RESULTS_DIR, { recursive: true });
  const stack = await startLocalStack({ port: 0, dataDir, buildWeb: true });
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  } catch (error) {
    await stack.stop();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  // Whatever the pages' Content-Security-Policy refused: the app must run under it untouched.
  const cspViolations: string[] = [];
  const call: E2eApp['call'] = async (token, method, path, body, headers = {}) => {
    const response = await fetch(stack.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => null)) as never, etag: response.headers.get('etag') };
  };
  return {
    url: stack.url,
    stack,
    browser,
    async newPage({ width = 1280, height = 800 } = {}) {
      const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true, locale: 'en-GB', timezoneId: 'Europe/Madrid' });
      contexts.push(context);
      const page = await context.newPage();
      // Generous for a page that answers in milliseconds; it only bounds how long a broken step hangs.
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
      });
      return page;
    },
    async token(email) {
      const response = await fetch(`${stack.url}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
      return ((await response.json()) as { accessToken: string }).accessToken;
    },
    call,
    async stop() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
      if (cspViolations.length > 0) throw new Error(`The Content-Security-Policy refused:\n${cspViolations.join('\n')}`);
    },
  };
}

/** Signs in on the local sign-in page as a seeded user and waits for their start page. */
export async function signIn(page: Page, url: string, email: string): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await page.getByRole('button', { name: new RegExp(email.replace(/[.]/g, '\\.')) }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null | undefined;
  readonly help: string;
  readonly targets: string[];
}

/**
 * Runs axe-core on the page as it is, screenshots it into test-results/e2e/<name>.png, and
 * returns the serious and critical violations (the ones a test fails on).
 */
export async function auditPage(page: Page, name: string): Promise<AxeViolation[]> {
  await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}
