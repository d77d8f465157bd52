import { Text } from '@mantine/core';
import type { KeyOut } from '../../../api/types';
import { formatMoney, formatUtc, parseDate } from '../format';
import { formatPercent, resetPhrase, spendShare } from '../insights';
import { Empty, Field, Fields, Section } from './fields';

function SpendThisWindow({ record }: { record: KeyOut }) {
  if (record.spend === null) return <Empty>Not recorded</Empty>;
  const share = spendShare(record);
  if (record.max_budget === null || share === null) {
    return <Text size="sm">{formatMoney(record.spend)} (no budget limit)</Text>;
  }
  return (
    <Text size="sm" c={share >= 0.8 ? 'red.8' : undefined}>
      {formatMoney(record.spend)} of {formatMoney(record.max_budget)} ({formatPercent(share)})
    </Text>
  );
}

/** The budget's period, when it resets next, and how much of it this window spent. */
export function BudgetWindowSection({ record }: { record: KeyOut }) {
  const reset = parseDate(record.budget_reset_at);
  return (
    <Section title="Budget window">
      {record.budget_duration ? (
        <Fields>
          <Field label="Period">
            <Text size="sm">Every {record.budget_duration}</Text>
          </Field>
          <Field label="Next reset">
            {reset && record.budget_reset_at ? (
              <Text
                size="sm"
                component="time"
                dateTime={record.budget_reset_at}
                title={formatUtc(reset)}
              >
                {resetPhrase(reset)}
              </Text>
            ) : (
              <Empty>Not scheduled</Empty>
            )}
          </Field>
          <Field label="Spent this window">
            <SpendThisWindow record={record} />
          </Field>
        </Fields>
      ) : (
        <Empty>No budget window</Empty>
      )}
    </Section>
  );
}
