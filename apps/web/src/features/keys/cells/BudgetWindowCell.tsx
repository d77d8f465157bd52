import { Text } from '@mantine/core';
import type { KeyOut } from '../../../api/types';
import { formatUtc, parseDate } from '../format';
import { resetPhrase } from '../insights';
import { Muted } from './Missing';

/** "30d · resets in 3 days"; "none" when the budget never resets. */
export function BudgetWindowCell({ record }: { record: KeyOut }) {
  if (!record.budget_duration) return <Muted hint="No budget window">none</Muted>;
  const reset = parseDate(record.budget_reset_at);
  return (
    <Text size="sm" title={reset ? formatUtc(reset) : undefined} style={{ whiteSpace: 'nowrap' }}>
      {record.budget_duration}
      {reset && (
        <Text span c="dimmed" size="sm">
          {' · '}
          {resetPhrase(reset)}
        </Text>
      )}
    </Text>
  );
}
