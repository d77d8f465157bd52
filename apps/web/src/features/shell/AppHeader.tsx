import { Button, Group, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { IconLogout, IconUser } from '../../components/icons';
import { LogoEasterEgg } from './LogoEasterEgg';

interface AppHeaderProps {
  username: string | undefined;
  onLogout: () => void;
  loggingOut: boolean;
  /** Page-specific controls (refresh and its timestamp on the keys page). */
  children?: ReactNode;
}

export function AppHeader({ username, onLogout, loggingOut, children }: AppHeaderProps) {
  return (
    <Group h="100%" px="lg" justify="space-between" wrap="nowrap" gap="md">
      <Group gap="sm" wrap="nowrap">
        <LogoEasterEgg />
        <Title order={2} size="h3" fw={700} lts={-0.3}>
          Keydash
        </Title>
      </Group>
      <Group gap="md" wrap="nowrap">
        {children}
        {username && (
          <Group gap={6} wrap="nowrap" visibleFrom="sm" data-testid="signed-in-user">
            <IconUser size={16} />
            <Text size="sm" fw={500}>
              {username}
            </Text>
          </Group>
        )}
        <Button
          variant="default"
          size="sm"
          leftSection={<IconLogout size={16} />}
          onClick={onLogout}
          loading={loggingOut}
        >
          Log out
        </Button>
      </Group>
    </Group>
  );
}
