import type { KeyOut } from '../../../api/types';
import { Field, Fields, Section, TextValue } from './fields';

/** Who created the key and who changed it last, as LiteLLM recorded them. */
export function WhoSection({ record }: { record: KeyOut }) {
  return (
    <Section title="Who">
      <Fields>
        <Field label="Created by">
          <TextValue value={record.created_by} missing="Not recorded" />
        </Field>
        <Field label="Updated by">
          <TextValue value={record.updated_by} missing="Not recorded" />
        </Field>
      </Fields>
    </Section>
  );
}
