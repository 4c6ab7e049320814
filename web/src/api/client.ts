import type { ErrorResponse } from '../../../shared/schemas/common';

/**
 * An API failure as the server described it: `{ error: { code, message, details } }`, with the
 * HTTP status. `field` names the input at fault when the server said which (400s, some 409s).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get field(): string | undefined {
    return typeof this.details.field === 'string' ? this.details.field : undefined;
  }
}

export interface ApiResult<T> {
  readonly data: T;
  /** The ETag the server sent (the item's revision), for a later `If-Match`. */
  readonly etag: string | null;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly query?: Record<string, string | number | undefined | null>;
  readonly ifMatch?: string;
  readonly idempotencyKey?: string;
  /** Send the bearer token (default true); public routes and the local sign-in need none. */
  readonly auth?: boolean;
}

interface ClientSettings {
  baseUrl: string;
  token: () => string | null;
  /** The server no longer accepts the caller: no valid token (401), or removed or suspended (403); `notice` says why. */
  onUnauthorized: (notice?: string) => void;
}

/** 403 codes that mean the caller as a whole is refused, not this one action: they are signed out, told why. */
const CALLER_REFUSED = new Set(['not_a_member', 'organization_suspended']);

const settings: ClientSettings = { baseUrl: '', token: () => null, onUnauthorized: () => undefined };

/** Where the API is, where the token comes from, and what to do when the server no longer accepts it. */
export function configureApi(next: Partial<ClientSettings>): void {
  Object.assign(settings, next);
}

export function buildUrl(base: string, path: string, query?: RequestOptions['query']): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const qs = search.toString();
  return `${base}${path}${qs ? `?${qs}` : ''}`;
}

const isErrorResponse = (value: unknown): value is ErrorResponse =>
  typeof value === 'object' && value !== null && typeof (value as ErrorResponse).error?.code === 'string';

/** Turns any non-2xx response into an ApiError, whether or not the body is the API's error shape. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  if (isErrorResponse(body)) {
    return new ApiError(response.status, body.error.code, body.error.message, body.error.details ?? {});
  }
  return new ApiError(response.status, `http_${response.status}`, `The server answered ${response.status} ${response.statusText}`.trim());
}

/** One call to the API. Throws ApiError for every failure, including the network's. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch) headers['if-match'] = options.ifMatch;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const token = options.auth === false ? null : settings.token();
  if (token) headers.authorization = `Bearer ${token}`;

  let response: Response;
  try {
    response = await fetch(buildUrl(settings.baseUrl, path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'The server could not be reached. Check your connection and try again.');
  }
  if (!response.ok) {
    const error = await errorFromResponse(response);
    if (response.status === 401 && options.auth !== false) settings.onUnauthorized();
    if (response.status === 403 && options.auth !== false && CALLER_REFUSED.has(error.code)) settings.onUnauthorized(error.message);
    throw error;
  }
  const data = (response.status === 204 ? undefined : await response.json()) as T;
  return { data, etag: response.headers.get('etag') };
}

/** A fresh key for a creating POST; reuse it when retrying the same submission. */
export const newIdempotencyKey = (): string => crypto.randomUUID();
