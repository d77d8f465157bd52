import { Text } from '@mantine/core';
import type { KeyOut } from '../../../api/types';
import { formatMoney } from '../format';

export function SpendCell({ record }: { record: KeyOut }) {
  return (
    <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
      {record.spend === null ? 'Unknown' : formatMoney(record.spend)}
      <Text span c="dimmed" size="sm">
        {' / '}
        {record.max_budget === null ? 'no limit' : formatMoney(record.max_budget)}
      </Text>
    </Text>
  );
}
