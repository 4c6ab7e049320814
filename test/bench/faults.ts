import { STORE_CALL_BOUND_MS, STORE_TIMEOUTS } from '../../functions/adapters/store-faults';
import type { LocalStack } from '../../functions/local/local-stack';
import { draftBody, tokenFor, withStack } from './latency';

/** One request of the drill, as the client saw it. */
interface Sample {
  readonly kind: 'read' | 'draft' | 'mint';
  readonly startedAt: number;
  readonly endedAt: number;
  readonly status: number;
  readonly retryAfter: string | null;
  /** The created proposal's id, for a 2xx draft. */
  readonly id?: string;
  /** The error code of a 4xx or 5xx answer. */
  readonly code?: string;
}

export interface FaultReport {
  readonly connections: number;
  readonly warmMs: number;
  readonly pausedMs: number;
  readonly afterMs: number;
  readonly boundMs: number;
  /** From the pause to the first 503 answered. */
  readonly firstUnavailableMs: number | null;
  /** Slowest answer to a request sent while the store was paused. */
  readonly slowestDuringPauseMs: number;
  /** From the resume to the first 2xx answer of a request sent after it. */
  readonly firstSuccessAfterResumeMs: number | null;
  /** From the resume to the last non-2xx answer (requests stuck behind the pause, then any stragglers). */
  readonly lastFailureAfterResumeMs: number | null;
  readonly byPhase: Record<'before' | 'paused' | 'after', Record<string, number>>;
  /** 503s without a Retry-After header (must be 0). */
  readonly unavailableWithoutRetryAfter: number;
  /** Answers 500, 502 or 504 (must be 0: a store that does not answer is a 503). */
  readonly otherServerErrors: number;
  /** 2xx drafts whose proposal is missing afterwards (must be 0). */
  readonly lostDrafts: number;
  readonly answeredDrafts: number;
  /** 2xx mints beyond the download events in the audit chain (must be 0). */
  readonly lostMints: number;
  readonly answeredMints: number;
  /** Proposals of the organisation with no event in their timeline (must be 0). */
  readonly proposalsWithoutEvents: number;
  readonly chainIntact: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * DynamoDB Local paused under load, as the attack did: `connections` clients loop over a catalog
 * read, a proposal draft (with an Idempotency-Key) and a download mint against a fresh local stack
 * (its own DynamoDB Local), for `warmMs` with the store answering, `pausedMs` with its Java process
 * stopped (SIGSTOP), and `afterMs` once it is continued. Then every 2xx write is looked for.
 */
export async function measureFaults(options: { connections?: number; warmMs?: number; pausedMs?: number; afterMs?: number } = {}): Promise<FaultReport> {
  const connections = options.connections ?? 20;
  const warmMs = options.warmMs ?? 3_000;
  const pausedMs = options.pausedMs ?? 10_000;
  const afterMs = options.afterMs ?? 10_000;
  return withStack(async (stack) => {
    const member = await tokenFor(stack, 'analyst@andes-bank.example');
    const admin = await tokenFor(stack, 'admin@secretariat.example');
    const get = async (path: string, token = member) =>
      (await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<any>;
    const datasetId = (await get('/v1/datasets?limit=20')).items.find((d: any) => !d.metadata.consentRequired).id;
    const grant = (await get('/v1/grants?state=active')).items[0];
    const fileId = (await get(`/v1/grants/${grant.id}/files`)).items[0].id;
    const mintsBefore = await downloadEvents(stack, grant.id);

    const samples: Sample[] = [];
    let counter = 0;
    const send = async (kind: Sample['kind']): Promise<void> => {
      const n = counter++;
      const init: RequestInit =
        kind === 'read'
          ? { headers: { authorization: `Bearer ${member}` } }
          : {
              method: 'POST',
              headers: {
                authorization: `Bearer ${member}`,
                'content-type': 'application/json',
                ...(kind === 'draft' ? { 'idempotency-key': `fault-drill-${n}` } : {}),
              },
              body: JSON.stringify(kind === 'draft' ? { ...draftBody(datasetId, 'analyst@andes-bank.example'), title: `Fault drill ${n}` } : { fileId }),
            };
      const path = kind === 'read' ? '/v1/datasets?limit=20' : kind === 'draft' ? '/v1/proposals' : `/v1/grants/${grant.id}/downloads`;
      const startedAt = performance.now();
      let status = 0;
      let retryAfter: string | null = null;
      let id: string | undefined;
      let code: string | undefined;
      try {
        const response = await fetch(`${stack.url}${path}`, init);
        status = response.status;
        retryAfter = response.headers.get('retry-after');
        const body = (await response.json().catch(() => null)) as any;
        if (kind === 'draft' && status < 300) id = body?.id;
        code = body?.error?.code;
      } catch {
        status = 0; // the connection itself failed: counted, never seen in practice
      }
      samples.push({ kind, startedAt, endedAt: performance.now(), status, retryAfter, id, code });
    };

    // Planned times end the clients' loops; the phases are cut at the moments the signals were sent.
    const endAt = performance.now() + warmMs + pausedMs + afterMs;
    let pauseAt = Infinity;
    let resumeAt = Infinity;
    const kinds: Sample['kind'][] = ['read', 'draft', 'mint'];
    const clients = Array.from({ length: connections }, async (_, c) => {
      for (let i = c; performance.now() < endAt; i++) await send(kinds[i % kinds.length]!);
    });
    const drill = (async () => {
      await sleep(warmMs);
      stack.dynamo.pause();
      pauseAt = performance.now();
      await sleep(pausedMs);
      stack.dynamo.resume();
      resumeAt = performance.now();
    })();
    await Promise.all([...clients, drill]);

    const phase = (s: Sample) => (s.startedAt < pauseAt ? 'before' : s.startedAt < resumeAt ? 'paused' : 'after');
    const byPhase = { before: {}, paused: {}, after: {} } as FaultReport['byPhase'];
    const label = (s: Sample) => (s.status >= 400 && s.status !== 503 ? `${s.status} ${s.kind} ${s.code}` : String(s.status));
    for (const s of samples) byPhase[phase(s)][label(s)] = (byPhase[phase(s)][label(s)] ?? 0) + 1;
    const unavailable = samples.filter((s) => s.status === 503 && s.endedAt >= pauseAt).sort((a, b) => a.endedAt - b.endedAt);
    const recovered = samples.filter((s) => s.startedAt >= resumeAt && s.status < 300).sort((a, b) => a.endedAt - b.endedAt);
    const failedAfter = samples.filter((s) => s.endedAt >= resumeAt && s.status >= 300).sort((a, b) => b.endedAt - a.endedAt);

    // Every 2xx write, looked for once the store answers again.
    const drafts = samples.filter((s) => s.kind === 'draft' && s.status < 300);
    let lostDrafts = 0;
    for (const s of drafts) if ((await fetch(`${stack.url}/v1/proposals/${s.id}`, { headers: { authorization: `Bearer ${member}` } })).status !== 200) lostDrafts++;
    const answeredMints = samples.filter((s) => s.kind === 'mint' && s.status < 300).length;
    const minted = (await downloadEvents(stack, grant.id)) - mintsBefore;
    let proposalsWithoutEvents = 0;
    for (const s of drafts) if (!(await get(`/v1/proposals/${s.id}/timeline`)).items?.length) proposalsWithoutEvents++;

    return {
      connections,
      warmMs,
      pausedMs,
      afterMs,
      boundMs: STORE_CALL_BOUND_MS,
      firstUnavailableMs: unavailable[0] ? unavailable[0].endedAt - pauseAt : null,
      slowestDuringPauseMs: Math.max(0, ...samples.filter((s) => phase(s) === 'paused').map((s) => s.endedAt - s.startedAt)),
      firstSuccessAfterResumeMs: recovered[0] ? recovered[0].endedAt - resumeAt : null,
      lastFailureAfterResumeMs: failedAfter[0] ? failedAfter[0].endedAt - resumeAt : null,
      byPhase,
      unavailableWithoutRetryAfter: samples.filter((s) => s.status === 503 && !s.retryAfter).length,
      otherServerErrors: samples.filter((s) => s.status >= 500 && s.status !== 503).length,
      lostDrafts,
      answeredDrafts: drafts.length,
      lostMints: Math.max(0, answeredMints - minted),
      answeredMints,
      proposalsWithoutEvents,
      chainIntact: (await get('/v1/audit/verify', admin)).intact === true,
    };
  }, { dynamoInMemory: true });
}

async function downloadEvents(stack: LocalStack, grantId: string): Promise<number> {
  const { events } = await stack.app.deps.audit.readChain();
  return events.filter((e) => e.action.endsWith('download_minted') && e.entity.id === grantId).length;
}

const ms = (value: number | null) => (value === null ? 'none' : `${(value / 1000).toFixed(2)} s`);
const counts = (byStatus: Record<string, number>) =>
  Object.entries(byStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ') || '—';

/** The BENCHMARKS.md section for a drill. */
export function faultsSection(r: FaultReport, command: string): string {
  const rows = [
    ['time to the first 503 after the pause', ms(r.firstUnavailableMs)],
    ['slowest answer to a request sent while paused', `${ms(r.slowestDuringPauseMs)} (bound per store call ${ms(r.boundMs)}; an API function has 10 s)`],
    ['first 2xx after the store was continued (a request sent after it)', ms(r.firstSuccessAfterResumeMs)],
    ['last non-2xx answered after the store was continued', ms(r.lastFailureAfterResumeMs)],
    ['answers before / during / after the pause (status: count)', `${counts(r.byPhase.before)} / ${counts(r.byPhase.paused)} / ${counts(r.byPhase.after)}`],
    ['503 without Retry-After', String(r.unavailableWithoutRetryAfter)],
    ['500, 502 or 504 answers', String(r.otherServerErrors)],
    ['requests lost: 2xx drafts whose proposal is missing', `${r.lostDrafts} of ${r.answeredDrafts}`],
    ['requests lost: 2xx mints without their audit event', `${r.lostMints} of ${r.answeredMints}`],
    ['proposals without events', String(r.proposalsWithoutEvents)],
    ['audit chain afterwards', r.chainIntact ? 'intact' : '**broken**'],
  ];
  const tableText = ['| measure | figure |', '| --- | --- |', ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join('\n');
  return (
    `## Faults: DynamoDB paused under load\n\n` +
    `A fresh local stack with its own DynamoDB Local (in memory); ${r.connections} clients loop over a catalog read (\`GET /v1/datasets\`), a proposal draft with an \`Idempotency-Key\` and a download mint on the seeded grant, ${ms(r.warmMs)} with the store answering, ${ms(r.pausedMs)} with its Java process stopped (SIGSTOP, as the attack did), then ${ms(r.afterMs)} after it is continued (SIGCONT). ` +
    `Store calls connect within ${STORE_TIMEOUTS.connectionMs} ms and answer within ${STORE_TIMEOUTS.requestMs} ms, ${STORE_TIMEOUTS.maxAttempts} attempts (\`functions/adapters/store-faults.ts\`); a store that does not answer is a 503 \`store_unavailable\` with \`Retry-After\`. ` +
    `Afterwards every 2xx draft is read back, the download events in the chain are counted against the 2xx mints, and the chain is verified. Run alone with \`${command}\`.\n\n${tableText}\n\n` +
    `Requests in flight when the store stops wait out both attempts of their call, so the first 503 comes about ${STORE_TIMEOUTS.maxAttempts} × ${STORE_TIMEOUTS.requestMs / 1000} s after the pause; requests in flight when the store is paused count under "before". ` +
    `A request sent in the last seconds of the pause can still be answered 2xx: its second attempt reaches the store after it is continued.`
  );
}
