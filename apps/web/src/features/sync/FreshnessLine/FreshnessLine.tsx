import { Text } from '@mantine/core';
import { formatDateTime, formatUtc } from '../../keys/format';
import { formatAgo } from '../format';
import { useNow } from '../useNow';

/** Re-rendered this often, so "12 s ago" keeps moving without a request. */
const TICK_MS = 10_000;

/**
 * "Updated 12 s ago": how old the keys on screen are (LiteLLM's keys as of that time), with
 * the exact time on hover.
 */
export function FreshnessLine({ asOf }: { asOf: Date | null }) {
  const now = useNow(TICK_MS);
  if (!asOf) return null;
  return (
    <Text size="sm" c="dimmed" data-testid="freshness">
      Updated{' '}
      <time dateTime={asOf.toISOString()} title={`${formatDateTime(asOf)} (${formatUtc(asOf)})`}>
        {formatAgo(asOf, now)}
      </time>
    </Text>
  );
}
