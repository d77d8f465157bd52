import type {
  Freshness,
  KeyScope,
  StatusOut,
  SyncProgress,
  SyncStatus,
  UpstreamProblem,
} from '../api/syncTypes';

/**
 * The sync side of the fake backend (see FakeApi.sync): the per-replica mirror's state, the
 * key scope of Keydash's LiteLLM key, and whether the last refresh failed. Tests and the dev
 * fake drive it with startLoading / finishLoading / goStale / recover.
 */
export interface FakeSyncOptions {
  state?: SyncStatus['state'];
  progress?: SyncProgress;
  /** Set: the last refresh failed this way, so answers are stale. */
  lastError?: UpstreamProblem | null;
  keyScope?: Partial<KeyScope>;
  /** Seconds in the Retry-After of a `mirror_loading` 503. */
  retryAfter?: number;
  /** Sorts LiteLLM can answer by itself while the mirror loads. */
  litellmSorts?: string[];
}

/** Query parameters that make a view LiteLLM cannot answer from a single page. */
const NARROWING = [
  'search',
  'status',
  'expires_within_days',
  'never_expires',
  'all_models',
  'owner_missing',
  'team_missing',
  'unused_for_days',
  'never_used',
  'last_use_unknown',
  'zombie',
  'rotation_overdue',
  'no_rotation_policy',
  'budget_at_risk',
  'tag',
  'model',
  'team',
  'owner',
  'spend_share_at_least',
];

export class FakeSync {
  state: SyncStatus['state'];
  progress: SyncProgress;
  lastError: UpstreamProblem | null;
  lastSuccessAt: string | null = null;
  keyScope: KeyScope;
  retryAfter: number;
  litellmSorts: string[];

  constructor(options: FakeSyncOptions = {}) {
    this.state = options.state ?? 'ready';
    this.progress = options.progress ?? { loaded: 0, total: null, eta_seconds: null };
    this.lastError = options.lastError ?? null;
    this.retryAfter = options.retryAfter ?? 1;
    this.litellmSorts = options.litellmSorts ?? ['created_at'];
    this.keyScope = {
      scope: 'all',
      role: 'proxy_admin',
      user_id: null,
      visible_keys: null,
      warning: null,
      ...options.keyScope,
    };
  }

  get loading(): boolean {
    return this.state !== 'ready';
  }

  startLoading(progress: SyncProgress, state: SyncStatus['state'] = 'loading'): void {
    this.state = state;
    this.progress = progress;
  }

  finishLoading(): void {
    this.state = 'ready';
    if (this.progress.total !== null)
      this.progress = { ...this.progress, loaded: this.progress.total };
    this.progress = { ...this.progress, eta_seconds: null };
  }

  goStale(problem: UpstreamProblem): void {
    this.lastError = problem;
  }

  recover(): void {
    this.lastError = null;
  }

  /** While loading, only the default listing and sorts LiteLLM has answer (from one page). */
  answersWhileLoading(params: URLSearchParams): boolean {
    if (NARROWING.some((name) => params.has(name))) return false;
    return this.litellmSorts.includes(params.get('sort_by') ?? 'created_at');
  }

  freshness(asOf: string, source: Freshness['source'] = 'mirror'): Freshness {
    const stale = this.lastError !== null;
    return { as_of: asOf, stale, last_error: this.lastError, source };
  }

  status(asOf: string, mirroredKeys: number): StatusOut {
    const ready = !this.loading;
    return {
      sync: {
        state: this.state,
        progress: this.progress,
        last_success_at: ready ? (this.lastSuccessAt ?? asOf) : this.lastSuccessAt,
        last_error: this.lastError,
        mirrored_keys: ready ? mirroredKeys : this.progress.loaded,
        interval_seconds: 60,
      },
      key_scope: this.keyScope,
      freshness: this.freshness(asOf),
    };
  }

  /** The body and headers of the 503 a view gets while the mirror loads. */
  loadingAnswer(requestId: string): { body: unknown; headers: Record<string, string> } {
    const { loaded, total } = this.progress;
    const counted =
      total === null
        ? `${loaded}`
        : `${loaded.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`;
    return {
      body: {
        error: {
          code: 'mirror_loading',
          message: `Keydash is still loading keys from LiteLLM (${counted})...`,
          request_id: requestId,
          progress: this.progress,
        },
      },
      headers: { 'Retry-After': String(this.retryAfter) },
    };
  }
}
