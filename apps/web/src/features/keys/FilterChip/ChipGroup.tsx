import { Group, Text } from '@mantine/core';
import { type ReactNode, useId } from 'react';

/** A titled row of chips, announced as a group named by its title. */
export function ChipGroup({ label, children }: { label: string; children: ReactNode }) {
  const id = useId();
  return (
    <Group gap={6} wrap="wrap" role="group" aria-labelledby={id}>
      <Text id={id} size="xs" fw={700} c="dimmed" tt="uppercase" mr={2}>
        {label}
      </Text>
      {children}
    </Group>
  );
}
