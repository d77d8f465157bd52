import { vi } from 'vitest';
import type { KeyOut, KeyPage } from '../api/types';

/**
 * An in-test stand-in for the Keydash backend at the fetch level, honouring docs/api.md:
 * cookie session (only sent with same-origin credentials), the error envelope, the login
 * throttle, and GET /api/keys search, sort and paging rules.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  params: URLSearchParams;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

interface ForcedError {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

type Forced = ForcedError | 'network';

const SORT_FIELDS = [
  'masked_key',
  'alias',
  'owner',
  'description',
  'created_at',
  'expires_at',
  'allowed_models',
  'tags',
  'spend',
  'max_budget',
  'status',
  'team_id',
] as const;
type SortField = (typeof SORT_FIELDS)[number];

export interface FakeApiOptions {
  keys?: KeyOut[];
  signedIn?: boolean;
  username?: string;
  password?: string;
  fetchedAt?: string;
  partialCount?: number;
  /** Keys LiteLLM holds beyond those the backend reads (MAX_KEYS), to fake truncation. */
  unreadKeys?: number;
}

let requestSeq = 0;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  requestSeq += 1;
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/json',
      'X-Request-ID': `req-${requestSeq}`,
      ...headers,
    },
  });
}

function error(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): Response {
  return json(status, { error: { code, message, request_id: `req-${requestSeq + 1}` } }, headers);
}

function sortValue(key: KeyOut, field: SortField): string | number | null {
  const value = key[field];
  if (Array.isArray(value)) return value.length ? value.join(',').toLowerCase() : null;
  if (typeof value === 'string') return value === '' ? null : value.toLowerCase();
  return value;
}

export class FakeApi {
  keys: KeyOut[];
  readonly requests: RecordedRequest[] = [];
  private session: { username: string; expired: boolean } | null;
  private readonly username: string;
  private readonly password: string;
  private readonly forced = new Map<string, Forced[]>();
  private readonly pending = new Map<string, Promise<void>>();
  fetchedAt: string;
  partialCount: number | null;
  unreadKeys: number;

  constructor(options: FakeApiOptions = {}) {
    this.keys = options.keys ?? [];
    this.username = options.username ?? 'admin';
    this.password = options.password ?? 'correct horse';
    this.session = options.signedIn === false ? null : { username: this.username, expired: false };
    this.fetchedAt = options.fetchedAt ?? '2026-11-23T09:00:00Z';
    this.partialCount = options.partialCount ?? null;
    this.unreadKeys = options.unreadKeys ?? 0;
  }

  /** The next request to `path` fails this way (queued: call again for more). */
  failNext(path: string, failure: Forced): void {
    this.forced.set(path, [...(this.forced.get(path) ?? []), failure]);
  }

  /** Requests to `path` wait until the returned function is called. */
  hold(path: string): () => void {
    let release = () => {};
    this.pending.set(path, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.pending.delete(path);
      release();
    };
  }

  expireSession(): void {
    if (this.session) this.session.expired = true;
  }

  get signedIn(): boolean {
    return this.session !== null && !this.session.expired;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  lastRequestTo(path: string): RecordedRequest | undefined {
    return this.requestsTo(path).at(-1);
  }

  install(): this {
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
      this.handle(input, init),
    );
    return this;
  }

