// The filters of GET /api/keys (and its facets) as the backend reads and applies them
// (keydash_core.filters): a refused value is a 422 naming the parameter.
import type { KeyOut } from '../../api/types';
import { InvalidFilter } from './http';
import {
  budgetAtRisk,
  expiresWithin,
  isZombie,
  noRotationPolicy,
  reachesEveryModel,
  rotationOverdue,
  spendShare,
  unusedFor,
} from './insights';

const STATUSES = ['active', 'expired', 'blocked'] as const;
const FLAGS = [
  'never_expires',
  'all_models',
  'owner_missing',
  'team_missing',
  'never_used',
  'last_use_unknown',
  'zombie',
  'rotation_overdue',
  'no_rotation_policy',
  'budget_at_risk',
] as const;
type Flag = (typeof FLAGS)[number];

export type Filters = Record<Flag, boolean> & {
  status: string[];
  expires_within_days: number | null;
  unused_for_days: number | null;
  tag: string[];
  model: string[];
  team: string[];
  owner: string[];
  spend_share_at_least: number | null;
};
export type FilterName = keyof Filters;

function readFlag(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  if (value === null || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new InvalidFilter(name, 'must be a boolean');
}

function readDays(params: URLSearchParams, name: string): number | null {
  const raw = params.get(name);
  const days = raw === null ? null : Number(raw);
  if (days !== null && !(Number.isInteger(days) && days >= 1 && days <= 3650)) {
    throw new InvalidFilter(name, 'must be between 1 and 3650');
  }
  return days;
}

export function readFilters(params: URLSearchParams): Filters {
  const status = params.getAll('status').map((value) => value.trim().toLowerCase());
  if (status.some((value) => !(STATUSES as readonly string[]).includes(value))) {
    throw new InvalidFilter('status', 'must be one of: active, expired, blocked');
  }
  const shareRaw = params.get('spend_share_at_least');
  const share = shareRaw === null ? null : Number(shareRaw);
  if (share !== null && !(Number.isFinite(share) && share > 0 && share <= 100)) {
    throw new InvalidFilter('spend_share_at_least', 'must be a number above 0 and at most 100');
  }
  const many = (name: string) => {
    const values = params.getAll(name);
    if (values.some((value) => !value.trim())) {
      throw new InvalidFilter(name, 'values must not be empty');
    }
    return values;
  };
  const flags = Object.fromEntries(FLAGS.map((name) => [name, readFlag(params, name)]));
  return {
    ...(flags as Record<Flag, boolean>),
    status,
    expires_within_days: readDays(params, 'expires_within_days'),
    unused_for_days: readDays(params, 'unused_for_days'),
    tag: many('tag'),
    model: many('model'),
    team: many('team'),
    owner: many('owner'),
    spend_share_at_least: share,
  };
}

/** Each filter: whether the key passes it (an inactive filter passes every key). */
function tests(key: KeyOut, f: Filters, now: number): Record<FilterName, () => boolean> {
  const any = (wanted: string[], values: (string | null)[]) =>
    !wanted.length || values.some((value) => value !== null && wanted.includes(value));
  const flag = (on: boolean, holds: () => boolean) => () => !on || holds();
  return {
    status: () => any(f.status, [key.status]),
    expires_within_days: () =>
      f.expires_within_days === null || expiresWithin(key, now, f.expires_within_days),
    unused_for_days: () => f.unused_for_days === null || unusedFor(key, now, f.unused_for_days),
    never_expires: flag(f.never_expires, () => key.expires_at === null),
    all_models: flag(f.all_models, () => reachesEveryModel(key)),
    owner_missing: flag(f.owner_missing, () => key.owner === null),
    team_missing: flag(f.team_missing, () => key.team_id === null),
    never_used: flag(f.never_used, () => key.last_use === 'never'),
    last_use_unknown: flag(f.last_use_unknown, () => key.last_use === 'unknown'),
    zombie: flag(f.zombie, () => isZombie(key, now)),
    rotation_overdue: flag(f.rotation_overdue, () => rotationOverdue(key, now)),
    no_rotation_policy: flag(f.no_rotation_policy, () => noRotationPolicy(key, now)),
    budget_at_risk: flag(f.budget_at_risk, () => budgetAtRisk(key, now)),
    tag: () => any(f.tag, key.tags),
    model: () => any(f.model, key.allowed_models),
    team: () => any(f.team, [key.team_id]),
    owner: () => any(f.owner, [key.owner]),
    spend_share_at_least: () =>
      f.spend_share_at_least === null || (spendShare(key) ?? -1) >= f.spend_share_at_least,
  };
}

/** Every filter but `lifted` holds for the key. */
export function matchesFilters(key: KeyOut, f: Filters, now: number, lifted?: FilterName): boolean {
  return Object.entries(tests(key, f, now)).every(([name, holds]) => name === lifted || holds());
}

export function matchesSearch(key: KeyOut, search: string): boolean {
  const terms = search.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = [key.owner, key.description, key.alias, ...key.tags, ...key.allowed_models]
    .filter((value): value is string => typeof value === 'string')
    .map((value) => value.toLowerCase());
  return terms.every((term) => haystack.some((value) => value.includes(term)));
}
