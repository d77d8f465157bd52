import { Group, Stack, Text, Tooltip } from '@mantine/core';
import type { KeyOut } from '../../../api/types';
import { IconAlert } from '../../../components/icons';
import { Missing } from './Missing';

export function MaskedKeyCell({ record }: { record: KeyOut }) {
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap">
        {record.masked_key ? (
          <Text ff="monospace" size="sm" fw={600}>
            {record.masked_key}
          </Text>
        ) : (
          <Missing label="Key could not be read" />
        )}
        {record.partial && (
          <Tooltip label="Some fields LiteLLM sent for this key could not be read">
            <Text component="span" c="orange.9" lh={0} aria-label="Partly unreadable">
              <IconAlert size={14} />
            </Text>
          </Tooltip>
        )}
      </Group>
      {record.alias && (
        <Text size="xs" c="dimmed" data-testid="key-alias">
          {record.alias}
        </Text>
      )}
    </Stack>
  );
}
