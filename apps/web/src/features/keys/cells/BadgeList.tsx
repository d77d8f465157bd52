import { Badge, Group, Tooltip, VisuallyHidden, type MantineColor } from '@mantine/core';

interface BadgeListProps {
  values: string[];
  color: MantineColor;
  /** How many badges to show before folding the rest into "+N more". */
  max?: number;
  /** Shown as a single badge when there are no values. */
  emptyLabel?: string;
}

export function BadgeList({ values, color, max = 3, emptyLabel }: BadgeListProps) {
  if (values.length === 0) {
    return emptyLabel ? (
      <Badge variant="light" color={color} radius="sm" tt="none">
        {emptyLabel}
      </Badge>
    ) : null;
  }
  const shown = values.slice(0, max);
  const rest = values.slice(max);
  return (
    <Group gap={4}>
      {shown.map((value) => (
        <Badge key={value} variant="light" color={color} radius="sm" tt="none" maw={180}>
          {value}
        </Badge>
      ))}
      {rest.length > 0 && (
        <Tooltip label={rest.join(', ')} multiline maw={320} withArrow>
          <Badge variant="outline" color="gray.7" radius="sm" tt="none" data-testid="more-badge">
            +{rest.length} more
            <VisuallyHidden>: {rest.join(', ')}</VisuallyHidden>
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}
