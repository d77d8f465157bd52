import { useQuery } from '@tanstack/react-query';
import { ME_QUERY_KEY, fetchMe } from './api';

export function useMe() {
  return useQuery({
    queryKey: ME_QUERY_KEY,
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: 60_000,
    // Coming back to the tab re-checks the session, so an expiry shows up as a redirect
    // rather than as a failed table load later.
    refetchOnWindowFocus: true,
  });
}
