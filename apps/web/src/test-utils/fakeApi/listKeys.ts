// GET /api/keys: search, filters, sort (empty values last, ties newest first) and paging.
import type { KeyPageOut } from '../../api/syncTypes';
import type { KeyOut } from '../../api/types';
import type { FakeSync } from '../fakeSync';
import { type Filters, matchesFilters, matchesSearch, readFilters } from './filters';
import { invalid, json, readOr422 } from './http';
import { durationSeconds } from './insights';
import { SORT_FIELDS, type SortField } from '../../features/keys/tableState';

// The API's sort fields, as the table names them (the API's enum, checked against its schema).

function sortValue(key: KeyOut, field: SortField): string | number | null {
  // Durations sort by length ("7d" before "1mo"), as the backend does.
  if (field === 'rotation_interval' || field === 'budget_duration') {
    return durationSeconds(key[field]);
  }
  const value = key[field];
  if (Array.isArray(value)) return value.length ? value.join(',').toLowerCase() : null;
  if (typeof value === 'string') return value === '' ? null : value.toLowerCase();
  return value;
}

export interface ListContext {
  keys: KeyOut[];
  now: number;
  fetchedAt: string;
  unreadKeys: number;
  partialCount: number | null;
  sync: FakeSync;
}

export function listKeys(params: URLSearchParams, ctx: ListContext): Response {
  const page = Number(params.get('page') ?? '1');
  const size = Number(params.get('size') ?? '25');
  const search = params.get('search') ?? '';
  const sortBy = (params.get('sort_by') ?? 'created_at') as SortField;
  const sortOrder = params.get('sort_order') ?? 'desc';
  if (!Number.isInteger(page) || page < 1) return invalid('page', 'must be >= 1');
  if (!Number.isInteger(size) || size < 1 || size > 100)
    return invalid('size', 'must be between 1 and 100');
  if (search.length > 500) return invalid('search', 'at most 500 characters');
  if (!SORT_FIELDS.includes(sortBy)) return invalid('sort_by', 'unknown field');
  if (sortOrder !== 'asc' && sortOrder !== 'desc') return invalid('sort_order', 'asc or desc');
  const filters: Filters | Response = readOr422(() => readFilters(params));
  if (filters instanceof Response) return filters;

  const matching = ctx.keys.filter(
    (key) => matchesSearch(key, search) && matchesFilters(key, filters, ctx.now),
  );
  const byCreatedDesc = (a: KeyOut, b: KeyOut) =>
    (b.created_at ?? '').localeCompare(a.created_at ?? '') || a.id.localeCompare(b.id);
  const sorted = [...matching].sort((a, b) => {
    const va = sortValue(a, sortBy);
    const vb = sortValue(b, sortBy);
    if (va === null && vb === null) return byCreatedDesc(a, b);
    if (va === null) return 1; // empty values last in both orders
    if (vb === null) return -1;
    const cmp = va < vb ? -1 : va > vb ? 1 : 0;
    return (sortOrder === 'asc' ? cmp : -cmp) || byCreatedDesc(a, b);
  });

  const total = sorted.length;
  const result: KeyPageOut = {
    items: sorted.slice((page - 1) * size, page * size),
    page,
    size,
    total,
    total_pages: Math.max(1, Math.ceil(total / size)),
    total_keys: ctx.keys.length,
    store_total_keys: ctx.keys.length + ctx.unreadKeys,
    truncated: ctx.unreadKeys > 0,
    partial_count: ctx.partialCount ?? ctx.keys.filter((key) => key.partial).length,
    fetched_at: ctx.fetchedAt,
    freshness: ctx.sync.freshness(ctx.fetchedAt, ctx.sync.loading ? 'litellm_page' : 'mirror'),
  };
  return json(200, result);
}
