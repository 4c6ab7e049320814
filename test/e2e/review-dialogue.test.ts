import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPage, signIn, startApp, type E2eApp } from './support';

/** Issue 13, point 3, in the browser: a provider asks, the applicants answer, the provider reads it. */

const PROVIDER = 'data@helios.example';
const MEMBER = 'analyst@andes-bank.example';
const TITLE = 'Flood evacuation planning with present population';
const QUESTION = 'Will the shelter maps show anything below zone level?';
const ANSWER = 'No: every map is aggregated to evacuation zones.';

let app: E2eApp;
let provider: Page;
let member: Page;

beforeAll(async () => {
  app = await startApp();
  provider = await app.newPage();
  member = await app.newPage();
  await signIn(provider, app.url, PROVIDER);
  await signIn(member, app.url, MEMBER);
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

describe('a question about a proposal', () => {
  it('is asked by the provider from its review page, without answering the consent', async () => {
    await provider.getByRole('link', { name: 'Proposals to review' }).click();
    await provider.getByRole('link', { name: TITLE }).click();
    const ask = provider.getByRole('region', { name: 'Ask the applicants' });
    await ask.getByLabel('Your question').fill(QUESTION);
    await ask.getByRole('button', { name: 'Ask' }).click();
    await provider.getByText(`“${QUESTION}”`).or(provider.getByText(QUESTION)).first().waitFor();
    await provider.getByRole('heading', { name: 'Your answer' }).waitFor(); // the consent is still awaited
  });

  it('is answered by the applicants from their proposal\'s page', async () => {
    await member.goto(`${app.url}/proposals`);
    await member.getByRole('link', { name: TITLE }).click();
    const open = member.getByRole('region', { name: 'Questions to answer' });
    await open.getByText(QUESTION).waitFor();
    expect(await auditPage(member, 'member-question')).toEqual([]);
    await member.setViewportSize({ width: 360, height: 800 });
    expect(await auditPage(member, 'member-question-360')).toEqual([]);
    await member.setViewportSize({ width: 1280, height: 800 });
    await open.getByLabel('Your answer').fill(ANSWER);
    await open.getByRole('button', { name: 'Send answer' }).click();
    await open.waitFor({ state: 'detached' });
    await member.getByText(ANSWER).first().waitFor();
  });

  it('shows the answer to the provider in the proposal\'s timeline', async () => {
    await provider.reload();
    await provider.getByText(ANSWER).first().waitFor();
    expect(await auditPage(provider, 'provider-question-answered')).toEqual([]);
  });
});
