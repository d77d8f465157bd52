import { Alert, Text } from '@mantine/core';
import type { Freshness } from '../../../api/syncTypes';
import { IconAlert } from '../../../components/icons';
import { parseDate } from '../../keys/format';
import { formatShortTime } from '../format';

/** "LiteLLM has not answered since 14:02; showing keys as of 14:01." */
export function staleSentence(freshness: Freshness, now: Date = new Date()): string {
  const since = parseDate(freshness.last_error?.at);
  const asOf = parseDate(freshness.as_of);
  const first = since
    ? `LiteLLM has not answered since ${formatShortTime(since, now)}`
    : 'LiteLLM has not answered the last refresh';
  const second = asOf
    ? `showing keys as of ${formatShortTime(asOf, now)}`
    : 'showing the keys read before';
  return `${first}; ${second}.`;
}

/**
 * Calm but visible: the keys on screen are real, only possibly old, because Keydash could not
 * refresh them. Says since when, as of when, and why.
 */
export function StaleWarning({ freshness }: { freshness: Freshness | null }) {
  if (!freshness?.stale) return null;
  const cause = freshness.last_error?.message;
  return (
    <Alert
      color="yellow"
      variant="light"
      role="status"
      icon={<IconAlert size={18} />}
      data-testid="stale-warning"
    >
      <Text size="sm" fw={600}>
        {staleSentence(freshness)}
      </Text>
      {cause && (
        <Text size="sm" c="dimmed" mt={2} data-testid="stale-cause">
          {cause}
        </Text>
      )}
    </Alert>
  );
}
