// What the table and the drawer read from a key's insight fields: whether its rotation is
// overdue, how its budget window reads, how much of its budget it spent. The API decides the
// filters (zombie, budget at risk, …); these only describe one key on screen.
import type { KeyOut } from '../../api/types';
import { formatRelative, parseDate } from './format';

/** An auto-rotating key whose scheduled rotation is past (the API's rotation_overdue). */
export function isRotationOverdue(record: KeyOut, now: Date = new Date()): boolean {
  const next = parseDate(record.next_rotation_at);
  return record.auto_rotate && next !== null && next.getTime() <= now.getTime();
}

/** "every 30d" when the key rotates itself, null when it has no rotation policy. */
export function rotationPolicy(record: KeyOut): string | null {
  if (!record.auto_rotate) return null;
  return record.rotation_interval ? `every ${record.rotation_interval}` : 'automatic';
}

/** "resets in 3 days", or "reset due 2 days ago" when LiteLLM has not reset it yet. */
export function resetPhrase(reset: Date, now: Date = new Date()): string {
  const relative = formatRelative(reset, now);
  return reset.getTime() > now.getTime() ? `resets ${relative}` : `reset due ${relative}`;
}

/** Spend as a share of max_budget (1 = all of it); null without a budget or a spend. */
export function spendShare(record: KeyOut): number | null {
  if (record.max_budget === null || record.max_budget <= 0 || record.spend === null) return null;
  return record.spend / record.max_budget;
}

export function formatPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
