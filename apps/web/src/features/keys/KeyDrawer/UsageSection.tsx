import { Button, Stack, Text } from '@mantine/core';
import { Suspense, lazy } from 'react';
import { keysErrorMessage } from '../errorMessage';
import { Section } from './fields';
import { USAGE_DAYS, useKeyUsage } from './usage/usageQuery';
import { UsageSkeleton } from './usage/UsageSkeleton';

// The figures, chart and tables are their own chunk: the table page does not load them until
// a drawer opens. The request starts here, so the figures load while that code does.
const UsagePanel = lazy(() => import('./usage/UsagePanel'));

export function UsageSection({ keyId }: { keyId: string }) {
  const usage = useKeyUsage(keyId);
  return (
    <Section title={`Usage, last ${USAGE_DAYS} days`}>
      {usage.isPending ? (
        <UsageSkeleton />
      ) : usage.isError ? (
        <Stack gap="xs" align="flex-start" role="alert" data-testid="usage-error">
          <Text size="sm" fw={600} c="red.8">
            Usage could not be loaded
          </Text>
          <Text size="sm">{keysErrorMessage(usage.error)}</Text>
          <Button
            size="compact-sm"
            variant="default"
            loading={usage.isFetching}
            onClick={() => void usage.refetch()}
          >
            Retry
          </Button>
        </Stack>
      ) : (
        <Suspense fallback={<UsageSkeleton />}>
          <UsagePanel usage={usage.data} />
        </Suspense>
      )}
    </Section>
  );
}
