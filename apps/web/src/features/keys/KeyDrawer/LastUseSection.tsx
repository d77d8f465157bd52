import { Stack, Text } from '@mantine/core';
import type { KeyOut } from '../../../api/types';
import { NEVER_USED_HINT, UNKNOWN_USE_HINT } from '../cells/LastUsedCell';
import { DateValue, Note, Section } from './fields';

/** When LiteLLM last saw the key used; "never" and "unknown" in words. */
export function LastUseSection({ record }: { record: KeyOut }) {
  return (
    <Section title="Last use">
      {record.last_use === 'used' ? (
        <DateValue iso={record.last_used_at} missing="No date recorded" />
      ) : (
        <Stack gap={2} data-last-use={record.last_use}>
          <Text size="sm" fw={600}>
            {record.last_use === 'never' ? 'Never used' : 'No record of use'}
          </Text>
          <Note>
            {record.last_use === 'never' ? `${NEVER_USED_HINT}.` : `${UNKNOWN_USE_HINT}.`}
          </Note>
        </Stack>
      )}
    </Section>
  );
}
