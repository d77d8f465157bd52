// The table's structured filters: how they read from a link or from localStorage, how they are
// written back, and what they mean to the API. Within one filter the values are alternatives
// (tag=prod&tag=finance: either tag); different filters must all hold.
import type { KeyOut, KeysQuery } from '../../api/types';

export const STATUSES = [
  'active',
  'expired',
  'blocked',
] as const satisfies readonly KeyOut['status'][];
export type KeyStatus = (typeof STATUSES)[number];

/** "Expires within" presets the filter bar offers and the facets endpoint counts. */
export const EXPIRY_PRESETS = [7, 30, 90] as const;
/** Spend-share chips: at least 80% of max_budget, and the whole budget used up. */
export const SPEND_PRESETS = [0.8, 1] as const;

export const LIST_FILTERS = ['tag', 'model', 'team', 'owner'] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

export interface KeyFilters {
  status: KeyStatus[];
  expiresWithinDays: number | null;
  neverExpires: boolean;
  allModels: boolean;
  ownerMissing: boolean;
  tag: string[];
  model: string[];
  team: string[];
  owner: string[];
  spendShareAtLeast: number | null;
}

export const NO_FILTERS: KeyFilters = {
  status: [],
  expiresWithinDays: null,
  neverExpires: false,
  allModels: false,
  ownerMissing: false,
  tag: [],
  model: [],
  team: [],
  owner: [],
  spendShareAtLeast: null,
};

/** The URL parameters are the API's own names, so a view's link and its request read alike. */
export const FILTER_URL_KEYS = [
  'status',
  'expires_within_days',
  'never_expires',
  'all_models',
  'owner_missing',
  'tag',
  'model',
  'team',
  'owner',
  'spend_share_at_least',
] as const;

// The API's bounds (keydash_core.filters); a value outside them would be a 422, so it is dropped.
const MAX_VALUES = 50;
const MAX_VALUE_LENGTH = 256;
const MAX_DAYS = 3650;
const MAX_SHARE = 100;

