import { Skeleton, Stack } from '@mantine/core';

/** Placeholder of the usage panel's size while its code or its figures load. */
export function UsageSkeleton() {
  return (
    <Stack gap="xs" aria-busy="true" aria-label="Loading usage" data-testid="usage-loading">
      <Skeleton height={44} />
      <Skeleton height={64} />
      <Skeleton height={56} />
    </Stack>
  );
}
