import { Text } from '@mantine/core';

/** What an empty value looks like everywhere, with words for screen readers. */
export function Missing({ label = 'Not set' }: { label?: string }) {
  return (
    <Text component="span" size="sm" c="dimmed" aria-label={label} title={label}>
      —
    </Text>
  );
}

/** A word that stands for no value ("never", "none"), muted like `Missing`; `hint` on hover. */
export function Muted({ children, hint }: { children: string; hint?: string }) {
  return (
    <Text component="span" size="sm" c="dimmed" title={hint} data-muted="true">
      {children}
    </Text>
  );
}
