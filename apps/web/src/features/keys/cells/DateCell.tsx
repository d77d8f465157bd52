import { Stack, Text } from '@mantine/core';
import { formatDate, formatRelative, formatUtc, parseDate } from '../format';
import { Missing } from './Missing';

interface DateCellProps {
  iso: string | null;
  missingLabel?: string;
}

/** Local date for reading, relative age for scanning, exact UTC on hover for checking. */
export function DateCell({ iso, missingLabel = 'Unknown' }: DateCellProps) {
  const date = parseDate(iso);
  if (!date || !iso) return <Missing label={missingLabel} />;
  return (
    <Stack gap={0}>
      <Text component="time" dateTime={iso} title={formatUtc(date)} size="sm">
        {formatDate(date)}
      </Text>
      <Text size="xs" c="dimmed">
        {formatRelative(date)}
      </Text>
    </Stack>
  );
}
