import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { pollWhileMirrorLoads } from '../sync/mirrorLoading';
import { FACETS_QUERY_KEY, KEYS_QUERY_KEY, fetchFacets, fetchKeys } from './api';
import { type TableState, toApiQuery, toFacetsQuery } from './tableState';

export function useKeysQuery(state: TableState) {
  const query = toApiQuery(state);
  return useQuery({
    queryKey: [...KEYS_QUERY_KEY, query],
    queryFn: ({ signal }) => fetchKeys(query, signal),
    // Keep the last page on screen while the next one loads, so paging does not flash.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    // 503 mirror_loading: not an error to show, the view opens once the mirror is loaded.
    refetchInterval: pollWhileMirrorLoads,
  });
}

/** Counts for the filter bar and the summary cards; paging and sorting do not change them. */
export function useKeyFacetsQuery(state: TableState) {
  const query = toFacetsQuery(state);
  return useQuery({
    queryKey: [...FACETS_QUERY_KEY, query],
    queryFn: ({ signal }) => fetchFacets(query, signal),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    refetchInterval: pollWhileMirrorLoads,
  });
}
