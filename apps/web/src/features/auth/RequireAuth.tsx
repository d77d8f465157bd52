import { Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { isApiError } from '../../api/client';
import { loginErrorMessage } from './loginErrorMessage';
import { loginPathFor } from './safeNext';
import type { LoginLocationState } from './sessionState';
import { useMe } from './useMe';
import { type SessionLoss, describeLoss, useSessionLoss } from './useSessionLoss';

export function RequireAuth() {
  const me = useMe();
  const lossFromQueries = useSessionLoss();
  const loss = lossFromQueries ?? describeLoss(me.error, me.data !== undefined);

  if (loss) return <RedirectToLogin loss={loss} />;
  if (me.isPending) {
    return (
      <Center mih="100vh">
        <Loader aria-label="Checking your session" />
      </Center>
    );
  }
  // A failed background re-check (say, on returning to the tab) keeps the page: only a
  // first check that never succeeded blocks it.
  if (me.isError && me.data === undefined) {
    return (
      <Center mih="100vh">
        <Stack align="center" gap="sm" role="alert">
          <Text>
            {isApiError(me.error) ? loginErrorMessage(me.error) : 'Something went wrong.'}
          </Text>
          <Button variant="default" onClick={() => void me.refetch()}>
            Try again
          </Button>
        </Stack>
      </Center>
    );
  }
  return <Outlet />;
}

function RedirectToLogin({ loss }: { loss: SessionLoss }) {
  const navigate = useNavigate();
  const location = useLocation();
  const wanted = `${location.pathname}${location.search}`;

  // The login page empties the query cache when it mounts, so nothing fetched under the old
  // session survives for whoever signs in next.
  useEffect(() => {
    const state: LoginLocationState = { sessionExpired: loss.expired };
    void navigate(loginPathFor(wanted), { replace: true, state });
  }, [loss.expired, navigate, wanted]);

  return null;
}
