import { Group, Skeleton, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useId } from 'react';
import { formatCount } from './format';
import classes from './KeyHygiene.module.css';

interface SummaryCardProps {
  id: string;
  label: string;
  value: number | undefined;
  format?: (value: number) => string;
  hint: string;
  /**
   * What the number counts, shown beside it; the button is then named by label and value,
   * and described by the note.
   */
  note?: string;
  pressed?: boolean;
  loading: boolean;
  onClick: () => void;
}

/** One summary card: a button, aria-pressed when it applies a filter; data-value its number. */
export function SummaryCard({
  id,
  label,
  value,
  format = formatCount,
  hint,
  note,
  pressed,
  loading,
  onClick,
}: SummaryCardProps) {
  const noteId = useId();
  return (
    <UnstyledButton
      className={classes.card}
      onClick={onClick}
      aria-pressed={pressed}
      // With a note, the name stays short (label and number: the note is hidden from it) and
      // the note is the description. No aria-label: the name must hold the visible label.
      aria-describedby={note ? noteId : undefined}
      title={hint}
      data-testid={`summary-card-${id}`}
      data-value={value}
    >
      <Text size="xs" fw={700} c="dimmed" tt="uppercase">
        {label}
      </Text>
      {/* The note sits beside the number, so a card with one is hardly taller than the others. */}
      <Group gap="sm" wrap="nowrap" align="center">
        {value !== undefined ? (
          <Text className={classes.cardValue} component="span" display="block">
            {format(value)}
          </Text>
        ) : loading ? (
          <Skeleton height={24} width={48} my={4} aria-hidden="true" />
        ) : (
          <Text className={classes.cardValue} component="span" display="block" c="dimmed">
            <span aria-hidden="true">—</span>
            <VisuallyHidden>unavailable</VisuallyHidden>
          </Text>
        )}
        {note && (
          <Text id={noteId} fz={11} c="dimmed" lh={1.25} aria-hidden="true">
            {note}
          </Text>
        )}
      </Group>
    </UnstyledButton>
  );
}
