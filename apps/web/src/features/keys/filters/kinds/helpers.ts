import { queryParam } from '../../../../api/openapi';
import type { FilterParam } from './types';

export const API_PATH = '/api/keys';

export function kebab(name: string): string {
  return name.replaceAll('_', '-');
}

export function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

export function list(raw: unknown): readonly unknown[] {
  return Array.isArray(raw) ? raw : [];
}

export function plural(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}

/** Whether the API accepts `n` for `param` (its minimum, exclusiveMinimum and maximum). */
export function bounds(param: FilterParam): (n: number) => boolean {
  const { minimum, maximum, exclusiveMinimum } = queryParam(API_PATH, param);
  return (n) =>
    Number.isFinite(n) &&
    (minimum === undefined || n >= minimum) &&
    (exclusiveMinimum === undefined || n > exclusiveMinimum) &&
    (maximum === undefined || n <= maximum);
}
