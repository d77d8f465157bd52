// THE list of the table's filters: each one is declared here once, and nowhere else. From this
// table come the URL parameters, the localStorage shape, the API query, the chips and selects
// of the filter bar, its removable "active filters" and their count (see `filters.ts`).
//
//   key     the filter's name in the table state and in localStorage (`keydash.keys.view`)
//   param   its name in the URL and in the API's query: the API's own parameter name
//   kind    enumList (several values of the API's enum), flag (true or absent),
//           days (a whole number of days), share (a number, 1 = 100%), textList (any values)
//
// Bounds, enums and list lengths are the API's, read from openapi.json (`queryParam`); the
// day and share presets are the ones the facets answer counts, so the two cannot disagree.
// The order here is the URL's and the API query's order; the filter bar shows the chip kinds
// in this order, grouped by `group`, then the selects.
import { days, enumList, flag, plural, share, textList } from './kinds';

export const FILTERS = [
  enumList({
    key: 'status',
    param: 'status',
    label: 'Status',
    count: (facets, status) => facets.status[status],
  }),
  days({
    key: 'expiresWithinDays',
    param: 'expires_within_days',
    group: 'Expires within',
    id: 'expires',
    pillId: 'expires-within',
    presets: (facets) =>
      facets.expires_within_days.map((item) => ({ value: item.days, count: item.count })),
    chipLabel: (n) => plural(n, 'day'),
    pillLabel: (n) => `Expires within ${plural(n, 'day')}`,
  }),
  flag({
    key: 'neverExpires',
    param: 'never_expires',
    label: 'Never expires',
    group: 'Expires within',
    count: (facets) => facets.never_expires,
  }),
  flag({
    key: 'allModels',
    param: 'all_models',
    label: 'All-model keys',
    group: 'Access',
    count: (facets) => facets.all_models,
  }),
  flag({
    key: 'ownerMissing',
    param: 'owner_missing',
    label: 'No owner',
    group: 'Access',
    count: (facets) => facets.owner_missing,
  }),
  flag({
    key: 'teamMissing',
    param: 'team_missing',
    label: 'No team',
    group: 'Access',
    count: (facets) => facets.team_missing,
  }),
  days({
    key: 'unusedForDays',
    param: 'unused_for_days',
    group: 'Last use',
    id: 'unused',
    presets: (facets) =>
      facets.unused_for_days.map((item) => ({ value: item.days, count: item.count })),
    chipLabel: (n) => `Unused ${plural(n, 'day')}`,
    pillLabel: (n) => `Unused for ${plural(n, 'day')}`,
  }),
  flag({
    key: 'neverUsed',
    param: 'never_used',
    label: 'Never used',
    group: 'Last use',
    count: (facets) => facets.never_used,
  }),
  flag({
    key: 'lastUseUnknown',
    param: 'last_use_unknown',
    label: 'Last use unknown',
    group: 'Last use',
    count: (facets) => facets.last_use_unknown,
  }),
  flag({
    key: 'zombie',
    param: 'zombie',
    label: 'Zombie keys',
    group: 'Last use',
    count: (facets) => facets.zombie,
  }),
  flag({
    key: 'rotationOverdue',
    param: 'rotation_overdue',
    label: 'Rotation overdue',
    group: 'Rotation',
    count: (facets) => facets.rotation_overdue,
  }),
  flag({
    key: 'noRotationPolicy',
    param: 'no_rotation_policy',
    label: 'No rotation policy (>90 days)',
    group: 'Rotation',
    count: (facets) => facets.no_rotation_policy,
  }),
  flag({
    key: 'budgetAtRisk',
    param: 'budget_at_risk',
    label: 'Budget at risk',
    group: 'Budget',
    count: (facets) => facets.budget_at_risk,
  }),
  textList({
    key: 'tag',
    param: 'tag',
    label: 'Tag',
    select: { label: 'Tags', noun: 'tag', facet: 'tags' },
  }),
  textList({
    key: 'model',
    param: 'model',
    label: 'Model',
    select: { label: 'Models', noun: 'model', facet: 'models' },
  }),
  textList({
    key: 'team',
    param: 'team',
    label: 'Team',
    select: { label: 'Teams', noun: 'team', facet: 'teams' },
  }),
  textList({
    key: 'owner',
    param: 'owner',
    label: 'Owner',
    select: { label: 'Owners', noun: 'owner', facet: 'owners' },
  }),
  share({
    key: 'spendShareAtLeast',
    param: 'spend_share_at_least',
    group: 'Budget',
    id: 'spend',
    presets: (facets) =>
      facets.spend_share_at_least.map((item) => ({ value: item.share, count: item.count })),
    chipLabel: (s) => (s === 1 ? 'Budget used up' : `Spend ≥ ${Math.round(s * 100)}%`),
    pillLabel: (s) => (s === 1 ? 'Budget used up' : `Spend ≥ ${Math.round(s * 100)}% of budget`),
  }),
] as const;
