import { Paper, Stack, Text } from '@mantine/core';
import type { SyncProgress } from '../../../api/syncTypes';
import { formatEta, formatLoaded } from '../format';
import { SyncProgressBar } from './SyncProgressBar';

/** "Loading keys from LiteLLM: 4,200 of 10,000 (about 12 s left)". */
export function loadingSentence(progress: SyncProgress | null): string {
  if (!progress) return 'Loading keys from LiteLLM…';
  const eta = formatEta(progress.eta_seconds);
  return `Loading keys from LiteLLM: ${formatLoaded(progress)}${eta ? ` (${eta})` : ''}`;
}

/**
 * Shown in place of the table while the backend answers this view with `mirror_loading`:
 * not an error, the view opens by itself once every key is loaded. Same footprint as the
 * table, so the page does not jump when it does.
 */
export function SyncProgressPanel({ progress }: { progress: SyncProgress | null }) {
  return (
    <Paper
      withBorder
      radius="md"
      mih={360}
      p="xl"
      display="flex"
      data-testid="sync-progress"
      data-variant="panel"
      style={{ alignItems: 'center', justifyContent: 'center' }}
    >
      <Stack gap="sm" w="100%" maw={560}>
        <Text fw={600} role="status" aria-live="polite" data-testid="sync-progress-text">
          {loadingSentence(progress)}
        </Text>
        <SyncProgressBar progress={progress} size="lg" label="Keys loaded from LiteLLM" />
        <Text size="sm" c="dimmed">
          Keydash reads every key from LiteLLM once after it starts. This view needs all of them and
          opens by itself as soon as they are loaded.
        </Text>
      </Stack>
    </Paper>
  );
}
