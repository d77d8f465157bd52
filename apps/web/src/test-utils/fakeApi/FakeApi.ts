import { vi } from 'vitest';
import type { KeyOut } from '../../api/types';
import { FakeSync, type FakeSyncOptions } from '../fakeSync';
import { facets } from './facets';
import { error, invalid, json, nextRequestId } from './http';
import { type ListContext, listKeys } from './listKeys';
import { type UsageSpec, usageAnswer } from './usage';

/**
 * An in-test stand-in for the Keydash backend at the fetch level, honouring docs/api.md:
 * cookie session (only sent with same-origin credentials), the error envelope, the login
 * throttle, GET /api/keys search, filter, sort and paging rules, and GET /api/keys/facets
 * (each facet counted with its own filter lifted), GET /api/keys/{id}/usage, GET /api/status,
 * `freshness` on every answer and the 503 `mirror_loading` while the mirror loads (driven
 * through `sync`).
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

export interface FakeApiOptions {
  keys?: KeyOut[];
  signedIn?: boolean;
  username?: string;
  password?: string;
  fetchedAt?: string;
  partialCount?: number;
  /** Keys LiteLLM holds beyond those the backend reads (MAX_KEYS), to fake truncation. */
  unreadKeys?: number;
  /** The mirror's state, the key scope, staleness (see FakeSync). */
  sync?: FakeSyncOptions;
  /** Daily activity by key id (see UsageSpec); other keys answer a window of zeros. */
  usage?: Record<string, UsageSpec>;
}

const USAGE_PATH = /^\/api\/keys\/([^/]+)\/usage$/;

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
  usage: Record<string, UsageSpec>;
  readonly sync: FakeSync;

  constructor(options: FakeApiOptions = {}) {
    this.keys = options.keys ?? [];
    this.username = options.username ?? 'admin';
    this.password = options.password ?? 'correct horse';
    this.session = options.signedIn === false ? null : { username: this.username, expired: false };
    this.fetchedAt = options.fetchedAt ?? '2026-11-23T09:00:00Z';
    this.partialCount = options.partialCount ?? null;
    this.unreadKeys = options.unreadKeys ?? 0;
    this.usage = options.usage ?? {};
    this.sync = new FakeSync(options.sync);
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

    const params = url.searchParams;
    const usageOf = method === 'GET' ? USAGE_PATH.exec(url.pathname)?.[1] : undefined;
    if (usageOf !== undefined) {
      return this.withSession(init, () => this.keyUsage(decodeURIComponent(usageOf), params));
    }
    switch (`${method} ${url.pathname}`) {
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
        return this.withSession(init, () =>
          this.sync.loading && !this.sync.answersWhileLoading(params)
            ? this.mirrorLoading()
            : listKeys(params, this.context()),
        );
      case 'GET /api/keys/facets':
        return this.withSession(init, () =>
          this.sync.loading ? this.mirrorLoading() : facets(params, this.context()),
        );
      case 'GET /api/keys/export':
        return this.withSession(init, () =>
          this.sync.loading ? this.mirrorLoading() : json(200, this.keys),
        );
      case 'GET /api/status':
        return this.withSession(init, () =>
          json(200, this.sync.status(this.fetchedAt, this.keys.length)),
        );
      case 'GET /api/healthz':
        return json(200, { status: 'ok' });
      default:
        return error(404, 'not_found', 'Not found');
    }
  }

  private context(): ListContext {
    return {
      keys: this.keys,
      now: Date.parse(this.fetchedAt),
      fetchedAt: this.fetchedAt,
      unreadKeys: this.unreadKeys,
      partialCount: this.partialCount,
      sync: this.sync,
    };
  }

  private keyUsage(keyId: string, params: URLSearchParams): Response {
    const days = Number(params.get('days') ?? '30');
    if (!Number.isInteger(days) || days < 1 || days > 90) {
      return invalid('days', 'must be between 1 and 90');
    }
    if (this.sync.loading) return this.mirrorLoading();
    if (!this.keys.some((key) => key.id === keyId)) {
      return error(404, 'key_not_found', 'No key with this id.');
    }
    return json(200, usageAnswer(keyId, days, this.fetchedAt, this.usage[keyId]));
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

  private mirrorLoading(): Response {
    const { body, headers } = this.sync.loadingAnswer(nextRequestId());
    return json(503, body, headers);
  }
}

export function installFakeApi(options: FakeApiOptions = {}): FakeApi {
  return new FakeApi(options).install();
}
