import { Paper, Stack, Text } from '@mantine/core';
import type { SyncProgress } from '../../../api/syncTypes';
import { formatLoaded } from '../format';
import { SyncProgressBar } from './SyncProgressBar';

/**
 * A slim note above a table answered from one LiteLLM page while the mirror loads: the rows
 * are real, but search, filters and most sorts wait for every key.
 */
export function SyncBanner({ progress }: { progress: SyncProgress }) {
  return (
    <Paper
      withBorder
      radius="md"
      px="md"
      py="xs"
      bg="orange.0"
      data-testid="sync-progress"
      data-variant="banner"
    >
      <Stack gap={6}>
        <Text size="sm" role="status" aria-live="polite">
          {`Search, filters and every sort are available once all keys are loaded (${formatLoaded(progress)}).`}
        </Text>
        <SyncProgressBar progress={progress} size="xs" label="Keys loaded from LiteLLM" />
      </Stack>
    </Paper>
  );
}
