import { Button, EmptyState, Paper } from '@mantine/core';
import type { ReactNode } from 'react';
import { IconAlert, IconFilter, IconKey, IconSearch } from '../../components/icons';

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
  onClearFilters,
}: {
  message: string;
  onRetry: () => void;
  retrying: boolean;
  /** Offered when filters are on: a view without them may load. */
  onClearFilters?: (() => void) | undefined;
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
          {onClearFilters && (
            <Button variant="default" onClick={onClearFilters}>
              Clear filters
            </Button>
          )}
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

export function KeysNoMatchState({
  search,
  filtered,
  onClearSearch,
  onClearFilters,
}: {
  search: string;
  /** Filters are on: say so and offer to clear them. */
  filtered: boolean;
  onClearSearch: () => void;
  onClearFilters: () => void;
}) {
  const description = filtered
    ? search
      ? `Nothing matches “${search}” with these filters. Remove a filter, or clear them all.`
      : 'Remove a filter, or clear them all, to see more keys.'
    : `Nothing matches “${search}”. Try fewer or different words.`;
  return (
    <StatePanel testId="keys-no-match">
      <EmptyState
        color="gray"
        icon={filtered ? <IconFilter size={24} /> : <IconSearch size={24} />}
        title={filtered ? 'No keys match these filters' : 'No keys match your search'}
        description={description}
      >
        <EmptyState.Actions>
          {filtered && (
            <Button onClick={onClearFilters} data-testid="no-match-clear-filters">
              Clear filters
            </Button>
          )}
          {search && (
            <Button variant="default" onClick={onClearSearch}>
              Clear search
            </Button>
          )}
        </EmptyState.Actions>
      </EmptyState>
    </StatePanel>
  );
}
