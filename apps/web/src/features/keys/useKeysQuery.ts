import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { KEYS_QUERY_KEY, fetchKeys } from './api';
import { type TableState, toApiQuery } from './tableState';

export function useKeysQuery(state: TableState) {
  const query = toApiQuery(state);
  return useQuery({
    queryKey: [...KEYS_QUERY_KEY, query],
    queryFn: ({ signal }) => fetchKeys(query, signal),
    // Keep the last page on screen while the next one loads, so paging does not flash.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}
