import type { KeyOut } from '../../../api/types';
import { Muted } from './Missing';
import { RelativeTime } from './RelativeTime';

export const NEVER_USED_HINT = 'LiteLLM recorded no use of this key since it was created';
export const UNKNOWN_USE_HINT =
  "LiteLLM has no record of this key's use; keys older than LiteLLM's last_active field show unknown";

/** "3 days ago"; "never" when provably unused; "unknown" when LiteLLM cannot say. */
export function LastUsedCell({ record }: { record: KeyOut }) {
  if (record.last_use === 'never') return <Muted hint={NEVER_USED_HINT}>never</Muted>;
  if (record.last_use === 'unknown') return <Muted hint={UNKNOWN_USE_HINT}>unknown</Muted>;
  return <RelativeTime iso={record.last_used_at} />;
}
