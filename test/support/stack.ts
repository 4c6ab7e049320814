import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import type { Clock } from '../../shared/ports';
import { loadConfig } from '../../functions/config';
import { ensureTable } from '../../functions/local/create-table';
import { createLocalApp } from '../../functions/local/local-app';
import { seedDemo } from '../../functions/local/seed';
import { loadOrCreateIssuer } from '../../functions/local/token-issuer';

/** A clock tests can move forward. */
export class TestClock implements Clock {
  private current: number;
  constructor(start = Date.now()) {
    this.current = start;
  }
  now(): Date {
    return new Date(this.current);
  }
  advanceDays(days: number): void {
    this.current += days * 86_400_000;
  }
  set(at: number | string): void {
    this.current = typeof at === 'string' ? Date.parse(at) : at;
  }
}

export interface CallOptions {
  readonly as?: string;
  readonly token?: string;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

export interface CallResult<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/**
 * The whole API as `npm start` composes it, on a fresh table of the real DynamoDB Local and the
 * real S3 server that the global setup started, with the real local issuer and JWT verifier.
 * `dynamoEndpoint`: another DynamoDB Local instead (a file that pauses its store starts its own,
 * so files running beside it are not paused too).
 */
export async function createTestStack(options: { seed?: boolean; clock?: TestClock; dynamoEndpoint?: string; smtpUrl?: string; publicBaseUrl?: string } = {}) {
  const tableName = `accord-${randomUUID()}`;
  const dynamoEndpoint = options.dynamoEndpoint ?? inject('dynamoEndpoint');
  const config = loadConfig({
    TABLE_NAME: tableName,
    BUCKET_NAME: inject('bucket'),
    AUTH_MODE: 'local',
    AWS_REGION: 'eu-west-1',
    DYNAMODB_ENDPOINT: dynamoEndpoint,
    S3_ENDPOINT: inject('s3Endpoint'),
    MEMBERSHIP_CACHE_SECONDS: '30',
    // Email only in the files that ask for it (the local SMTP server, or a closed port to fail).
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...(options.publicBaseUrl ? { PUBLIC_BASE_URL: options.publicBaseUrl } : {}),
  });
  await ensureTable(
    new DynamoDBClient({ region: 'eu-west-1', endpoint: dynamoEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    tableName,
  );
  const issuer = await loadOrCreateIssuer({});
  const clock = options.clock ?? new TestClock();
  const local = createLocalApp({ config, issuer, clock });
  if (options.seed !== false) await seedDemo(local.deps, { reviewExamples: false });

  const tokens = new Map<string, string>();
  const token = async (email: string): Promise<string> => {
    const cached = tokens.get(email);
    if (cached) return cached;
    const response = await local.app.request('/local/token', { method: 'POST', body: JSON.stringify({ email }), headers: { 'content-type': 'application/json' } });
    if (response.status !== 200) throw new Error(`No token for ${email}: ${response.status} ${await response.text()}`);
    const { accessToken } = (await response.json()) as { accessToken: string };
    tokens.set(email, accessToken);
    return accessToken;
  };

  const call = async <T = any>(method: string, path: string, opts: CallOptions = {}): Promise<CallResult<T>> => {
    const headers: Record<string, string> = { ...opts.headers };
    const bearer = opts.token ?? (opts.as ? await token(opts.as) : undefined);
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await local.app.request(path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  };

  return { ...local, config, issuer, clock, token, call, tableName };
}
export type TestStack = Awaited<ReturnType<typeof createTestStack>>;

export const USERS = {
  admin: 'admin@secretariat.example',
  northwind: 'data@northwind.example',
  helios: 'data@helios.example',
  andes: 'analyst@andes-bank.example',
  civic: 'lead@civic-lab.example',
} as const;
