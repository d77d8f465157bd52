import { Text } from '@mantine/core';
import type { KeyOut } from '../../../api/types';
import { BadgeList } from '../cells/BadgeList';
import { StatusBadge } from '../cells/StatusBadge';
import { CopyValue } from '../CopyValue';
import { formatMoney } from '../format';
import { DateValue, Empty, Field, Fields, TextValue } from './fields';

/** Who and what the key is: every field of the table and a few more. */
export function DetailsFields({ record }: { record: KeyOut }) {
  return (
    <Fields>
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
    </Fields>
  );
}
