import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { Freshness, KeyPageOut, StatusOut, SyncProgress } from '../../api/syncTypes';
import { parseDate } from '../keys/format';
import { KEYS_QUERY_KEY } from '../keys/api';
import { freshnessOf, isSyncLoading } from './api';
import { isMirrorLoading, mirrorProgress } from './mirrorLoading';

interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  dataUpdatedAt: number;
  isFetching: boolean;
}

export interface SyncView {
  /** The keys view answered `mirror_loading` and there is nothing to show: the progress panel. */
  panel: { progress: SyncProgress | null } | null;
  /** Rows are on screen but the mirror is not ready: the slim bar above the table. */
  banner: { progress: SyncProgress } | null;
  /** The facets answered `mirror_loading`: a quiet placeholder instead of "unavailable". */
  facetsLoading: boolean;
  /** The latest word on staleness, with `as_of` of the keys on screen. */
  freshness: Freshness | null;
  /** LiteLLM's keys on screen are as of this time. */
  asOf: Date | null;
  /** The mirror is not complete: exports (every key of a view) are refused meanwhile. */
  exportBlocked: boolean;
  /** The mirror holds newer keys than those on screen. */
  newerAvailable: boolean;
}

const NO_PROGRESS: SyncProgress = { loaded: 0, total: null, eta_seconds: null };

/** Combines the keys answer, the facets answer and GET /api/status into what the page shows. */
export function useSyncView(
  keys: QueryLike<KeyPageOut>,
  facets: { error: unknown },
  status: QueryLike<StatusOut>,
): SyncView {
  const syncLoading = isSyncLoading(status.data);
  const statusProgress = status.data?.sync.progress ?? null;
  const keysLoading = isMirrorLoading(keys.error);
  const onScreen = keys.data ? freshnessOf(keys.data) : null;
  useRefetchWhenSynced(status.data, onScreen?.source, keys.dataUpdatedAt, keys.isFetching);

  let banner: SyncView['banner'] = null;
  if (keys.data && keysLoading) {
    // A loaded view asked again, answered by a replica still loading: keep the rows.
    banner = { progress: mirrorProgress(keys.error) ?? statusProgress ?? NO_PROGRESS };
  } else if (keys.data && syncLoading && onScreen?.source === 'litellm_page' && statusProgress) {
    banner = { progress: statusProgress };
  }

  // Whichever answer came last knows best whether LiteLLM is answering now.
  const statusNewer = status.data !== undefined && status.dataUpdatedAt >= keys.dataUpdatedAt;
  const latest = statusNewer && status.data ? status.data.freshness : onScreen;
  const freshness = latest && { ...latest, as_of: onScreen?.as_of ?? latest.as_of };

  const asOf = parseDate(onScreen?.as_of);
  const mirrorAsOf = parseDate(status.data?.freshness.as_of);
  return {
    panel:
      keysLoading && !keys.data ? { progress: mirrorProgress(keys.error) ?? statusProgress } : null,
    banner,
    facetsLoading: isMirrorLoading(facets.error),
    freshness,
    asOf,
    exportBlocked: syncLoading || keysLoading,
    newerAvailable:
      asOf !== null && mirrorAsOf !== null && mirrorAsOf.getTime() - asOf.getTime() > 1000,
  };
}

/**
 * Once the mirror is ready, a view answered from a single LiteLLM page (or refused while
 * loading) is asked again, so the full view replaces it without a click. Once per answer.
 */
function useRefetchWhenSynced(
  status: StatusOut | undefined,
  source: Freshness['source'] | undefined,
  keysUpdatedAt: number,
  fetching: boolean,
) {
  const queryClient = useQueryClient();
  const previous = useRef(status?.sync.state);
  const handled = useRef<number | null>(null);
  const state = status?.sync.state;
  useEffect(() => {
    const becameReady =
      state === 'ready' && previous.current !== undefined && previous.current !== 'ready';
    previous.current = state;
    const partialView = state === 'ready' && source === 'litellm_page' && !fetching;
    if (becameReady || (partialView && handled.current !== keysUpdatedAt)) {
      handled.current = keysUpdatedAt;
      void queryClient.invalidateQueries({ queryKey: KEYS_QUERY_KEY });
    }
  }, [state, source, keysUpdatedAt, fetching, queryClient]);
}
