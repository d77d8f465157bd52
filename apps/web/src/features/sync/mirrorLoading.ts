import { isApiError } from '../../api/client';
import type { SyncProgress } from '../../api/syncTypes';

/** The backend's 503 while its mirror of LiteLLM's keys is still loading. */
export const MIRROR_LOADING = 'mirror_loading';

/** Poll every 2 s unless Retry-After says otherwise, but never slower than every 10 s. */
const DEFAULT_POLL_MS = 2_000;
const MIN_POLL_MS = 1_000;
const MAX_POLL_MS = 10_000;

export function isMirrorLoading(error: unknown): boolean {
  return isApiError(error) && error.status === 503 && error.code === MIRROR_LOADING;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** The `progress` of a `mirror_loading` error, or null when absent or not the documented shape. */
export function mirrorProgress(error: unknown): SyncProgress | null {
  if (!isMirrorLoading(error) || !isApiError(error)) return null;
  const progress = error.body.progress;
  if (typeof progress !== 'object' || progress === null) return null;
  const { loaded, total, eta_seconds: eta } = progress as Record<string, unknown>;
  if (!isCount(loaded)) return null;
  return {
    loaded,
    total: isCount(total) ? total : null,
    eta_seconds: isCount(eta) ? eta : null,
  };
}

/** How long to wait before asking again after a `mirror_loading` answer. */
export function mirrorPollDelay(error: unknown): number {
  const seconds = isApiError(error) ? error.retryAfter : null;
  const ms = seconds === null ? DEFAULT_POLL_MS : seconds * 1000;
  return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, ms));
}

/**
 * A `refetchInterval` for queries the backend may answer with `mirror_loading`: keep asking
 * while it does, stop as soon as the view answers (or fails for another reason).
 */
export function pollWhileMirrorLoads(query: { state: { error: unknown } }): number | false {
  const error = query.state.error;
  return isMirrorLoading(error) ? mirrorPollDelay(error) : false;
}
