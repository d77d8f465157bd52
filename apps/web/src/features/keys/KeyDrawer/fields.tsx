// The drawer's building blocks: a titled section, a labelled field, and how a value reads
// when it is there (a date in full) or not (the missing value in words).
import { DataList, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useId } from 'react';
import { formatDateTime, formatRelative, formatUtc, parseDate } from '../format';

/** A region of the drawer named by its heading. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <Stack component="section" gap="xs" aria-labelledby={id}>
      <Title order={3} size="h5" id={id}>
        {title}
      </Title>
      {children}
    </Stack>
  );
}

export function Fields({ children }: { children: ReactNode }) {
  return (
    <DataList orientation="horizontal" labelWidth={130} gap="sm">
      {children}
    </DataList>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

/** In the drawer there is room to say what is missing in words. */
export function Empty({ children = 'Not set' }: { children?: string }) {
  return (
    <Text size="sm" c="dimmed" fs="italic">
      {children}
    </Text>
  );
}

export function TextValue({ value, missing }: { value: string | null; missing?: string }) {
  return value ? <Text size="sm">{value}</Text> : <Empty>{missing}</Empty>;
}

/** Local date and time with its age, and the exact UTC instant beneath. */
export function DateValue({
  iso,
  missing,
  color,
}: {
  iso: string | null;
  missing: string;
  color?: string;
}) {
  const date = parseDate(iso);
  if (!date) return <Empty>{missing}</Empty>;
  return (
    <Stack gap={0}>
      <Text size="sm" c={color}>
        {formatDateTime(date)}{' '}
        <Text span c={color ?? 'dimmed'} size="sm">
          ({formatRelative(date)})
        </Text>
      </Text>
      <Text size="xs" c="dimmed" ff="monospace">
        {formatUtc(date)}
      </Text>
    </Stack>
  );
}

/** A sentence of explanation under a section's fields. */
export function Note({ children }: { children: ReactNode }) {
  return (
    <Text size="xs" c="dimmed">
      {children}
    </Text>
  );
}
