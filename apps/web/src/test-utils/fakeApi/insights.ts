// What the backend derives from a key for the insight filters (keydash_core.key_insights),
// at the fake's `now` (the snapshot's fetched_at). `last_use` comes with the key, as the API
// sends it.
import type { KeyOut } from '../../api/types';

export const DAY_MS = 86_400_000;
const ZOMBIE_DAYS = 90;
const ROTATION_POLICY_AGE_DAYS = 90;
const BUDGET_RISK_SHARE = 0.8;
const BUDGET_RISK_WINDOW_LEFT = 0.25;

function time(iso: string | null): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : at;
}

export function reachesEveryModel(key: KeyOut): boolean {
  return key.allowed_models.length === 0 || key.allowed_models.some((m) => m.startsWith('all-'));
}

export function spendShare(key: KeyOut): number | null {
  if (key.max_budget === null || key.max_budget <= 0) return null;
  return (key.spend ?? 0) / key.max_budget;
}

export function expiresWithin(key: KeyOut, now: number, days: number): boolean {
  const at = time(key.expires_at);
  return at !== null && at > now && at <= now + days * DAY_MS;
}

/** Since when the key is provably unused: its last use, or its creation if never used. */
function unusedSince(key: KeyOut): number | null {
  if (key.last_use === 'used') return time(key.last_used_at);
  if (key.last_use === 'never') return time(key.created_at);
  return null;
}

export function unusedFor(key: KeyOut, now: number, days: number): boolean {
  const since = unusedSince(key);
  return since !== null && since <= now - days * DAY_MS;
}

export function isZombie(key: KeyOut, now: number): boolean {
  return (
    key.status === 'active' &&
    unusedFor(key, now, ZOMBIE_DAYS) &&
    (key.expires_at === null || reachesEveryModel(key))
  );
}

export function rotationOverdue(key: KeyOut, now: number): boolean {
  const next = time(key.next_rotation_at);
  return key.auto_rotate && next !== null && next <= now;
}

export function noRotationPolicy(key: KeyOut, now: number): boolean {
  const created = time(key.created_at);
  return !key.auto_rotate && created !== null && created <= now - ROTATION_POLICY_AGE_DAYS * DAY_MS;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** LiteLLM's durations ("30s", "12h", "7d", "2w", "1mo" = 30 days) in seconds. */
export function durationSeconds(duration: string | null): number | null {
  const found = duration ? /^\s*(\d+)\s*(s|m|h|d|w|mo)\s*$/.exec(duration) : null;
  if (!found) return null;
  const count = Number(found[1]);
  const unit = found[2] ?? 'd';
  const seconds = count * (unit === 'mo' ? 30 * 86_400 : (UNIT_SECONDS[unit] ?? 0));
  return seconds > 0 ? seconds : null;
}

export function budgetAtRisk(key: KeyOut, now: number): boolean {
  const share = spendShare(key);
  const window = durationSeconds(key.budget_duration);
  const reset = time(key.budget_reset_at);
  if (share === null || window === null || reset === null || share < BUDGET_RISK_SHARE) {
    return false;
  }
  return (reset - now) / 1000 > window * BUDGET_RISK_WINDOW_LEFT;
}
