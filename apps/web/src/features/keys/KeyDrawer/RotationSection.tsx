import { Anchor, Badge, Group, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { KeyOut } from '../../../api/types';
import { isRotationOverdue, rotationPolicy } from '../insights';
import { DEFAULT_STATE, toUrlParams } from '../tableState';
import { DateValue, Empty, Field, Fields, Note, Section } from './fields';

/** The keys table searching for this alias: a link that survives a rotation. */
export function aliasLink(alias: string): string {
  return `/keys?${toUrlParams({ ...DEFAULT_STATE, search: alias }).toString()}`;
}

interface RotationSectionProps {
  record: KeyOut;
  /** Following the alias link closes the drawer. */
  onNavigate: () => void;
}

export function RotationSection({ record, onNavigate }: RotationSectionProps) {
  const policy = rotationPolicy(record);
  const overdue = isRotationOverdue(record);
  return (
    <Section title="Rotation">
      <Fields>
        <Field label="Policy">
          {policy ? <Text size="sm">Rotates {policy}</Text> : <Empty>No automatic rotation</Empty>}
        </Field>
        <Field label="Last rotation">
          <DateValue iso={record.last_rotated_at} missing="Never rotated" />
        </Field>
        <Field label="Next rotation">
          {overdue ? (
            <Group gap="xs" align="flex-start" wrap="nowrap" data-testid="rotation-overdue">
              <DateValue iso={record.next_rotation_at} missing="" color="red.8" />
              <Badge color="red" variant="light" c="red.9" radius="sm" tt="none">
                Overdue
              </Badge>
            </Group>
          ) : (
            <DateValue iso={record.next_rotation_at} missing="Not scheduled" />
          )}
        </Field>
        <Field label="Rotations">
          {record.rotation_count === null ? (
            <Empty>Not recorded</Empty>
          ) : (
            <Text size="sm">{record.rotation_count}</Text>
          )}
        </Field>
      </Fields>
      {overdue && (
        <Text size="sm" c="red.8" role="note">
          The scheduled rotation is past and LiteLLM has not rotated this key yet.
        </Text>
      )}
      {record.alias ? (
        <>
          <Note>
            Rotating gives the key a new secret and a new id (hash): links by id break; this link
            uses the alias:
          </Note>
          {/* Its own line, not inside the sentence: a link must not rely on colour alone. */}
          <Anchor
            component={Link}
            to={aliasLink(record.alias)}
            size="xs"
            display="block"
            underline="always"
            onClick={onNavigate}
          >
            keys matching “{record.alias}”
          </Anchor>
        </>
      ) : (
        <Note>
          Rotating gives the key a new secret and a new id (hash): links by id break. Give the key
          an alias in LiteLLM for a link that lasts.
        </Note>
      )}
    </Section>
  );
}
