import { Text } from '@mantine/core';
import { formatRelative, formatUtc, parseDate } from '../format';
import { Missing } from './Missing';

interface RelativeTimeProps {
  iso: string | null;
  missingLabel?: string;
  /** A Mantine colour for the text, e.g. for an overdue date. */
  color?: string;
}

/** "3 days ago" for scanning, the exact UTC instant on hover for checking. */
export function RelativeTime({ iso, missingLabel = 'Unknown', color }: RelativeTimeProps) {
  const date = parseDate(iso);
  if (!date || !iso) return <Missing label={missingLabel} />;
  return (
    <Text
      component="time"
      dateTime={iso}
      title={formatUtc(date)}
      // Marks text that depends on the moment it is read ("3 days ago"): the exact instant is
      // the title.
      data-relative="true"
      size="sm"
      c={color}
      style={{ whiteSpace: 'nowrap' }}
    >
      {formatRelative(date)}
    </Text>
  );
}
