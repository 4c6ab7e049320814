import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { JobEntry, LambdaEntry } from '../../functions/lambda-entries';
import type { BundleReport } from './bundle';

export interface ColdStartReport {
  readonly name: string;
  readonly runs: number;
  /** Median wall time of `node runner bundle` minus the median of an empty `node runner`. */
  readonly initMs: number;
  readonly importMs: number;
  readonly firstRequestMs: number;
  readonly maxRssMb: number;
  /** The response's status; `import only` for a target without a request. */
  readonly status: number | 'import only';
  /** Whether Node loaded its own fetch implementation (undici) in any of the runs. */
  readonly fetchLoaded: boolean;
  /** The median wall time of the empty node process, subtracted from every function's. */
  readonly emptyNodeMs: number;
}

/** A bundle to time: its name and the path of the one request it answers (none: import only). */
export interface ColdStartTarget {
  readonly name: string;
  readonly requestPath?: string;
}

/**
 * The request a function answers in a cold-start run: `GET` of its first route without a token (a
 * 401 through router, auth middleware and error handler), `/health` for public; none for a job.
 */
export const firstRequestPath = (entry: LambdaEntry | JobEntry): string | undefined =>
  'routes' in entry ? (entry.name === 'public' ? '/health' : entry.routes[0]!.split(' ')[1]!.replace(/\{[^}]+\}/g, 'x')) : undefined;

const RUNNER = resolve('test/bench/cold-start-runner.mjs');

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The environment a deployed function has (no network is used: the request needs no token check). */
const LAMBDA_ENV = {
  PATH: process.env.PATH ?? '',
  TABLE_NAME: 'accord',
  BUCKET_NAME: 'accord-data',
  AUTH_MODE: 'cognito',
  COGNITO_USER_POOL_ID: 'eu-west-1_bench0000',
  COGNITO_CLIENT_ID: 'benchclient',
  // The catalog function refuses to start without its verification queue (no message is sent).
  VERIFICATION_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/bench-verification',
  // The mail functions refuse to start without their configuration set and the site's address (no email is sent).
  SES_CONFIGURATION_SET: 'bench-mail',
  PUBLIC_BASE_URL: 'https://accord.example',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  // NODE_EXTRA_CA_CERTS is deliberately absent: loading extra CA certificates costs every process.
};

/** What the runner reports from one fresh process. */
export interface RunnerOutput {
  readonly status: number;
  readonly importMs: number;
  readonly firstRequestMs: number;
  readonly maxRssKb: number;
  readonly fetchLoaded: boolean;
}

function timeProcess(args: string[]): { ms: number; stdout: string } {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env: LAMBDA_ENV, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`cold start run failed: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

/** Writes a bundle as deployed (`index.mjs` in a folder of its own under .bench/lambda); returns its path. */
function writeBundle(bundle: BundleReport): string {
  const dir = resolve('.bench/lambda', bundle.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.mjs'), bundle.code);
  return join(dir, 'index.mjs');
}

/** Runs a bundle once in a fresh node process: it answers one request (or, without a path, is only imported). */
export function runOnce(bundle: BundleReport, requestPath?: string): RunnerOutput {
  return JSON.parse(timeProcess([RUNNER, writeBundle(bundle), requestPath ?? '--import-only']).stdout) as RunnerOutput;
}

/**
 * Writes each bundle as deployed, then times `runs` fresh node processes that import it and
 * answer one request, interleaved with empty node processes so both see the same machine load.
 */
export function measureColdStarts(entries: readonly ColdStartTarget[], bundles: BundleReport[], runs = 21): ColdStartReport[] {
  const files = bundles.map(writeBundle);
  const empty: number[] = [];
  const samples = entries.map(() => [] as { ms: number; out: RunnerOutput }[]);
  timeProcess([RUNNER]); // warm the file-system cache
  for (let run = 0; run < runs; run++) {
    empty.push(timeProcess([RUNNER]).ms);
    entries.forEach((entry, i) => {
      const { ms, stdout } = timeProcess([RUNNER, files[i]!, entry.requestPath ?? '--import-only']);
      samples[i]!.push({ ms, out: JSON.parse(stdout) });
    });
  }
  const baseline = median(empty);
  return entries.map((entry, i) => {
    const s = samples[i]!;
    return {
      name: entry.name,
      runs,
      initMs: median(s.map((x) => x.ms)) - baseline,
      importMs: median(s.map((x) => x.out.importMs)),
      firstRequestMs: median(s.map((x) => x.out.firstRequestMs)),
      maxRssMb: median(s.map((x) => x.out.maxRssKb)) / 1024,
      status: entry.requestPath ? s[0]!.out.status : 'import only',
      fetchLoaded: s.some((x) => x.out.fetchLoaded),
      emptyNodeMs: baseline,
    };
  });
}

export const emptyNodeNote = 'empty `node` process (the same runner with no bundle), measured interleaved in the same run';
