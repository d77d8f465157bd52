import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../api/client';
import type { Freshness, KeyFacetsOut, KeyPageOut, StatusOut } from '../../api/syncTypes';
import type { KeyFacets, KeyPage } from '../../api/types';

export const STATUS_QUERY_KEY = ['status'] as const;

/** While the mirror loads, progress moves every few seconds; once ready, 30 s is plenty. */
export const STATUS_POLL_LOADING_MS = 3_000;
export const STATUS_POLL_READY_MS = 30_000;

export function fetchStatus(signal?: AbortSignal): Promise<StatusOut> {
  return apiRequest<StatusOut>('/api/status', signal ? { signal } : {});
}

export function isSyncLoading(status: StatusOut | undefined): boolean {
  return status !== undefined && status.sync.state !== 'ready';
}

/** GET /api/status: sync progress, the key scope and freshness, polled for the banners. */
export function useSyncStatus() {
  return useQuery({
    queryKey: STATUS_QUERY_KEY,
    queryFn: ({ signal }) => fetchStatus(signal),
    // A failed status check is not worth hammering: retry with the slow interval.
    refetchInterval: (query) =>
      isSyncLoading(query.state.data) ? STATUS_POLL_LOADING_MS : STATUS_POLL_READY_MS,
    staleTime: 2_000,
  });
}

/**
 * The answer's freshness. An answer from a backend without the field (an older replica during
 * a deploy) counts as fresh, as of its `fetched_at`.
 */
export function freshnessOf(answer: KeyPage | KeyFacets | KeyPageOut | KeyFacetsOut): Freshness {
  if ('freshness' in answer && answer.freshness) return answer.freshness;
  return { as_of: answer.fetched_at, stale: false, last_error: null, source: 'mirror' };
}
