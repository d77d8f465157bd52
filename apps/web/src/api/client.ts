import type { components } from './schema';

type ErrorEnvelope = components['schemas']['ErrorEnvelope'];
type ErrorDetail = components['schemas']['ErrorDetail'];

/** Codes the client invents when no error envelope from the backend is available. */
export const CLIENT_ERROR_CODES = {
  /** fetch itself failed: offline, DNS, connection refused. */
  network: 'network_error',
  /** A proxy in front of the backend answered 5xx without the backend's envelope. */
  unreachable: 'server_unreachable',
  /** A 2xx or error body that is not the JSON the API documents. */
  unreadable: 'bad_response',
} as const;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status, or 0 when no response arrived at all. */
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  /** Seconds from the Retry-After header, when the server sent one. */
  readonly retryAfter: number | null;
  readonly details: ErrorDetail[];
  /**
   * The envelope's `error` object as sent, for fields particular to one code (e.g. `progress`
   * on `mirror_loading`); empty when there was no envelope.
   */
  readonly body: Readonly<Record<string, unknown>>;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    requestId?: string | null;
    retryAfter?: number | null;
    details?: ErrorDetail[];
    body?: Readonly<Record<string, unknown>>;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId ?? null;
    this.retryAfter = init.retryAfter ?? null;
    this.details = init.details ?? [];
    this.body = init.body ?? {};
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export function isUnauthorized(error: unknown): error is ApiError {
  return isApiError(error) && error.status === 401;
}

type QueryScalar = string | number | boolean | undefined | null;
/** An array is sent as the parameter repeated (`tag=a&tag=b`), the way the API reads lists. */
export type QueryValue = QueryScalar | readonly QueryScalar[];

export interface RequestOptions {
  method?: 'GET' | 'POST';
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  const add = (name: string, value: QueryScalar) => {
    // false is the API's default for every boolean filter: leaving it out keeps URLs short.
    if (value === undefined || value === null || value === '' || value === false) return;
    params.append(name, String(value));
  };
  for (const [name, value] of Object.entries(query ?? {})) {
    if (Array.isArray(value)) for (const item of value as readonly QueryScalar[]) add(name, item);
    else add(name, value as QueryScalar);
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * The one way the SPA talks to /api. The session travels only in the HttpOnly cookie, so every
 * request is same-origin with credentials and no token is ever read or stored by script.
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = {
    method: options.method ?? 'GET',
    credentials: 'same-origin',
    headers,
    signal: options.signal ?? null,
  };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({
      status: 0,
      code: CLIENT_ERROR_CODES.network,
      message: 'Keydash server is not reachable.',
    });
  }

  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError({
      status: response.status,
      code: CLIENT_ERROR_CODES.unreadable,
      message: 'Keydash server sent an answer that could not be read.',
      requestId: response.headers.get('X-Request-ID'),
    });
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const requestId = response.headers.get('X-Request-ID');
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  const envelope = await readEnvelope(response);
  if (envelope) {
    return new ApiError({
      status: response.status,
      code: envelope.error.code,
      message: envelope.error.message,
      requestId: envelope.error.request_id || requestId,
      retryAfter,
      details: envelope.error.details ?? [],
      body: envelope.error,
    });
  }
  // No envelope means the backend itself did not answer (NGINX or the dev proxy did).
  const unreachable = response.status >= 500;
  return new ApiError({
    status: response.status,
    code: unreachable ? CLIENT_ERROR_CODES.unreachable : CLIENT_ERROR_CODES.unreadable,
    message: unreachable
      ? 'Keydash server is not reachable.'
      : `Keydash server answered ${response.status} ${response.statusText}`.trim(),
    requestId,
    retryAfter,
  });
}

async function readEnvelope(response: Response): Promise<ErrorEnvelope | null> {
  try {
    const body: unknown = await response.json();
    if (isEnvelope(body)) return body;
  } catch {
    // fall through: not JSON
  }
  return null;
}

function isEnvelope(body: unknown): body is ErrorEnvelope {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error: unknown = body.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
