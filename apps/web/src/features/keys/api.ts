import { apiRequest } from '../../api/client';
import type { KeyPage, KeysQuery } from '../../api/types';

export const KEYS_QUERY_KEY = ['keys'] as const;

export function fetchKeys(query: KeysQuery, signal?: AbortSignal): Promise<KeyPage> {
  return apiRequest<KeyPage>('/api/keys', { query, ...(signal ? { signal } : {}) });
}
