// What every filter declaration is (`FilterDecl`), and the parameter types a kind may take:
// a declaration whose kind does not fit its parameter's generated type does not compile.
import type { KeyFacets, KeysQuery } from '../../../../api/types';

/** The API's filter parameters: every GET /api/keys parameter but the view's own. */
export type FilterParam = Exclude<
  keyof KeysQuery,
  'page' | 'size' | 'search' | 'sort_by' | 'sort_order'
>;
export type ParamType<P extends FilterParam> = NonNullable<KeysQuery[P]>;
/** The parameters whose generated type is `T` (so a declaration's kind must fit its param). */
export type ParamsOfType<T> = {
  [P in FilterParam]-?: ParamType<P> extends T ? (T extends ParamType<P> ? P : never) : never;
}[FilterParam];
export type EnumListParam = {
  [P in FilterParam]-?: ParamType<P> extends readonly string[]
    ? string[] extends ParamType<P>
      ? never
      : P
    : never;
}[FilterParam];
/** The values of an enum list parameter, as generated from the OpenAPI document. */
export type EnumOf<P extends EnumListParam> = ParamType<P>[number];

export type FilterKind = 'enum-list' | 'flag' | 'days' | 'share' | 'text-list';
export type Facets = KeyFacets | undefined;
/** The facets that list values with counts (tags, models, teams, owners). */
export type ValueFacet = 'tags' | 'models' | 'teams' | 'owners';

/** One toggle button of the filter bar: test id `filter-chip-<id>`. */
export interface Chip<T> {
  id: string;
  label: string;
  /** Absent while the counts are loading or unavailable. */
  count: number | undefined;
  pressed: boolean;
  /** The filter's value once this chip is clicked. */
  next: T;
}

/** One removable "active filter": test id `active-filter-<id>`. */
export interface Pill<T> {
  id: string;
  label: string;
  /** The filter's value without this one. */
  without: T;
}

export interface ChipsUi<T> {
  type: 'chips';
  /** The labelled group of chips it joins in the filter bar. */
  group: string;
  chips(value: T, facets: Facets): Chip<T>[];
}

export interface SelectUi<T> {
  type: 'select';
  label: string;
  noun: string;
  facet: ValueFacet;
  /** The API's most values for the parameter, if it declares one. */
  maxValues: number | undefined;
  selected(value: T): string[];
  choose(values: string[]): T;
}

/**
 * One filter: `key` names it in the table state and in localStorage, `param` in the URL and the
 * API. (Methods, not function properties, so every declaration fits `FilterDecl<string, unknown>`.)
 */
export interface FilterDecl<K extends string = string, T = unknown> {
  readonly key: K;
  readonly param: FilterParam;
  readonly kind: FilterKind;
  /** The value when the filter is off. */
  readonly empty: T;
  /** From the parameter's values in a link (`params.getAll(param)`); junk is dropped. */
  fromUrl(values: string[]): T;
  /** From anything (localStorage, a caller's object): junk is dropped. */
  fromStored(raw: unknown): T;
  /** The parameter's values for a link; none when off. */
  toUrl(value: T): string[];
  /** The API's query value; undefined when off. */
  toApi(value: T): readonly string[] | number | boolean | undefined;
  /** Each active value on its own, removable. */
  pills(value: T): Pill<T>[];
  readonly ui: ChipsUi<T> | SelectUi<T>;
}
