import { useQuery } from '@tanstack/react-query';
import { apiRequest, isApiError } from '../../../../api/client';
import type { KeyUsage, KeyUsageQuery } from '../../../../api/types';

/** The drawer's window: the API's default, up to today (UTC). */
export const USAGE_DAYS = 30;

export function usageQueryKey(keyId: string, days: number) {
  return ['keys', 'usage', keyId, days] as const;
}

export function fetchKeyUsage(keyId: string, days: number, signal?: AbortSignal) {
  const query: KeyUsageQuery = { days };
  return apiRequest<KeyUsage>(`/api/keys/${encodeURIComponent(keyId)}/usage`, {
    query,
    ...(signal ? { signal } : {}),
  });
}

/**
 * Asked again only when the request never reached Keydash (status 0), once. A 4xx will not
 * change by asking again, and on 502/504 the backend has already retried LiteLLM: the panel
 * says why at once and offers "Retry".
 */
export function retryUsage(failureCount: number, error: unknown): boolean {
  return failureCount < 1 && isApiError(error) && error.status === 0;
}

/** One key's daily usage; the backend keeps LiteLLM's answer a minute, so does the cache. */
export function useKeyUsage(keyId: string, days: number = USAGE_DAYS) {
  return useQuery({
    queryKey: usageQueryKey(keyId, days),
    queryFn: ({ signal }) => fetchKeyUsage(keyId, days, signal),
    staleTime: 60_000,
    retry: retryUsage,
  });
}