function isStatus(value: unknown): value is KeyStatus {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

function toStatuses(values: readonly unknown[]): KeyStatus[] {
  // Canonical order, so the same filter always makes the same link and the same request.
  return STATUSES.filter((status) => values.includes(status));
}

function toValues(values: readonly unknown[]): string[] {
  const kept = values.filter(
    (value): value is string =>
      typeof value === 'string' && value.trim() !== '' && value.length <= MAX_VALUE_LENGTH,
  );
  return [...new Set(kept)].sort().slice(0, MAX_VALUES);
}

function toDays(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_DAYS ? n : null;
}

function toShare(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 && n <= MAX_SHARE ? n : null;
}

function toFlag(value: string | null): boolean {
  return value === 'true' || value === '1';
}

export function parseUrlFilters(params: URLSearchParams): KeyFilters {
  return {
    status: toStatuses(params.getAll('status').map((value) => value.trim().toLowerCase())),
    expiresWithinDays: toDays(params.get('expires_within_days')),
    neverExpires: toFlag(params.get('never_expires')),
    allModels: toFlag(params.get('all_models')),
    ownerMissing: toFlag(params.get('owner_missing')),
    tag: toValues(params.getAll('tag')),
    model: toValues(params.getAll('model')),
    team: toValues(params.getAll('team')),
    owner: toValues(params.getAll('owner')),
    spendShareAtLeast: toShare(params.get('spend_share_at_least')),
  };
}

/** Appends the active filters only: no filter, no parameter. */
export function appendUrlFilters(params: URLSearchParams, filters: KeyFilters): void {
  for (const status of filters.status) params.append('status', status);
  if (filters.expiresWithinDays !== null) {
    params.append('expires_within_days', String(filters.expiresWithinDays));
  }
  if (filters.neverExpires) params.append('never_expires', 'true');
  if (filters.allModels) params.append('all_models', 'true');
  if (filters.ownerMissing) params.append('owner_missing', 'true');
  for (const name of LIST_FILTERS) for (const value of filters[name]) params.append(name, value);
  if (filters.spendShareAtLeast !== null) {
    params.append('spend_share_at_least', String(filters.spendShareAtLeast));
  }
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Reads filters saved in localStorage (or anything else) defensively. */
export function parseStoredFilters(raw: unknown): KeyFilters {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return {
    status: toStatuses(list(value.status).filter(isStatus)),
    expiresWithinDays: toDays(value.expiresWithinDays),
    neverExpires: value.neverExpires === true,
    allModels: value.allModels === true,
    ownerMissing: value.ownerMissing === true,
    tag: toValues(list(value.tag)),
    model: toValues(list(value.model)),
    team: toValues(list(value.team)),
    owner: toValues(list(value.owner)),
    spendShareAtLeast: toShare(value.spendShareAtLeast),
  };
}

/** The same filters in canonical form (order, duplicates, bounds), whatever built them. */
export function normalizeFilters(filters: KeyFilters): KeyFilters {
  return parseStoredFilters(filters);
}

export function countActiveFilters(filters: KeyFilters): number {
  return (
    filters.status.length +
    (filters.expiresWithinDays !== null ? 1 : 0) +
    (filters.neverExpires ? 1 : 0) +
    (filters.allModels ? 1 : 0) +
    (filters.ownerMissing ? 1 : 0) +
    LIST_FILTERS.reduce((sum, name) => sum + filters[name].length, 0) +
    (filters.spendShareAtLeast !== null ? 1 : 0)
  );
}

export function hasFilters(filters: KeyFilters): boolean {
  return countActiveFilters(filters) > 0;
}

type FilterQuery = Pick<KeysQuery, (typeof FILTER_URL_KEYS)[number]>;

/** The filters as the API's query parameters; inactive ones are left out. */
export function toApiFilters(filters: KeyFilters): FilterQuery {
  const many = <T extends string>(values: readonly T[]): T[] | undefined =>
    values.length ? [...values] : undefined;
  return {
    status: many(filters.status),
    expires_within_days: filters.expiresWithinDays ?? undefined,
    never_expires: filters.neverExpires || undefined,
    all_models: filters.allModels || undefined,
    owner_missing: filters.ownerMissing || undefined,
    tag: many(filters.tag),
    model: many(filters.model),
    team: many(filters.team),
    owner: many(filters.owner),
    spend_share_at_least: filters.spendShareAtLeast ?? undefined,
  };
}

export const STATUS_LABELS: Record<KeyStatus, string> = {
  active: 'Active',
  expired: 'Expired',
  blocked: 'Blocked',
};

const LIST_LABELS: Record<ListFilter, string> = {
  tag: 'Tag',
  model: 'Model',
  team: 'Team',
  owner: 'Owner',
};

export function spendLabel(share: number): string {
  return share === 1 ? 'Budget used up' : `Spend ≥ ${Math.round(share * 100)}% of budget`;
}

export function expiryLabel(days: number): string {
  return `Expires within ${days} ${days === 1 ? 'day' : 'days'}`;
}

export interface ActiveFilter {
  /** Stable id, used in data-testid="active-filter-<id>". */
  id: string;
  label: string;
  /** The filters without this one. */
  without: KeyFilters;
}

/** Every active filter value on its own, in the filter bar's order, each removable. */
export function describeFilters(filters: KeyFilters): ActiveFilter[] {
  const active: ActiveFilter[] = [];
  for (const status of filters.status) {
    active.push({
      id: `status-${status}`,
      label: `Status: ${STATUS_LABELS[status]}`,
      without: { ...filters, status: filters.status.filter((s) => s !== status) },
    });
  }
  if (filters.expiresWithinDays !== null) {
    active.push({
      id: 'expires-within',
      label: expiryLabel(filters.expiresWithinDays),
      without: { ...filters, expiresWithinDays: null },
    });
  }
  if (filters.neverExpires) {
    active.push({
      id: 'never-expires',
      label: 'Never expires',
      without: { ...filters, neverExpires: false },
    });
  }
  if (filters.allModels) {
    active.push({
      id: 'all-models',
      label: 'All-model keys',
      without: { ...filters, allModels: false },
    });
  }
  if (filters.ownerMissing) {
    active.push({
      id: 'owner-missing',
      label: 'No owner',
      without: { ...filters, ownerMissing: false },
    });
  }
  if (filters.spendShareAtLeast !== null) {
    active.push({
      id: 'spend',
      label: spendLabel(filters.spendShareAtLeast),
      without: { ...filters, spendShareAtLeast: null },
    });
  }
  for (const name of LIST_FILTERS) {
    for (const value of filters[name]) {
      active.push({
        id: `${name}-${value}`,
        label: `${LIST_LABELS[name]}: ${value}`,
        without: { ...filters, [name]: filters[name].filter((v) => v !== value) },
      });
    }
  }
  return active;
}
