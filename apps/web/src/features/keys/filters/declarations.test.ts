// The filter table itself: every filter the API takes is declared once, and each declaration
// makes the same round trip (URL -> state -> localStorage -> API query) with the API's rules.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { buildUrl } from '../../../api/client';
import { queryParam, queryParams } from '../../../api/openapi';
import {
  FILTER_LIST,
  type FilterDecl,
  type FilterKey,
  type KeyFilters,
  NO_FILTERS,
  type UndeclaredFilterParam,
  appendUrlFilters,
  describeFilters,
  parseStoredFilters,
  parseUrlFilters,
  toApiFilters,
} from '.';

const VIEW_PARAMS = ['page', 'size', 'search', 'sort_by', 'sort_order'];

/** A value that turns the filter on, from the API's own rules where it has any. */
function sample(d: FilterDecl<FilterKey>): unknown {
  const rules = queryParam('/api/keys', d.param);
  switch (d.kind) {
    case 'enum-list':
      return rules.enum;
    case 'flag':
      return true;
    case 'days':
      return rules.maximum;
    case 'share':
      return 0.5;
    case 'text-list':
      return ['finance', 'prod team'];
  }
}

function only(d: FilterDecl<FilterKey>, value: unknown): KeyFilters {
  return { ...NO_FILTERS, [d.key]: value };
}

describe('the filter table', () => {
  it('declares every filter parameter of the API, once, under its own name', () => {
    const apiFilters = queryParams('/api/keys')
      .map((rules) => rules.name)
      .filter((name) => !VIEW_PARAMS.includes(name));
    expect(FILTER_LIST.map((d) => d.param)).toEqual(apiFilters);
    expect(new Set(FILTER_LIST.map((d) => d.key)).size).toBe(FILTER_LIST.length);
    // The counts and the export take the same filters.
    for (const path of ['/api/keys/facets', '/api/keys/export']) {
      const names = queryParams(path).map((rules) => rules.name);
      expect(names).toEqual(expect.arrayContaining(apiFilters));
    }
    expectTypeOf<UndeclaredFilterParam>().toEqualTypeOf<never>();
  });

  it('has each declaration off by default, with no parameter, no query and no pill', () => {
    const params = new URLSearchParams();
    appendUrlFilters(params, NO_FILTERS);
    expect(params.toString()).toBe('');
    expect(buildUrl('/api/keys', toApiFilters(NO_FILTERS))).toBe('/api/keys');
    expect(describeFilters(NO_FILTERS)).toEqual([]);
  });

  for (const d of FILTER_LIST) {
    it(`round-trips ${d.param} (${d.kind}): URL -> state -> storage -> API query`, () => {
      const filters = only(d, sample(d));
      const params = new URLSearchParams();
      appendUrlFilters(params, filters);
      expect([...new Set(params.keys())]).toEqual([d.param]);

      const parsed = parseUrlFilters(params);
      expect(parsed).toEqual(filters);
      expect(parseStoredFilters(JSON.parse(JSON.stringify(parsed)))).toEqual(filters);
      // The link and the API request read alike.
      expect(buildUrl('/api/keys', toApiFilters(parsed))).toBe(`/api/keys?${params.toString()}`);

      // Each value is a removable pill; removing them all turns the filter off.
      const pills = describeFilters(parsed);
      expect(pills.length).toBeGreaterThan(0);
      const emptied = pills.reduce((state, pill) => {
        const next = describeFilters(state).find((p) => p.id === pill.id);
        return next ? next.without : state;
      }, parsed);
      expect(emptied).toEqual(NO_FILTERS);
    });
  }

  it("drops what the API's OpenAPI document would refuse", () => {
    for (const d of FILTER_LIST) {
      const rules = queryParam('/api/keys', d.param);
      const read = (...values: string[]) => {
        const params = new URLSearchParams();
        for (const value of values) params.append(d.param, value);
        return parseUrlFilters(params)[d.key];
      };
      if (rules.maximum !== undefined) {
        expect(read(String(rules.maximum + 1))).toEqual(d.empty);
        expect(read(String(rules.maximum))).toBe(rules.maximum);
      }
      if (rules.minimum !== undefined) expect(read(String(rules.minimum - 1))).toEqual(d.empty);
      if (rules.exclusiveMinimum !== undefined) {
        expect(read(String(rules.exclusiveMinimum))).toEqual(d.empty);
      }
      if (rules.enum) expect(read('no-such-value')).toEqual(d.empty);
      if (rules.maxItems !== undefined && d.kind === 'text-list') {
        const many = Array.from({ length: rules.maxItems + 5 }, (_, i) => `v${1000 + i}`);
        expect(read(...many)).toHaveLength(rules.maxItems);
      }
    }
  });
});
