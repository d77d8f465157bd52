// The table's structured filters as a whole, every operation driven by the one declaration
// table (`declarations.ts`): how they read from a link or from localStorage, how they are written
// back, what they mean to the API and how they read as removable "active filters". Within one
// filter the values are alternatives (tag=prod&tag=finance: either tag); different filters must
// all hold.
import type { KeysQuery } from '../../../api/types';
import { FILTERS } from './declarations';
import type { FilterDecl, FilterParam } from './kinds';

type Declared = (typeof FILTERS)[number];
type ValueOf<D> = D extends FilterDecl<string, infer T> ? T : never;

/** The filters' values, one field per declaration (`key`); also their localStorage shape. */
export type KeyFilters = { [D in Declared as D['key']]: ValueOf<D> };
export type FilterKey = keyof KeyFilters;

/** Every declaration, seen through the kind-agnostic interface the loops below need. */
export const FILTER_LIST: readonly FilterDecl<FilterKey>[] = FILTERS;

/** A parameter the API filters by but no declaration covers (must stay `never`). */
export type UndeclaredFilterParam = Exclude<FilterParam, Declared['param']>;

function fromEntries(entries: [FilterKey, unknown][]): KeyFilters {
  return Object.fromEntries(entries) as KeyFilters;
}

function valueOf(filters: KeyFilters, key: FilterKey): unknown {
  return filters[key];
}

export const NO_FILTERS: KeyFilters = fromEntries(FILTER_LIST.map((d) => [d.key, d.empty]));

/** The URL parameters are the API's own names, so a view's link and its request read alike. */
export const FILTER_URL_KEYS: readonly FilterParam[] = FILTER_LIST.map((d) => d.param);

export function parseUrlFilters(params: URLSearchParams): KeyFilters {
  return fromEntries(FILTER_LIST.map((d) => [d.key, d.fromUrl(params.getAll(d.param))]));
}

/** Appends the active filters only: no filter, no parameter. */
export function appendUrlFilters(params: URLSearchParams, filters: KeyFilters): void {
  for (const d of FILTER_LIST) {
    for (const value of d.toUrl(valueOf(filters, d.key))) params.append(d.param, value);
  }
}

/** Reads filters saved in localStorage (or anything else) defensively. */
export function parseStoredFilters(raw: unknown): KeyFilters {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return fromEntries(FILTER_LIST.map((d) => [d.key, d.fromStored(value[d.key])]));
}

/** The same filters in canonical form (order, duplicates, bounds), whatever built them. */
export function normalizeFilters(filters: KeyFilters): KeyFilters {
  return parseStoredFilters(filters);
}

type FilterQuery = Pick<KeysQuery, FilterParam>;

/** The filters as the API's query parameters; inactive ones are left out. */
export function toApiFilters(filters: KeyFilters): FilterQuery {
  return Object.fromEntries(
    FILTER_LIST.map((d) => [d.param, d.toApi(valueOf(filters, d.key))]),
  ) as FilterQuery;
}

export interface ActiveFilter {
  /** Stable id, used in data-testid="active-filter-<id>". */
  id: string;
  label: string;
  /** The filters without this one. */
  without: KeyFilters;
}

/** The chip filters first, then the selects: the filter bar's order. */
const BAR_ORDER = [
  ...FILTER_LIST.filter((d) => d.ui.type === 'chips'),
  ...FILTER_LIST.filter((d) => d.ui.type === 'select'),
];

/** Every active filter value on its own, in the filter bar's order, each removable. */
export function describeFilters(filters: KeyFilters): ActiveFilter[] {
  return BAR_ORDER.flatMap((d) =>
    d.pills(valueOf(filters, d.key)).map((pill) => ({
      id: pill.id,
      label: pill.label,
      without: { ...filters, [d.key]: pill.without },
    })),
  );
}

export function countActiveFilters(filters: KeyFilters): number {
  return describeFilters(filters).length;
}

export function hasFilters(filters: KeyFilters): boolean {
  return countActiveFilters(filters) > 0;
}
