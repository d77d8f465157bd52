export { FILTERS } from './declarations';
export {
  type ActiveFilter,
  FILTER_LIST,
  FILTER_URL_KEYS,
  type FilterKey,
  type KeyFilters,
  NO_FILTERS,
  type UndeclaredFilterParam,
  appendUrlFilters,
  countActiveFilters,
  describeFilters,
  hasFilters,
  normalizeFilters,
  parseStoredFilters,
  parseUrlFilters,
  toApiFilters,
} from './filters';
export type { Chip, ChipsUi, FilterDecl, FilterParam, SelectUi, ValueFacet } from './kinds';