  async handle(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(typeof input === 'string' ? input : input.toString(), 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const body: unknown = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    this.requests.push({
      method,
      path: url.pathname,
      params: url.searchParams,
      body,
      credentials: init.credentials,
    });

    await this.pending.get(url.pathname);
    const forced = this.forced.get(url.pathname)?.shift();
    if (forced === 'network') throw new TypeError('Failed to fetch');
    if (forced) return error(forced.status, forced.code, forced.message, forced.headers);

    const route = `${method} ${url.pathname}`;
    switch (route) {
      case 'POST /api/auth/login':
        return this.login(body);
      case 'POST /api/auth/logout':
        this.session = null;
        return json(204, null);
      case 'GET /api/auth/me':
        return this.withSession(init, (username) =>
          json(200, { username, expires_at: '2026-11-23T10:00:00Z' }),
        );
      case 'GET /api/keys':
        return this.withSession(init, () => this.listKeys(url.searchParams));
      case 'GET /api/healthz':
        return json(200, { status: 'ok' });
      default:
        return error(404, 'not_found', 'Not found');
    }
  }

  private login(body: unknown): Response {
    const { username, password } = (body ?? {}) as { username?: string; password?: string };
    if (username !== this.username || password !== this.password) {
      return error(401, 'invalid_credentials', 'Wrong username or password');
    }
    this.session = { username, expired: false };
    return json(200, {
      access_token: 'eyJ.fake.token',
      token_type: 'bearer',
      expires_at: '2026-11-23T10:00:00Z',
      expires_in: 3600,
      username,
    });
  }

  private withSession(init: RequestInit, ok: (username: string) => Response): Response {
    // The cookie is only attached to same-origin requests made with credentials.
    const cookieSent = init.credentials === 'same-origin' || init.credentials === 'include';
    if (!cookieSent || !this.session) return error(401, 'not_authenticated', 'Not authenticated');
    if (this.session.expired) return error(401, 'token_expired', 'Session expired');
    return ok(this.session.username);
  }

  private listKeys(params: URLSearchParams): Response {
    const page = Number(params.get('page') ?? '1');
    const size = Number(params.get('size') ?? '25');
    const search = params.get('search') ?? '';
    const sortBy = (params.get('sort_by') ?? 'created_at') as SortField;
    const sortOrder = params.get('sort_order') ?? 'desc';
    if (!Number.isInteger(page) || page < 1) return this.invalid('page', 'must be >= 1');
    if (!Number.isInteger(size) || size < 1 || size > 100)
      return this.invalid('size', 'must be between 1 and 100');
    if (search.length > 500) return this.invalid('search', 'at most 500 characters');
    if (!SORT_FIELDS.includes(sortBy)) return this.invalid('sort_by', 'unknown field');
    if (sortOrder !== 'asc' && sortOrder !== 'desc')
      return this.invalid('sort_order', 'asc or desc');

    const terms = search.toLowerCase().split(/\s+/).filter(Boolean);
    const matching = this.keys.filter((key) => {
      const haystack = [key.owner, key.description, key.alias, ...key.tags, ...key.allowed_models]
        .filter((value): value is string => typeof value === 'string')
        .map((value) => value.toLowerCase());
      return terms.every((term) => haystack.some((value) => value.includes(term)));
    });

    const byCreatedDesc = (a: KeyOut, b: KeyOut) =>
      (b.created_at ?? '').localeCompare(a.created_at ?? '') || a.id.localeCompare(b.id);
    const sorted = [...matching].sort((a, b) => {
      const va = sortValue(a, sortBy);
      const vb = sortValue(b, sortBy);
      if (va === null && vb === null) return byCreatedDesc(a, b);
      if (va === null) return 1; // empty values last in both orders
      if (vb === null) return -1;
      const cmp = va < vb ? -1 : va > vb ? 1 : 0;
      return (sortOrder === 'asc' ? cmp : -cmp) || byCreatedDesc(a, b);
    });

    const total = sorted.length;
    const result: KeyPage = {
      items: sorted.slice((page - 1) * size, page * size),
      page,
      size,
      total,
      total_pages: Math.max(1, Math.ceil(total / size)),
      total_keys: this.keys.length,
      store_total_keys: this.keys.length + this.unreadKeys,
      truncated: this.unreadKeys > 0,
      partial_count: this.partialCount ?? this.keys.filter((key) => key.partial).length,
      fetched_at: this.fetchedAt,
    };
    return json(200, result);
  }

  private invalid(field: string, message: string): Response {
    return json(422, {
      error: {
        code: 'invalid_query',
        message: `${field}: ${message}`,
        request_id: 'req-x',
        details: [{ field, message }],
      },
    });
  }
}

export function installFakeApi(options: FakeApiOptions = {}): FakeApi {
  return new FakeApi(options).install();
}
