// Shared by the KeysPage filter, summary-card, export and filter-state tests: one fleet of keys
// and small readers of what the page sent to the fake API and stored.
import { screen, waitFor } from '@testing-library/react';
import { expect } from 'vitest';
import type { KeyOut } from '../../api/types';
import type { FakeApi } from '../../test-utils/fakeApi';
import { makeKey } from '../../test-utils/keyFactory';
import { VIEW_STORAGE_KEY } from './viewStorage';

// The fake's snapshot is read at 2026-11-23T09:00:00Z; expiry filters count from then.
export function fleet(): KeyOut[] {
  return [
    makeKey({ owner: 'Dana', tags: ['prod'], allowed_models: ['gpt-4o'] }),
    makeKey({
      owner: 'Ari',
      tags: ['prod', 'finance'],
      allowed_models: [],
      expires_at: '2026-11-27T00:00:00Z',
      spend: 90,
      max_budget: 100,
    }),
    makeKey({
      owner: null,
      tags: ['dev'],
      allowed_models: ['all-proxy-models'],
      expires_at: '2027-01-10T00:00:00Z',
    }),
    makeKey({
      status: 'expired',
      owner: 'Bo',
      tags: ['dev'],
      allowed_models: ['gpt-4o'],
      expires_at: '2026-10-01T00:00:00Z',
      spend: 150,
      max_budget: 100,
    }),
    makeKey({ status: 'expired', owner: 'Dana', expires_at: '2026-11-01T00:00:00Z' }),
    makeKey({ status: 'blocked', owner: 'Cy', tags: ['prod'], allowed_models: ['claude-3'] }),
  ];
}

export function lastParams(api: FakeApi, path = '/api/keys'): Record<string, string[]> {
  const params = api.lastRequestTo(path)?.params ?? new URLSearchParams();
  const out: Record<string, string[]> = {};
  for (const key of new Set(params.keys())) out[key] = params.getAll(key);
  return out;
}

export function storedFilters(): Record<string, unknown> | undefined {
  const raw = window.localStorage.getItem(VIEW_STORAGE_KEY);
  return raw ? (JSON.parse(raw) as { filters?: Record<string, unknown> }).filters : undefined;
}

export async function ready() {
  // Generous: the first test of the file also pays for loading the lazy page on a busy machine.
  await screen.findAllByTestId('key-row', {}, { timeout: 10_000 });
  await waitFor(() =>
    expect(screen.getByTestId('filter-chip-status-active')).toHaveAttribute('data-count'),
  );
}
