import { describe, expect, it } from 'vitest';
import { buildUrl } from '../../../api/client';
import {
  type KeyFilters,
  NO_FILTERS,
  countActiveFilters,
  describeFilters,
  parseStoredFilters,
  parseUrlFilters,
  toApiFilters,
} from './filters';
import {
  DEFAULT_STATE,
  hasUrlState,
  parseStoredView,
  parseUrlState,
  toExportQuery,
  toFacetsQuery,
  toUrlParams,
} from '../tableState';

const every: KeyFilters = {
  status: ['active', 'blocked'],
  expiresWithinDays: 30,
  neverExpires: true,
  allModels: true,
  ownerMissing: true,
  teamMissing: true,
  unusedForDays: 90,
  neverUsed: true,
  lastUseUnknown: true,
  zombie: true,
  rotationOverdue: true,
  noRotationPolicy: true,
  budgetAtRisk: true,
  tag: ['finance', 'prod'],
  model: ['gpt-4o'],
  team: ['team-a'],
  owner: ['Dana Whitfield'],
  spendShareAtLeast: 0.8,
};

describe('filters in the URL', () => {
  it('round-trips every filter with the API parameter names', () => {
    const state = { ...DEFAULT_STATE, search: 'bot', filters: every };
    const params = toUrlParams(state);
    expect(params.toString()).toBe(
      'search=bot&status=active&status=blocked&expires_within_days=30&never_expires=true' +
        '&all_models=true&owner_missing=true&team_missing=true&unused_for_days=90&never_used=true' +
        '&last_use_unknown=true&zombie=true&rotation_overdue=true&no_rotation_policy=true' +
        '&budget_at_risk=true&tag=finance&tag=prod&model=gpt-4o&team=team-a' +
        '&owner=Dana+Whitfield&spend_share_at_least=0.8',
    );
    expect(parseUrlState(params)).toEqual(state);
  });

  it('makes a link with only a filter a view of its own', () => {
    expect(hasUrlState(new URLSearchParams('tag=prod'))).toBe(true);
    expect(hasUrlState(new URLSearchParams('never_expires=true'))).toBe(true);
  });

  it('drops unknown and malformed values instead of failing', () => {
    const params = new URLSearchParams(
      'status=expired&status=deleted&status=EXPIRED&expires_within_days=0' +
        '&never_expires=maybe&all_models=1&owner_missing=&tag=&tag=%20%20&tag=b&tag=a&tag=b' +
        `&model=${'x'.repeat(300)}&spend_share_at_least=-1`,
    );
    expect(parseUrlFilters(params)).toEqual({
      ...NO_FILTERS,
      status: ['expired'],
      allModels: true,
      tag: ['a', 'b'],
    });
    for (const junk of ['abc', '3651', '1.5', '-3', '']) {
      expect(
        parseUrlFilters(new URLSearchParams({ expires_within_days: junk })).expiresWithinDays,
      ).toBeNull();
    }
    for (const junk of ['abc', '0', '101', 'NaN', 'Infinity']) {
      expect(
        parseUrlFilters(new URLSearchParams({ spend_share_at_least: junk })).spendShareAtLeast,
      ).toBeNull();
    }
    expect(parseUrlFilters(new URLSearchParams('expires_within_days=14')).expiresWithinDays).toBe(
      14,
    );
  });

  it('keeps at most 50 values of one filter, as the API accepts', () => {
    const params = new URLSearchParams();
    for (let i = 0; i < 60; i += 1) params.append('tag', `t${String(i).padStart(2, '0')}`);
    expect(parseUrlFilters(params).tag).toHaveLength(50);
  });
});

describe('filters in localStorage', () => {
  it('round-trips through JSON and reads junk defensively', () => {
    const view = { ...parseStoredView(null), filters: every };
    expect(parseStoredView(JSON.parse(JSON.stringify(view)))).toEqual(view);
    expect(
      parseStoredFilters({
        status: ['blocked', 'nope', 3],
        expiresWithinDays: '7',
        neverExpires: 'true',
        tag: 'prod',
        model: [1, 'm'],
        spendShareAtLeast: 500,
      }),
    ).toEqual({ ...NO_FILTERS, status: ['blocked'], expiresWithinDays: 7, model: ['m'] });
    expect(parseStoredFilters('nonsense')).toEqual(NO_FILTERS);
  });
});

describe('filters for the API', () => {
  it('sends active filters only, lists as repeated parameters', () => {
    expect(buildUrl('/api/keys', toApiFilters(NO_FILTERS))).toBe('/api/keys');
    expect(
      buildUrl(
        '/api/keys',
        toApiFilters({ ...NO_FILTERS, status: ['expired'], tag: ['a', 'b'], allModels: true }),
      ),
    ).toBe('/api/keys?status=expired&all_models=true&tag=a&tag=b');
  });

  it('gives facets the search and filters, and export the sort too but no page', () => {
    const state = {
      ...DEFAULT_STATE,
      page: 4,
      search: ' bot ',
      sortBy: 'spend' as const,
      filters: { ...NO_FILTERS, neverExpires: true },
    };
    expect(buildUrl('/api/keys/facets', toFacetsQuery(state))).toBe(
      '/api/keys/facets?search=bot&never_expires=true',
    );
    expect(buildUrl('/api/keys/export', toExportQuery(state, 'csv'))).toBe(
      '/api/keys/export?format=csv&search=bot&sort_by=spend&sort_order=desc&never_expires=true',
    );
  });
});

describe('active filters', () => {
  it('lists each value on its own, each removable without touching the others', () => {
    const active = describeFilters(every);
    expect(active.map((filter) => filter.label)).toEqual([
      'Status: Active',
      'Status: Blocked',
      'Expires within 30 days',
      'Never expires',
      'All-model keys',
      'No owner',
      'No team',
      'Unused for 90 days',
      'Never used',
      'Last use unknown',
      'Zombie keys',
      'Rotation overdue',
      'No rotation policy (>90 days)',
      'Budget at risk',
      'Spend ≥ 80% of budget',
      'Tag: finance',
      'Tag: prod',
      'Model: gpt-4o',
      'Team: team-a',
      'Owner: Dana Whitfield',
    ]);
    expect(countActiveFilters(every)).toBe(active.length);
    const withoutProd = active.find((filter) => filter.id === 'tag-prod')?.without;
    expect(withoutProd).toEqual({ ...every, tag: ['finance'] });
    const withoutBlocked = active.find((filter) => filter.id === 'status-blocked')?.without;
    expect(withoutBlocked?.status).toEqual(['active']);
  });
});
