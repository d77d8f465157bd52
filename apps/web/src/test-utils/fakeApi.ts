import { vi } from 'vitest';
import type { KeyFacetsOut, KeyPageOut } from '../api/syncTypes';
import type { KeyOut } from '../api/types';
import { FakeSync, type FakeSyncOptions } from './fakeSync';

/**
 * An in-test stand-in for the Keydash backend at the fetch level, honouring docs/api.md:
 * cookie session (only sent with same-origin credentials), the error envelope, the login
 * throttle, GET /api/keys search, filter, sort and paging rules, and GET /api/keys/facets
 * (each facet counted with its own filter lifted), GET /api/status, `freshness` on every
 * answer and the 503 `mirror_loading` while the mirror loads (driven through `sync`).
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
const STATUSES = ['active', 'expired', 'blocked'] as const;
const DAY_MS = 86_400_000;

/** The filters of GET /api/keys as the backend reads them (keydash_core.filters). */
interface Filters {
  status: string[];
  expires_within_days: number | null;
  never_expires: boolean;
  all_models: boolean;
  owner_missing: boolean;
  team_missing: boolean;
  tag: string[];
  model: string[];
  team: string[];
  owner: string[];
  spend_share_at_least: number | null;
}
type FilterName = keyof Filters;

class InvalidFilter extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function readFlag(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  if (value === null || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new InvalidFilter(name, 'must be a boolean');
}

function readFilters(params: URLSearchParams): Filters {
  const status = params.getAll('status').map((value) => value.trim().toLowerCase());
  if (status.some((value) => !(STATUSES as readonly string[]).includes(value))) {
    throw new InvalidFilter('status', 'must be one of: active, expired, blocked');
  }
  const daysRaw = params.get('expires_within_days');
  const days = daysRaw === null ? null : Number(daysRaw);
  if (days !== null && !(Number.isInteger(days) && days >= 1 && days <= 3650)) {
    throw new InvalidFilter('expires_within_days', 'must be between 1 and 3650');
  }
  const shareRaw = params.get('spend_share_at_least');
  const share = shareRaw === null ? null : Number(shareRaw);
  if (share !== null && !(Number.isFinite(share) && share > 0 && share <= 100)) {
    throw new InvalidFilter('spend_share_at_least', 'must be a number above 0 and at most 100');
  }
  const many = (name: string) => {
    const values = params.getAll(name);
    if (values.some((value) => !value.trim())) {
      throw new InvalidFilter(name, 'values must not be empty');
    }
    return values;
  };
  return {
    status,
    expires_within_days: days,
    never_expires: readFlag(params, 'never_expires'),
    all_models: readFlag(params, 'all_models'),
    owner_missing: readFlag(params, 'owner_missing'),
    team_missing: readFlag(params, 'team_missing'),
    tag: many('tag'),
    model: many('model'),
    team: many('team'),
    owner: many('owner'),
    spend_share_at_least: share,
  };
}

function reachesEveryModel(key: KeyOut): boolean {
  return key.allowed_models.length === 0 || key.allowed_models.some((m) => m.startsWith('all-'));
}

function spendShare(key: KeyOut): number | null {
  if (key.max_budget === null || key.max_budget <= 0) return null;
  return (key.spend ?? 0) / key.max_budget;
}

function expiresWithin(key: KeyOut, now: number, days: number): boolean {
  if (!key.expires_at) return false;
  const at = Date.parse(key.expires_at);
  return at > now && at <= now + days * DAY_MS;
}

/** Every filter but `lifted` holds for the key. */
function matchesFilters(key: KeyOut, f: Filters, now: number, lifted?: FilterName): boolean {
  const on = (name: FilterName) => name !== lifted;
  const share = spendShare(key);
  return (
    (!on('status') || !f.status.length || f.status.includes(key.status)) &&
    (!on('expires_within_days') ||
      f.expires_within_days === null ||
      expiresWithin(key, now, f.expires_within_days)) &&
    (!on('never_expires') || !f.never_expires || key.expires_at === null) &&
    (!on('all_models') || !f.all_models || reachesEveryModel(key)) &&
    (!on('owner_missing') || !f.owner_missing || key.owner === null) &&
    (!on('team_missing') || !f.team_missing || key.team_id === null) &&
    (!on('tag') || !f.tag.length || key.tags.some((tag) => f.tag.includes(tag))) &&
    (!on('model') || !f.model.length || key.allowed_models.some((m) => f.model.includes(m))) &&
    (!on('team') || !f.team.length || (key.team_id !== null && f.team.includes(key.team_id))) &&
    (!on('owner') || !f.owner.length || (key.owner !== null && f.owner.includes(key.owner))) &&
    (!on('spend_share_at_least') ||
      f.spend_share_at_least === null ||
      (share !== null && share >= f.spend_share_at_least))
  );
}

function matchesSearch(key: KeyOut, search: string): boolean {
  const terms = search.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = [key.owner, key.description, key.alias, ...key.tags, ...key.allowed_models]
    .filter((value): value is string => typeof value === 'string')
    .map((value) => value.toLowerCase());
  return terms.every((term) => haystack.some((value) => value.includes(term)));
}

function valueCounts(values: string[], limit: number, selected: string[]) {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const listed = ranked.slice(0, limit);
  for (const value of selected) {
    if (!listed.some(([v]) => v === value)) listed.push([value, counts.get(value) ?? 0]);
  }
  return { values: listed.map(([value, count]) => ({ value, count })), distinct: counts.size };
}

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
  readonly sync: FakeSync;

  constructor(options: FakeApiOptions = {}) {
    this.keys = options.keys ?? [];
    this.username = options.username ?? 'admin';
    this.password = options.password ?? 'correct horse';
    this.session = options.signedIn === false ? null : { username: this.username, expired: false };
    this.fetchedAt = options.fetchedAt ?? '2026-11-23T09:00:00Z';
    this.partialCount = options.partialCount ?? null;
    this.unreadKeys = options.unreadKeys ?? 0;
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
        return this.withSession(init, () =>
          this.sync.loading && !this.sync.answersWhileLoading(url.searchParams)
            ? this.mirrorLoading()
            : this.listKeys(url.searchParams),
        );
      case 'GET /api/keys/facets':
        return this.withSession(init, () =>
          this.sync.loading ? this.mirrorLoading() : this.facets(url.searchParams),
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
    let filters: Filters;
    try {
      filters = readFilters(params);
    } catch (cause) {
      if (cause instanceof InvalidFilter) return this.invalid(cause.field, cause.message);
      throw cause;
    }

    const now = Date.parse(this.fetchedAt);
    const matching = this.keys.filter(
      (key) => matchesSearch(key, search) && matchesFilters(key, filters, now),
    );

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
    const result: KeyPageOut = {
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
      freshness: this.sync.freshness(this.fetchedAt, this.sync.loading ? 'litellm_page' : 'mirror'),
    };
    return json(200, result);
  }

  private facets(params: URLSearchParams): Response {
    const search = params.get('search') ?? '';
    const limit = Number(params.get('limit') ?? '100');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      return this.invalid('limit', 'must be between 1 and 1000');
    }
    let f: Filters;
    try {
      f = readFilters(params);
    } catch (cause) {
      if (cause instanceof InvalidFilter) return this.invalid(cause.field, cause.message);
      throw cause;
    }
    const now = Date.parse(this.fetchedAt);
    const searched = this.keys.filter((key) => matchesSearch(key, search));
    const base = (lifted?: FilterName) =>
      searched.filter((key) => matchesFilters(key, f, now, lifted));
    const selected = base();
    const count = (lifted: FilterName, test: (key: KeyOut) => boolean) =>
      base(lifted).filter(test).length;
    const byStatus = base('status');
    const result: KeyFacetsOut = {
      total: selected.length,
      total_spend: selected.reduce((sum, key) => sum + (key.spend ?? 0), 0),
      status: {
        active: byStatus.filter((key) => key.status === 'active').length,
        expired: byStatus.filter((key) => key.status === 'expired').length,
        blocked: byStatus.filter((key) => key.status === 'blocked').length,
      },
      expires_within_days: [7, 30, 90].map((days) => ({
        days,
        count: count('expires_within_days', (key) => expiresWithin(key, now, days)),
      })),
      never_expires: count('never_expires', (key) => key.expires_at === null),
      all_models: count('all_models', reachesEveryModel),
      owner_missing: count('owner_missing', (key) => key.owner === null),
      team_missing: count('team_missing', (key) => key.team_id === null),
      spend_share_at_least: [0.5, 0.8, 1].map((share) => ({
        share,
        count: count('spend_share_at_least', (key) => (spendShare(key) ?? -1) >= share),
      })),
      tags: valueCounts(
        base('tag').flatMap((key) => [...new Set(key.tags)]),
        limit,
        f.tag,
      ),
      models: valueCounts(
        base('model').flatMap((key) => [...new Set(key.allowed_models)]),
        limit,
        f.model,
      ),
      teams: valueCounts(
        base('team').flatMap((key) => (key.team_id === null ? [] : [key.team_id])),
        limit,
        f.team,
      ),
      owners: valueCounts(
        base('owner').flatMap((key) => (key.owner === null ? [] : [key.owner])),
        limit,
        f.owner,
      ),
      total_keys: this.keys.length,
      store_total_keys: this.keys.length + this.unreadKeys,
      truncated: this.unreadKeys > 0,
      fetched_at: this.fetchedAt,
      freshness: this.sync.freshness(this.fetchedAt),
    };
    return json(200, result);
  }

  private mirrorLoading(): Response {
    const { body, headers } = this.sync.loadingAnswer(`req-${requestSeq + 1}`);
    return json(503, body, headers);
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
