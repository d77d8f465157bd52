import { Alert, DataList, Drawer, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { KeyOut } from '../../api/types';
import { BadgeList } from './cells/BadgeList';
import { StatusBadge } from './cells/StatusBadge';
import { CopyValue } from './CopyValue';
import { formatDateTime, formatMoney, formatRelative, formatUtc, parseDate } from './format';

interface KeyDrawerProps {
  record: KeyOut | null;
  opened: boolean;
  onClose: () => void;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

/** In the drawer there is room to say what is missing in words. */
function Empty({ children = 'Not set' }: { children?: string }) {
  return (
    <Text size="sm" c="dimmed" fs="italic">
      {children}
    </Text>
  );
}

function TextValue({ value }: { value: string | null }) {
  return value ? <Text size="sm">{value}</Text> : <Empty />;
}

function DateValue({ iso, missing }: { iso: string | null; missing: string }) {
  const date = parseDate(iso);
  if (!date) return <Empty>{missing}</Empty>;
  return (
    <Stack gap={0}>
      <Text size="sm">
        {formatDateTime(date)}{' '}
        <Text span c="dimmed" size="sm">
          ({formatRelative(date)})
        </Text>
      </Text>
      <Text size="xs" c="dimmed" ff="monospace">
        {formatUtc(date)}
      </Text>
    </Stack>
  );
}

export function KeyDrawer({ record, opened, onClose }: KeyDrawerProps) {
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="lg"
      title={<Text fw={700}>Key details</Text>}
      closeButtonProps={{ 'aria-label': 'Close key details' }}
    >
      {record && (
        <Stack gap="md" data-testid="key-drawer">
          {record.partial && (
            <Alert color="yellow" variant="light">
              LiteLLM sent some fields of this key in an unexpected shape; what could be read is
              shown.
              {record.unreadable_fields.length > 0 && (
                <> Unreadable: {record.unreadable_fields.join(', ')}.</>
              )}
            </Alert>
          )}
          <DataList orientation="horizontal" labelWidth={130} gap="sm">
            <Field label="Key">
              {record.masked_key ? (
                <CopyValue value={record.masked_key} label="masked key" />
              ) : (
                <Empty>Could not be read</Empty>
              )}
            </Field>
            <Field label="Key ID">
              <CopyValue value={record.id} label="key ID" />
            </Field>
            <Field label="Alias">
              <TextValue value={record.alias} />
            </Field>
            <Field label="Description">
              <TextValue value={record.description} />
            </Field>
            <Field label="Status">
              <StatusBadge status={record.status} />
            </Field>
            <Field label="Owner">
              <TextValue value={record.owner} />
            </Field>
            <Field label="Owner username">
              <TextValue value={record.owner_username} />
            </Field>
            <Field label="Owner email">
              <TextValue value={record.owner_email} />
            </Field>
            <Field label="Owner ID">
              <TextValue value={record.owner_id} />
            </Field>
            <Field label="Team">
              <TextValue value={record.team_id} />
            </Field>
            <Field label="Created">
              <DateValue iso={record.created_at} missing="Unknown" />
            </Field>
            <Field label="Expires">
              <DateValue iso={record.expires_at} missing="Never expires" />
            </Field>
            <Field label="Spend">
              {record.spend === null ? (
                <Empty>Unknown</Empty>
              ) : (
                <Text size="sm">{formatMoney(record.spend)}</Text>
              )}
            </Field>
            <Field label="Budget">
              {record.max_budget === null ? (
                <Text size="sm">No limit</Text>
              ) : (
                <Text size="sm">{formatMoney(record.max_budget)}</Text>
              )}
            </Field>
            <Field label="Models">
              <BadgeList
                values={record.allowed_models}
                color="gray"
                emptyLabel="All models"
                max={Infinity}
              />
            </Field>
            <Field label="Tags">
              {record.tags.length ? (
                <BadgeList values={record.tags} color="orange" max={Infinity} />
              ) : (
                <Empty>No tags</Empty>
              )}
            </Field>
          </DataList>
        </Stack>
      )}
    </Drawer>
  );
}
