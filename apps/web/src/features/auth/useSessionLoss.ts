import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { isUnauthorized } from '../../api/client';
import { ME_QUERY_KEY } from './api';

export interface SessionLoss {
  /** True when a live session ended (as opposed to never having signed in). */
  expired: boolean;
}

export function describeLoss(error: unknown, wasSignedIn: boolean): SessionLoss | null {
  if (!isUnauthorized(error)) return null;
  return { expired: error.code === 'token_expired' || wasSignedIn };
}

/**
 * Watches every query for a 401, so whichever request notices first (the table, a refresh,
 * the session check) sends the user to the login page.
 */
export function useSessionLoss(): SessionLoss | null {
  const queryClient = useQueryClient();
  const [loss, setLoss] = useState<SessionLoss | null>(null);

  useEffect(
    () =>
      queryClient.getQueryCache().subscribe((event) => {
        if (event.type !== 'updated' || event.action.type !== 'error') return;
        const wasSignedIn = queryClient.getQueryData(ME_QUERY_KEY) !== undefined;
        const next = describeLoss(event.action.error, wasSignedIn);
        if (next) setLoss((current) => current ?? next);
      }),
    [queryClient],
  );

  return loss;
}
