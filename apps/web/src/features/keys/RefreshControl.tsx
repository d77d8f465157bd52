import { ActionIcon, Group, Text, Tooltip } from '@mantine/core';
import { IconRefresh } from '../../components/icons';
import { formatClock, formatUtc } from './format';

interface RefreshControlProps {
  updatedAt: Date | null;
  refreshing: boolean;
  onRefresh: () => void;
}

export function RefreshControl({ updatedAt, refreshing, onRefresh }: RefreshControlProps) {
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
          Updated {formatClock(updatedAt)}
        </Text>
      )}
      <Tooltip label="Refresh keys" withArrow>
        <ActionIcon
          variant="default"
          size="lg"
          onClick={onRefresh}
          loading={refreshing}
          aria-label="Refresh keys"
        >
          <IconRefresh size={18} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
