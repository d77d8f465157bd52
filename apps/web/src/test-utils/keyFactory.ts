import type { KeyOut } from '../api/types';

let counter = 0;

/** A key as GET /api/keys returns it, with readable defaults and any field overridden. */
export function makeKey(overrides: Partial<KeyOut> = {}): KeyOut {
  counter += 1;
  const n = counter;
  const suffix = n.toString(36).toUpperCase().padStart(4, 'x');
  return {
    id: `hash-${n.toString(16).padStart(8, '0')}`,
    masked_key: `sk-****${suffix}`,
    alias: null,
    description: `Key number ${n}`,
    owner: `Owner ${n}`,
    owner_username: `Owner ${n}`,
    owner_email: `owner${n}@example.com`,
    owner_id: `u-${n}`,
    team_id: null,
    created_at: new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toISOString(),
    expires_at: null,
    allowed_models: [],
    tags: [],
    spend: n,
    max_budget: null,
    status: 'active',
    partial: false,
    unreadable_fields: [],
    last_used_at: null,
    last_use: 'unknown',
    created_by: null,
    updated_by: null,
    auto_rotate: false,
    rotation_interval: null,
    rotation_count: null,
    last_rotated_at: null,
    next_rotation_at: null,
    budget_duration: null,
    budget_reset_at: null,
    ...overrides,
  };
}

export function makeKeys(
  count: number,
  overrides: (index: number) => Partial<KeyOut> = () => ({}),
): KeyOut[] {
  return Array.from({ length: count }, (_, index) => makeKey(overrides(index)));
}
