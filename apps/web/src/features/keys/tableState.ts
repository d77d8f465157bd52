import type { KeyFacetsQuery, KeysExportQuery, KeysQuery } from '../../api/types';
import {
  FILTER_URL_KEYS,
  type KeyFilters,
  NO_FILTERS,
  appendUrlFilters,
  parseStoredFilters,
  parseUrlFilters,
  toApiFilters,
} from './filters';

/** Every sort_by value the API accepts; the table's column accessors use these names. */
export const SORT_FIELDS = [
  'masked_key',
  'alias',
  'owner',
  'description',
  'created_at',
  'expires_at',
  'allowed_models',
  'tags',
  'spend',
  'max_budget',
  'status',
  'team_id',
  'last_used_at',
  'rotation_interval',
  'rotation_count',
  'last_rotated_at',
  'next_rotation_at',
  'budget_duration',
  'budget_reset_at',
] as const satisfies readonly NonNullable<KeysQuery['sort_by']>[];

export type SortField = (typeof SORT_FIELDS)[number];
export type SortOrder = NonNullable<KeysQuery['sort_order']>;

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

export interface TableState {
  page: number;
  size: PageSize;
  search: string;
  sortBy: SortField;
  sortOrder: SortOrder;
  filters: KeyFilters;
}

/** The API's own defaults, so an unparameterised URL means the same thing to both sides. */
export const DEFAULT_STATE: TableState = {
  page: 1,
  size: 25,
  search: '',
  sortBy: 'created_at',
  sortOrder: 'desc',
  filters: NO_FILTERS,
};

export const URL_KEYS = [
  'page',
  'size',
  'search',
  'sort_by',
  'sort_order',
  ...FILTER_URL_KEYS,
] as const;
const MAX_SEARCH = 500;

export function isSortField(value: unknown): value is SortField {
  return typeof value === 'string' && (SORT_FIELDS as readonly string[]).includes(value);
}

export function isPageSize(value: unknown): value is PageSize {
  return typeof value === 'number' && (PAGE_SIZES as readonly number[]).includes(value);
}

function isSortOrder(value: unknown): value is SortOrder {
  return value === 'asc' || value === 'desc';
}

function toPage(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isInteger(n) && n >= 1 ? n : DEFAULT_STATE.page;
}

function toSearch(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, MAX_SEARCH) : DEFAULT_STATE.search;
}

export function hasUrlState(params: URLSearchParams): boolean {
  return URL_KEYS.some((key) => params.has(key));
}

/** Reads the view from a link. Anything missing or invalid falls back to the defaults. */
export function parseUrlState(params: URLSearchParams): TableState {
  const size = Number(params.get('size'));
  const sortBy = params.get('sort_by');
  const sortOrder = params.get('sort_order');
  return {
    page: toPage(params.get('page')),
    size: isPageSize(size) ? size : DEFAULT_STATE.size,
    search: toSearch(params.get('search') ?? ''),
    sortBy: isSortField(sortBy) ? sortBy : DEFAULT_STATE.sortBy,
    sortOrder: isSortOrder(sortOrder) ? sortOrder : DEFAULT_STATE.sortOrder,
    filters: parseUrlFilters(params),
  };
}

/** Writes only what differs from the defaults, so plain /keys stays plain. */
export function toUrlParams(state: TableState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.search) params.set('search', state.search);
  appendUrlFilters(params, state.filters);
  if (state.sortBy !== DEFAULT_STATE.sortBy) params.set('sort_by', state.sortBy);
  if (state.sortOrder !== DEFAULT_STATE.sortOrder) params.set('sort_order', state.sortOrder);
  if (state.size !== DEFAULT_STATE.size) params.set('size', String(state.size));
  if (state.page !== DEFAULT_STATE.page) params.set('page', String(state.page));
  return params;
}

/** What survives a reload through localStorage: everything but the page. */
export type StoredView = Omit<TableState, 'page'>;

export function parseStoredView(raw: unknown): StoredView {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return {
    size: isPageSize(value.size) ? value.size : DEFAULT_STATE.size,
    search: toSearch(value.search),
    sortBy: isSortField(value.sortBy) ? value.sortBy : DEFAULT_STATE.sortBy,
    sortOrder: isSortOrder(value.sortOrder) ? value.sortOrder : DEFAULT_STATE.sortOrder,
    filters: parseStoredFilters(value.filters),
  };
}

export function toApiQuery(state: TableState): KeysQuery {
  return {
    page: state.page,
    size: state.size,
    search: state.search.trim() || undefined,
    sort_by: state.sortBy,
    sort_order: state.sortOrder,
    ...toApiFilters(state.filters),
  };
}

/** The facets the filter bar and the summary cards count: the view's search and filters. */
export function toFacetsQuery(state: TableState): KeyFacetsQuery {
  return { search: state.search.trim() || undefined, ...toApiFilters(state.filters) };
}

export type ExportFormat = NonNullable<KeysExportQuery['format']>;

/** The whole view (search, filters, sort; every page) as a download. */
export function toExportQuery(state: TableState, format: ExportFormat): KeysExportQuery {
  return {
    format,
    search: state.search.trim() || undefined,
    sort_by: state.sortBy,
    sort_order: state.sortOrder,
    ...toApiFilters(state.filters),
  };
}
