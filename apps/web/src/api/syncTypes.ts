// The backend's new sync contract (GET /api/status, `freshness` on the key answers, the
// 503 `mirror_loading` error), declared by hand until src/api/schema.ts is regenerated from
// an OpenAPI document that has them. Keep these identical to the contract so they can be
// swapped for aliases of the generated types (see src/api/types.ts) without touching callers.
import type { KeyFacets, KeyPage } from './types';

export type UpstreamProblemCode =
  | 'upstream_unavailable'
  | 'upstream_timeout'
  | 'upstream_error'
  | 'upstream_auth_failed'
  | 'upstream_bad_response';

export interface UpstreamProblem {
  /** ISO datetime. */
  at: string;
  code: UpstreamProblemCode;
  message: string;
}

export interface Freshness {
  /** The data is LiteLLM's keys as of this time (ISO datetime). */
  as_of: string | null;
  /** True: the last refresh failed, data may be old. */
  stale: boolean;
  /** Set while stale: when and why. */
  last_error: UpstreamProblem | null;
  /** litellm_page: answered from one LiteLLM page while the mirror loads. */
  source: 'mirror' | 'litellm_page';
}

export interface SyncProgress {
  loaded: number;
  total: number | null;
  eta_seconds: number | null;
}

export interface SyncStatus {
  state: 'starting' | 'loading' | 'ready';
  progress: SyncProgress;
  last_success_at: string | null;
  last_error: UpstreamProblem | null;
  mirrored_keys: number;
  interval_seconds: number;
}

export interface KeyScope {
  scope: 'all' | 'own' | 'unknown';
  role: string | null;
  user_id: string | null;
  visible_keys: number | null;
  /** A plain sentence to show when scope is not "all". */
  warning: string | null;
}

export interface StatusOut {
  sync: SyncStatus;
  key_scope: KeyScope;
  freshness: Freshness;
}

/** GET /api/keys with the new field (`fetched_at` stays, equal to `freshness.as_of`). */
export type KeyPageOut = KeyPage & { freshness: Freshness };
/** GET /api/keys/facets with the new field. */
export type KeyFacetsOut = KeyFacets & { freshness: Freshness };

/** The `error` object of a 503 `mirror_loading` answer (besides code, message, request_id). */
export interface MirrorLoadingError {
  code: 'mirror_loading';
  message: string;
  request_id: string;
  progress: SyncProgress;
}
