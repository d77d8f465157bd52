// GET /api/keys/facets: each count with its own filter lifted, so a chip's count is what the
// table would hold if that chip alone changed.
import type { KeyFacetsOut } from '../../api/syncTypes';
import type { KeyOut } from '../../api/types';
import { type FilterName, matchesFilters, matchesSearch, readFilters } from './filters';
import { invalid, json, readOr422 } from './http';
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
import type { ListContext } from './listKeys';

function valueCounts(values: string[], limit: number, selected: string[]) {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const listed = ranked.slice(0, limit);
  for (const value of selected) {
    if (!listed.some(([v]) => v === value)) listed.push([value, counts.get(value) ?? 0]);
  }
  return { values: listed.map(([value, count]) => ({ value, count })), distinct: counts.size };
}

export function facets(params: URLSearchParams, ctx: ListContext): Response {
  const search = params.get('search') ?? '';
  const limit = Number(params.get('limit') ?? '100');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    return invalid('limit', 'must be between 1 and 1000');
  }
  const f = readOr422(() => readFilters(params));
  if (f instanceof Response) return f;
  const { now, keys } = ctx;
  const searched = keys.filter((key) => matchesSearch(key, search));
  const base = (lifted?: FilterName) =>
    searched.filter((key) => matchesFilters(key, f, now, lifted));
  const selected = base();
  const count = (lifted: FilterName, test: (key: KeyOut) => boolean) =>
    base(lifted).filter(test).length;
  const byStatus = base('status');
  const listed = (lifted: 'tag' | 'model' | 'team' | 'owner', of: (key: KeyOut) => string[]) =>
    valueCounts(base(lifted).flatMap(of), limit, f[lifted]);
  const result: KeyFacetsOut = {
    total: selected.length,
    total_spend: selected.reduce((sum, key) => sum + (key.spend ?? 0), 0),
    status: {
      active: byStatus.filter((key) => key.status === 'active').length,
      expired: byStatus.filter((key) => key.status === 'expired').length,
      blocked: byStatus.filter((key) => key.status === 'blocked').length,
    },
    expires_within_days: [7, 30, 90].map((days) => ({
      days,
      count: count('expires_within_days', (key) => expiresWithin(key, now, days)),
    })),
    never_expires: count('never_expires', (key) => key.expires_at === null),
    all_models: count('all_models', reachesEveryModel),
    owner_missing: count('owner_missing', (key) => key.owner === null),
    team_missing: count('team_missing', (key) => key.team_id === null),
    unused_for_days: [30, 90].map((days) => ({
      days,
      count: count('unused_for_days', (key) => unusedFor(key, now, days)),
    })),
    never_used: count('never_used', (key) => key.last_use === 'never'),
    last_use_unknown: count('last_use_unknown', (key) => key.last_use === 'unknown'),
    zombie: count('zombie', (key) => isZombie(key, now)),
    rotation_overdue: count('rotation_overdue', (key) => rotationOverdue(key, now)),
    no_rotation_policy: count('no_rotation_policy', (key) => noRotationPolicy(key, now)),
    budget_at_risk: count('budget_at_risk', (key) => budgetAtRisk(key, now)),
    spend_share_at_least: [0.5, 0.8, 1].map((share) => ({
      share,
      count: count('spend_share_at_least', (key) => (spendShare(key) ?? -1) >= share),
    })),
    tags: listed('tag', (key) => [...new Set(key.tags)]),
    models: listed('model', (key) => [...new Set(key.allowed_models)]),
    teams: listed('team', (key) => (key.team_id === null ? [] : [key.team_id])),
    owners: listed('owner', (key) => (key.owner === null ? [] : [key.owner])),
    total_keys: keys.length,
    store_total_keys: keys.length + ctx.unreadKeys,
    truncated: ctx.unreadKeys > 0,
    fetched_at: ctx.fetchedAt,
    freshness: ctx.sync.freshness(ctx.fetchedAt),
  };
  return json(200, result);
}
