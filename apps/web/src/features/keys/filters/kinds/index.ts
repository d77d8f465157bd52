// The five kinds of filter and how each one reads, writes, counts and shows its value. A filter
// is declared once, in `../declarations.ts`, by calling one of these with its names and labels;
// its bounds and accepted values come from the API's OpenAPI document (`queryParam`).
export { plural } from './helpers';
export { enumList, textList } from './lists';
export { days, flag, share } from './single';
export type {
  Chip,
  ChipsUi,
  FilterDecl,
  FilterKind,
  FilterParam,
  Pill,
  SelectUi,
  ValueFacet,
} from './types';
