import { Button, EmptyState, Paper } from '@mantine/core';
import type { ReactNode } from 'react';
import { IconAlert, IconKey, IconSearch } from '../../components/icons';

/** Same footprint as the table, so switching states does not make the page jump. */
function StatePanel({ children, testId }: { children: ReactNode; testId: string }) {
  return (
    <Paper
      withBorder
      radius="md"
      mih={360}
      p="xl"
      display="flex"
      data-testid={testId}
      style={{ alignItems: 'center', justifyContent: 'center' }}
    >
      {children}
    </Paper>
  );
}

export function KeysErrorState({
  message,
  onRetry,
  retrying,
}: {
  message: string;
  onRetry: () => void;
  retrying: boolean;
}) {
  return (
    <StatePanel testId="keys-error">
      <EmptyState
        role="alert"
        variant="light"
        color="red"
        icon={<IconAlert size={24} />}
        title="Could not load the keys"
        description={message}
      >
        <EmptyState.Actions>
          <Button onClick={onRetry} loading={retrying}>
            Retry
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </StatePanel>
  );
}

export function KeysEmptyState() {
  return (
    <StatePanel testId="keys-empty">
      <EmptyState
        variant="light"
        color="orange"
        icon={<IconKey size={24} />}
        title="No keys yet"
        description="LiteLLM has no virtual keys. Keys created in LiteLLM will show up here."
      />
    </StatePanel>
  );
}

export function KeysNoMatchState({ search, onClear }: { search: string; onClear: () => void }) {
  return (
    <StatePanel testId="keys-no-match">
      <EmptyState
        color="gray"
        icon={<IconSearch size={24} />}
        title="No keys match your search"
        description={`Nothing matches “${search}”. Try fewer or different words.`}
      >
        <EmptyState.Actions>
          <Button variant="default" onClick={onClear}>
            Clear search
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </StatePanel>
  );
}
