// The kinds with one value: a yes-only flag, and a number (days, or a share) offered as the
// presets the facets answer counts.
import type { KeyFacets } from '../../../../api/types';
import { bounds, kebab } from './helpers';
import type { FilterDecl, ParamsOfType } from './types';

/** A yes-only switch (never_expires=true). */
export function flag<K extends string>(spec: {
  key: K;
  param: ParamsOfType<boolean>;
  label: string;
  group: string;
  count: (facets: KeyFacets) => number;
}): FilterDecl<K, boolean> {
  const { key, param, label, group, count } = spec;
  const id = kebab(param);
  return {
    key,
    param,
    kind: 'flag',
    empty: false,
    fromUrl: ([first]) => first === 'true' || first === '1',
    fromStored: (raw) => raw === true,
    toUrl: (value) => (value ? ['true'] : []),
    toApi: (value) => value || undefined,
    pills: (value) => (value ? [{ id, label, without: false }] : []),
    ui: {
      type: 'chips',
      group,
      chips: (value, facets) => [
        { id, label, count: facets && count(facets), pressed: value, next: !value },
      ],
    },
  };
}

interface PresetSpec<K extends string> {
  key: K;
  param: ParamsOfType<number>;
  group: string;
  /** Chip ids are `<id>-<preset>`, e.g. expires-30 or spend-80. */
  id: string;
  /** The pill's id, when it is not `id`. */
  pillId?: string;
  /** The presets and their counts, as the facets answer lists them. */
  presets: (facets: KeyFacets) => { value: number; count: number }[];
  chipLabel: (value: number) => string;
  pillLabel: (value: number) => string;
}

/** One number out of the API's bounds; the chips offer the presets the facets answer counts. */
function preset<K extends string>(
  kind: 'days' | 'share',
  spec: PresetSpec<K>,
  read: (raw: unknown) => number | null,
  /** The preset's part of its chip id. */
  idOf: (value: number) => string,
): FilterDecl<K, number | null> {
  const { key, param, group, id, pillId = id, presets, chipLabel, pillLabel } = spec;
  return {
    key,
    param,
    kind,
    empty: null,
    fromUrl: ([first]) => read(first ?? null),
    fromStored: read,
    toUrl: (value) => (value === null ? [] : [String(value)]),
    toApi: (value) => value ?? undefined,
    pills: (value) =>
      value === null ? [] : [{ id: pillId, label: pillLabel(value), without: null }],
    ui: {
      type: 'chips',
      group,
      // No counts answer, no presets: the SPA offers only what the API counts.
      chips: (value, facets) =>
        (facets ? presets(facets) : []).map((item) => ({
          id: `${id}-${idOf(item.value)}`,
          label: chipLabel(item.value),
          count: item.count,
          pressed: value === item.value,
          next: value === item.value ? null : item.value,
        })),
    },
  };
}

/** A whole number of days (expires_within_days=30): chips `<id>-30`. */
export function days<K extends string>(spec: PresetSpec<K>): FilterDecl<K, number | null> {
  const accepted = bounds(spec.param);
  const read = (raw: unknown) => {
    const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
    return typeof n === 'number' && Number.isInteger(n) && accepted(n) ? n : null;
  };
  return preset('days', spec, read, String);
}

/** A share, 1 = 100% (spend_share_at_least=0.8). */
export function share<K extends string>(spec: PresetSpec<K>): FilterDecl<K, number | null> {
  const accepted = bounds(spec.param);
  const read = (raw: unknown) => {
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    return typeof n === 'number' && accepted(n) ? n : null;
  };
  // Chip ids in percent: spend-80, spend-100.
  return preset('share', spec, read, (value) => String(Math.round(value * 100)));
}
