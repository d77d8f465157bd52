import { Button } from '@mantine/core';
import { IconCheck } from '../../../components/icons';
import { formatCount } from '../format';
import classes from '../KeyHygiene.module.css';

interface FilterChipProps {
  label: string;
  /** Absent while the counts are loading or unavailable (then no data-count either). */
  count: number | undefined;
  pressed: boolean;
  onToggle: () => void;
  testId: string;
}

/** A toggle button (aria-pressed) with its count in a badge and in data-count. */
export function FilterChip({ label, count, pressed, onToggle, testId }: FilterChipProps) {
  return (
    <Button
      size="xs"
      radius="xl"
      variant={pressed ? 'light' : 'default'}
      className={classes.chip}
      aria-pressed={pressed}
      data-testid={testId}
      data-count={count}
      leftSection={pressed ? <IconCheck size={12} /> : undefined}
      onClick={onToggle}
    >
      {label}
      {count !== undefined && <span className={classes.count}>{formatCount(count)}</span>}
    </Button>
  );
}
