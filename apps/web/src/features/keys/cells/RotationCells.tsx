import { Badge, Group, Text } from '@mantine/core';
import type { KeyOut } from '../../../api/types';
import { isRotationOverdue, rotationPolicy } from '../insights';
import { Missing, Muted } from './Missing';
import { RelativeTime } from './RelativeTime';

export function RotationPolicyCell({ record }: { record: KeyOut }) {
  const policy = rotationPolicy(record);
  if (!policy) return <Muted hint="No automatic rotation">none</Muted>;
  return (
    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
      {policy}
    </Text>
  );
}

/** The next scheduled rotation; past and still auto-rotating reads as overdue, in red. */
export function NextRotationCell({ record }: { record: KeyOut }) {
  if (!record.next_rotation_at) return <Missing label="No rotation scheduled" />;
  if (!isRotationOverdue(record)) return <RelativeTime iso={record.next_rotation_at} />;
  return (
    <Group gap={6} wrap="nowrap" data-overdue="true">
      <RelativeTime iso={record.next_rotation_at} color="red.8" />
      <Badge color="red" variant="light" c="red.9" radius="sm" size="sm" tt="none">
        overdue
      </Badge>
    </Group>
  );
}

export function RotationCountCell({ record }: { record: KeyOut }) {
  if (record.rotation_count === null) return <Missing label="Unknown" />;
  return (
    <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
      {record.rotation_count}
    </Text>
  );
}
