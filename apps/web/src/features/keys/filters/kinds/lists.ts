// The list kinds: several values out of the API's enum, or any values the keys carry.
import type { KeyFacets } from '../../../../api/types';
import { queryParam } from '../../../../api/openapi';
import { API_PATH, capitalize, list } from './helpers';
import type { EnumListParam, EnumOf, FilterDecl, ParamsOfType, ValueFacet } from './types';

/** Several values out of the API's enum (status=active&status=blocked). */
export function enumList<K extends string, P extends EnumListParam>(spec: {
  key: K;
  param: P;
  /** The chip group's title and the pills' prefix ("Status: Active"). */
  label: string;
  count: (facets: KeyFacets, value: EnumOf<P>) => number;
}): FilterDecl<K, EnumOf<P>[]> {
  type V = EnumOf<P>;
  const { key, param, label, count } = spec;
  // The document's enum is the one `V` is generated from (src/api/schema.ts): one source.
  const values = (queryParam(API_PATH, param).enum ?? []) as readonly V[];
  // Canonical order, so the same filter always makes the same link and the same request.
  const canonical = (input: readonly unknown[]): V[] => values.filter((v) => input.includes(v));
  return {
    key,
    param,
    kind: 'enum-list',
    empty: [],
    fromUrl: (raw) => canonical(raw.map((value) => value.trim().toLowerCase())),
    fromStored: (raw) => canonical(list(raw)),
    toUrl: (value) => [...value],
    toApi: (value) => (value.length ? [...value] : undefined),
    pills: (value) =>
      value.map((v) => ({
        id: `${param}-${v}`,
        label: `${label}: ${capitalize(v)}`,
        without: value.filter((other) => other !== v),
      })),
    ui: {
      type: 'chips',
      group: label,
      chips: (value, facets) =>
        values.map((v) => {
          const pressed = value.includes(v);
          return {
            id: `${param}-${v}`,
            label: capitalize(v),
            count: facets && count(facets, v),
            pressed,
            next: pressed ? value.filter((other) => other !== v) : canonical([...value, v]),
          };
        }),
    },
  };
}

/**
 * The one bound the OpenAPI document does not carry: keydash_core.filters refuses list values
 * over 256 characters (MAX_FILTER_VALUE_LENGTH) without declaring it. Used only while the
 * document has no `maxLength` for the parameter's items.
 */
const UNDECLARED_MAX_VALUE_LENGTH = 256;

/** Any values the keys carry (tag=prod&tag=finance), picked from the facet's list. */
export function textList<K extends string>(spec: {
  key: K;
  param: ParamsOfType<string[]>;
  /** The pills' prefix ("Tag: prod"). */
  label: string;
  select: { label: string; noun: string; facet: ValueFacet };
}): FilterDecl<K, string[]> {
  const { key, param, label, select } = spec;
  const rules = queryParam(API_PATH, param);
  const maxValues = rules.maxItems ?? Number.POSITIVE_INFINITY;
  const maxLength = rules.maxLength ?? UNDECLARED_MAX_VALUE_LENGTH;
  const clean = (raw: readonly unknown[]): string[] => {
    const kept = raw.filter(
      (value): value is string =>
        typeof value === 'string' && value.trim() !== '' && value.length <= maxLength,
    );
    return [...new Set(kept)].sort().slice(0, maxValues);
  };
  return {
    key,
    param,
    kind: 'text-list',
    empty: [],
    fromUrl: clean,
    fromStored: (raw) => clean(list(raw)),
    toUrl: (value) => [...value],
    toApi: (value) => (value.length ? [...value] : undefined),
    pills: (value) =>
      value.map((v) => ({
        id: `${param}-${v}`,
        label: `${label}: ${v}`,
        without: value.filter((other) => other !== v),
      })),
    ui: {
      type: 'select',
      ...select,
      maxValues: rules.maxItems,
      selected: (value) => value,
      choose: clean,
    },
  };
}
