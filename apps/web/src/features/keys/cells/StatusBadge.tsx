import { Badge, type MantineColor } from '@mantine/core';
import type { KeyOut } from '../../../api/types';

// Mantine's light green text on its light green fill is 3.8:1; this darker text is 5.7:1 (AA).
const TEXT_COLORS: Record<string, string | undefined> = {
  active: '#1e6b30',
};

const COLORS: Record<string, MantineColor> = {
  active: 'green',
  expired: 'gray',
  blocked: 'red',
};

export function StatusBadge({ status }: { status: KeyOut['status'] }) {
  return (
    <Badge
      variant="light"
      color={COLORS[status] ?? 'gray'}
      c={TEXT_COLORS[status]}
      radius="sm"
      data-status={status}
    >
      {status}
    </Badge>
  );
}
