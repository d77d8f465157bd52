import { useCallback, useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { type KeyFilters, normalizeFilters } from './filters';
import {
  type PageSize,
  type SortField,
  type SortOrder,
  type TableState,
  URL_KEYS,
  hasUrlState,
  parseUrlState,
  toUrlParams,
} from './tableState';
import { readStoredView, writeStoredView } from './viewStorage';

function withState(current: URLSearchParams, state: TableState): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const key of URL_KEYS) next.delete(key);
  // append, not set: a list filter repeats its parameter (tag=a&tag=b).
  for (const [key, value] of toUrlParams(state)) next.append(key, value);
  return next;
}

function save(state: TableState) {
  writeStoredView({
    size: state.size,
    search: state.search,
    sortBy: state.sortBy,
    sortOrder: state.sortOrder,
    filters: state.filters,
  });
}

/**
 * The table's view (search, filters, sort, page size, page) lives in the URL (so it can be shared) and is mirrored to localStorage (so
 * it survives coming back to plain /keys). A URL that carries any view parameter wins.
 */
export function useKeysTableState() {
  const [params, setParams] = useSearchParams();

  const state = useMemo<TableState>(
    () => (hasUrlState(params) ? parseUrlState(params) : { ...readStoredView(), page: 1 }),
    [params],
  );

  // Make the address bar show the view in canonical form (stored view adopted, junk dropped).
  useEffect(() => {
    save(state);
    const canonical = withState(params, state);
    if (canonical.toString() !== params.toString()) setParams(canonical, { replace: true });
  }, [state, params, setParams]);

  const update = useCallback(
    (patch: Partial<TableState>) => {
      const next = { ...state, ...patch };
      // Saved before the URL changes: a URL back at all defaults reads the view from storage.
      save(next);
      setParams((current) => withState(current, next), { replace: true });
    },
    [state, setParams],
  );

  return {
    state,
    setPage: useCallback((page: number) => update({ page }), [update]),
    setSize: useCallback((size: PageSize) => update({ size, page: 1 }), [update]),
    setSearch: useCallback((search: string) => update({ search, page: 1 }), [update]),
    setSort: useCallback(
      (sortBy: SortField, sortOrder: SortOrder) => update({ sortBy, sortOrder, page: 1 }),
      [update],
    ),
    /** Any change of filters shows the first page of the new selection. */
    setFilters: useCallback(
      (filters: KeyFilters) => update({ filters: normalizeFilters(filters), page: 1 }),
      [update],
    ),
  };
}
