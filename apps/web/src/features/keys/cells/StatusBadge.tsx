import { Badge, type MantineColor } from '@mantine/core';
import type { KeyOut } from '../../../api/types';

const COLORS: Record<string, MantineColor> = {
  active: 'green',
  expired: 'gray',
  blocked: 'red',
};

export function StatusBadge({ status }: { status: KeyOut['status'] }) {
  return (
    <Badge variant="light" color={COLORS[status] ?? 'gray'} radius="sm" data-status={status}>
      {status}
    </Badge>
  );
}
