import { describe, expect, it } from 'vitest';
import { NO_FILTERS } from './filters';
import {
  DEFAULT_STATE,
  hasUrlState,
  parseStoredView,
  parseUrlState,
  toApiQuery,
  toUrlParams,
} from './tableState';

describe('table state in the URL', () => {
  it('round-trips a view and leaves defaults out', () => {
    const state = {
      page: 3,
      size: 50 as const,
      search: 'prod gpt',
      sortBy: 'owner' as const,
      sortOrder: 'asc' as const,
      filters: NO_FILTERS,
    };
    const params = toUrlParams(state);
    expect(params.toString()).toBe('search=prod+gpt&sort_by=owner&sort_order=asc&size=50&page=3');
    expect(parseUrlState(params)).toEqual(state);
    expect(toUrlParams(DEFAULT_STATE).toString()).toBe('');
  });

  it('falls back to defaults for junk', () => {
    const params = new URLSearchParams('page=0&size=1000&sort_by=id&sort_order=sideways');
    expect(hasUrlState(params)).toBe(true);
    expect(parseUrlState(params)).toEqual(DEFAULT_STATE);
    expect(hasUrlState(new URLSearchParams('utm=1'))).toBe(false);
  });

  it('reads a stored view defensively', () => {
    expect(parseStoredView('nonsense')).toEqual({
      size: 25,
      search: '',
      sortBy: 'created_at',
      sortOrder: 'desc',
      filters: NO_FILTERS,
    });
    expect(parseStoredView({ size: 100, search: 'x', sortBy: 'tags', sortOrder: 'asc' })).toEqual({
      size: 100,
      search: 'x',
      sortBy: 'tags',
      sortOrder: 'asc',
      filters: NO_FILTERS,
    });
  });

  it('maps to the API query names', () => {
    expect(toApiQuery({ ...DEFAULT_STATE, search: '  ' })).toEqual({
      page: 1,
      size: 25,
      search: undefined,
      sort_by: 'created_at',
      sort_order: 'desc',
    });
  });
});
