import { ActionIcon, Group, Text, Tooltip } from '@mantine/core';
import { IconRefresh } from '../../components/icons';
import { formatClock, formatUtc } from './format';

interface RefreshControlProps {
  /** LiteLLM's keys on screen are as of this time. */
  updatedAt: Date | null;
  refreshing: boolean;
  /** Keydash holds newer keys than those on screen: invite a refresh. */
  newer?: boolean;
  onRefresh: () => void;
}

export function RefreshControl({
  updatedAt,
  refreshing,
  newer = false,
  onRefresh,
}: RefreshControlProps) {
  const label = newer ? 'Refresh keys: newer keys are available' : 'Refresh keys';
  return (
    <Group gap={6} wrap="nowrap">
      {updatedAt && (
        <Text
          size="sm"
          c="dimmed"
          title={formatUtc(updatedAt)}
          data-testid="updated-at"
          visibleFrom="xs"
        >
          Keys as of {formatClock(updatedAt)}
        </Text>
      )}
      <Tooltip label={label} withArrow>
        <ActionIcon
          variant={newer ? 'light' : 'default'}
          size="lg"
          onClick={onRefresh}
          loading={refreshing}
          aria-label="Refresh keys"
          aria-description={newer ? 'Newer keys are available' : undefined}
          data-newer={newer || undefined}
        >
          <IconRefresh size={18} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
