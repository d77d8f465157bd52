import './styles';
import {
  Alert,
  Box,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { TeamLogo } from '../shell/TeamLogo';
import { ME_QUERY_KEY, login } from './api';
import { loginErrorMessage } from './loginErrorMessage';
import { safeNext } from './safeNext';
import { isSessionExpiredState } from './sessionState';

export default function LoginPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  // Arriving here means no session: forget everything fetched under the previous one (the
  // protected pages are unmounted by now, so nothing refetches it).
  useEffect(() => {
    queryClient.clear();
  }, [queryClient]);

  const mutation = useMutation({
    mutationFn: login,
    onSuccess: (session) => {
      queryClient.setQueryData(ME_QUERY_KEY, session);
      void navigate(safeNext(searchParams.get('next')), { replace: true });
    },
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (mutation.isPending) return;
    mutation.mutate({ username: username.trim(), password });
  };

  const expired = isSessionExpiredState(location.state) && !mutation.isError;

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper
        component="main"
        withBorder
        shadow="sm"
        radius="lg"
        p="xl"
        w="100%"
        maw={400}
        style={{ borderTop: '4px solid var(--mantine-color-orange-8)' }}
      >
        <Stack gap="lg">
          <Stack gap={6} align="center">
            <TeamLogo size={48} />
            <Title order={1} size="h2">
              Keydash
            </Title>
            <Text c="dimmed" size="sm" ta="center">
              Sign in to see the LiteLLM virtual keys.
            </Text>
          </Stack>

          {expired && (
            <Alert role="status" color="orange" variant="light" data-testid="session-expired">
              Your session expired. Please sign in again.
            </Alert>
          )}

          <Box component="form" onSubmit={onSubmit} noValidate aria-label="Sign in">
            <Stack gap="md">
              <TextInput
                label="Username"
                name="username"
                autoComplete="username"
                autoFocus
                required
                value={username}
                onChange={(event) => setUsername(event.currentTarget.value)}
              />
              <PasswordInput
                label="Password"
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(event) => setPassword(event.currentTarget.value)}
              />
              {mutation.isError && (
                <Alert color="red" variant="light" data-testid="login-error">
                  {loginErrorMessage(mutation.error)}
                </Alert>
              )}
              <Button
                type="submit"
                fullWidth
                loading={mutation.isPending}
                disabled={!username.trim() || !password}
              >
                Sign in
              </Button>
            </Stack>
          </Box>
        </Stack>
      </Paper>
    </Center>
  );
}
