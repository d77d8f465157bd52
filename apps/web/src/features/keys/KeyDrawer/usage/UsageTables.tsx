import { Table, Text, VisuallyHidden } from '@mantine/core';
import type { DayUsage, ModelUsage } from '../../../../api/types';
import { formatCount, formatDay, formatMoney } from '../../format';

const numeric = { textAlign: 'end', fontVariantNumeric: 'tabular-nums' } as const;

/** The models this key spent most on, by spend (the API sends at most five). */
export function TopModels({ models }: { models: ModelUsage[] }) {
  if (models.length === 0) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        No model used in this window
      </Text>
    );
  }
  return (
    <Table fz="sm" verticalSpacing={4} horizontalSpacing="xs" captionSide="top">
      <Table.Caption style={{ textAlign: 'start', fontWeight: 600 }}>Top models</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Model</Table.Th>
          <Table.Th style={numeric}>Spend</Table.Th>
          <Table.Th style={numeric}>Requests</Table.Th>
          <Table.Th style={numeric}>Tokens</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {models.map((model) => (
          <Table.Tr key={model.model}>
            <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
              {model.model}
            </Table.Td>
            <Table.Td style={numeric}>{formatMoney(model.spend)}</Table.Td>
            <Table.Td style={numeric}>{formatCount(model.requests)}</Table.Td>
            <Table.Td style={numeric}>{formatCount(model.total_tokens)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The chart's numbers, day by day, for screen readers. */
export function DailyTable({ days }: { days: DayUsage[] }) {
  return (
    <VisuallyHidden>
      <table>
        <caption>Usage per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Spend</th>
            <th scope="col">Requests</th>
            <th scope="col">Failed requests</th>
            <th scope="col">Tokens</th>
          </tr>
        </thead>
        <tbody>
          {days.map((day) => (
            <tr key={day.date}>
              <th scope="row">{formatDay(day.date)}</th>
              <td>{formatMoney(day.spend)}</td>
              <td>{formatCount(day.requests)}</td>
              <td>{formatCount(day.failed_requests)}</td>
              <td>{formatCount(day.total_tokens)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </VisuallyHidden>
  );
}
