import { apiRequest, buildUrl } from '../../api/client';
import type { KeyFacetsOut, KeyPageOut } from '../../api/syncTypes';
import type { KeyFacetsQuery, KeysExportQuery, KeysQuery } from '../../api/types';

export const KEYS_QUERY_KEY = ['keys'] as const;
export const FACETS_QUERY_KEY = ['keys', 'facets'] as const;

export function fetchKeys(query: KeysQuery, signal?: AbortSignal): Promise<KeyPageOut> {
  return apiRequest<KeyPageOut>('/api/keys', { query, ...(signal ? { signal } : {}) });
}

export function fetchFacets(query: KeyFacetsQuery, signal?: AbortSignal): Promise<KeyFacetsOut> {
  return apiRequest<KeyFacetsOut>('/api/keys/facets', { query, ...(signal ? { signal } : {}) });
}

/**
 * Where the browser downloads the view from. The session cookie goes with a same-origin
 * navigation, and the API answers with Content-Disposition: attachment, so a plain link does.
 */
export function exportUrl(query: KeysExportQuery): string {
  return buildUrl('/api/keys/export', query);
}
