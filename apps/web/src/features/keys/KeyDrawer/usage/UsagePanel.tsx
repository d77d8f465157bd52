import { SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { KeyUsage, UsageFigures } from '../../../../api/types';
import { formatCount, formatMoney } from '../../format';
import { SpendChart } from './SpendChart';
import { DailyTable, TopModels } from './UsageTables';

function Figure({ label, value, detail }: { label: string; value: string; detail?: ReactNode }) {
  return (
    <div>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase">
        {label}
      </Text>
      <Text fw={700} size="lg" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
      {detail && (
        <Text size="xs" c="dimmed">
          {detail}
        </Text>
      )}
    </div>
  );
}

function Totals({ totals }: { totals: UsageFigures }) {
  return (
    <SimpleGrid cols={3} spacing="sm" data-testid="usage-totals">
      <Figure label="Spend" value={formatMoney(totals.spend)} />
      <Figure
        label="Requests"
        value={formatCount(totals.requests)}
        detail={totals.failed_requests > 0 ? `${formatCount(totals.failed_requests)} failed` : null}
      />
      <Figure
        label="Tokens"
        value={formatCount(totals.total_tokens)}
        detail={`${formatCount(totals.prompt_tokens)} in · ${formatCount(totals.completion_tokens)} out`}
      />
    </SimpleGrid>
  );
}

/** One key's spend, requests and tokens over the window, from LiteLLM's daily activity. */
export default function UsagePanel({ usage }: { usage: KeyUsage }) {
  if (!usage.available) {
    return (
      <Stack gap={2} data-testid="usage-unavailable">
        <Text size="sm" fw={600}>
          Usage not available from this LiteLLM
        </Text>
        {usage.unavailable_reason && (
          <Text size="sm" c="dimmed">
            {usage.unavailable_reason}
          </Text>
        )}
      </Stack>
    );
  }
  return (
    <Stack gap="sm" data-testid="usage-panel">
      <Totals totals={usage.totals} />
      <Text size="xs" c="dimmed" data-testid="usage-note">
        {usage.note}
      </Text>
      <SpendChart days={usage.days} />
      <TopModels models={usage.top_models} />
      <DailyTable days={usage.days} />
    </Stack>
  );
}
