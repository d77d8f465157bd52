// The insight filters (last use, rotation, budget, zombies): each chip is counted by the
// facets, written to the URL under the API's own name and sent to the API; the zombie card
// applies its filter.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { KeyOut } from '../../api/types';
import { type FakeApi, installFakeApi } from '../../test-utils/fakeApi';
import { makeKey } from '../../test-utils/keyFactory';
import { renderApp } from '../../test-utils/render';

// The fake's snapshot is read at 2026-11-23T09:00:00Z: the insights count from then.
function fleet(): KeyOut[] {
  return [
    makeKey({
      description: 'rotation late',
      created_at: '2026-06-01T00:00:00Z',
      last_use: 'used',
      last_used_at: '2026-11-13T00:00:00Z',
      auto_rotate: true,
      rotation_interval: '30d',
      next_rotation_at: '2026-11-01T00:00:00Z',
    }),
    makeKey({
      description: 'forgotten',
      created_at: '2026-01-01T00:00:00Z',
      last_use: 'used',
      last_used_at: '2026-08-15T00:00:00Z',
    }),
    makeKey({ description: 'brand new', created_at: '2026-11-20T00:00:00Z', last_use: 'never' }),
    makeKey({ description: 'ancient', created_at: '2025-01-01T00:00:00Z', last_use: 'unknown' }),
    makeKey({
      description: 'big spender',
      created_at: '2026-10-01T00:00:00Z',
      last_use: 'used',
      last_used_at: '2026-11-22T00:00:00Z',
      auto_rotate: true,
      rotation_interval: '90d',
      next_rotation_at: '2027-01-01T00:00:00Z',
      spend: 90,
      max_budget: 100,
      budget_duration: '30d',
      budget_reset_at: '2026-12-20T00:00:00Z',
    }),
    makeKey({
      description: 'blocked idle',
      status: 'blocked',
      created_at: '2026-03-01T00:00:00Z',
      last_use: 'never',
    }),
  ];
}

function lastParams(api: FakeApi, path = '/api/keys'): Record<string, string[]> {
  const params = api.lastRequestTo(path)?.params ?? new URLSearchParams();
  const out: Record<string, string[]> = {};
  for (const key of new Set(params.keys())) out[key] = params.getAll(key);
  return out;
}

async function ready() {
  await screen.findAllByTestId('key-row', {}, { timeout: 10_000 });
  await waitFor(() =>
    expect(screen.getByTestId('filter-chip-zombie')).toHaveAttribute('data-count'),
  );
}

const descriptions = () =>
  screen
    .getAllByTestId('key-row')
    .map((row) => row.querySelector('td:nth-child(3)')?.textContent)
    .sort();

// chip id, URL and API parameter, its value, the count the facets give, the keys it keeps.
const CHIPS: [string, string, string, number, string[]][] = [
  ['unused-30', 'unused_for_days', '30', 2, ['blocked idle', 'forgotten']],
  ['unused-90', 'unused_for_days', '90', 2, ['blocked idle', 'forgotten']],
  ['never-used', 'never_used', 'true', 2, ['blocked idle', 'brand new']],
  ['last-use-unknown', 'last_use_unknown', 'true', 1, ['ancient']],
  ['zombie', 'zombie', 'true', 1, ['forgotten']],
  ['rotation-overdue', 'rotation_overdue', 'true', 1, ['rotation late']],
  ['no-rotation-policy', 'no_rotation_policy', 'true', 3, ['ancient', 'blocked idle', 'forgotten']],
  ['budget-at-risk', 'budget_at_risk', 'true', 1, ['big spender']],
];

describe('insight filters', () => {
  it('groups the chips under Last use, Rotation and Budget, with their labels', async () => {
    installFakeApi({ keys: fleet() });
    renderApp('/keys');
    await ready();
    const labels = (group: string) =>
      within(screen.getByRole('group', { name: group }))
        .getAllByRole('button')
        .map((chip) => chip.textContent?.replace(/\d+$/, ''));
    expect(labels('Last use')).toEqual([
      'Unused 30 days',
      'Unused 90 days',
      'Never used',
      'Last use unknown',
      'Zombie keys',
    ]);
    expect(labels('Rotation')).toEqual(['Rotation overdue', 'No rotation policy (>90 days)']);
    expect(labels('Budget')[0]).toBe('Budget at risk');
  });

  it('sends each chip under its API name, in the URL and the query, and narrows the table', async () => {
    const api = installFakeApi({ keys: fleet() });
    const { user, location } = renderApp('/keys');
    await ready();

    for (const [id, param, value, count, kept] of CHIPS) {
      const chip = screen.getByTestId(`filter-chip-${id}`);
      expect(chip, id).toHaveAttribute('data-count', String(count));
      await user.click(chip);
      await waitFor(() => expect(lastParams(api)[param], id).toEqual([value]));
      expect(lastParams(api, '/api/keys/facets')[param]).toEqual([value]);
      expect(location().searchParams.getAll(param)).toEqual([value]);
      await waitFor(() => expect(descriptions(), id).toEqual(kept));
      expect(screen.getByTestId(`filter-chip-${id}`)).toHaveAttribute('aria-pressed', 'true');

      await user.click(screen.getByTestId(`filter-chip-${id}`));
      await waitFor(() => expect(location().searchParams.has(param)).toBe(false));
      await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(6));
    }
  });

  it('reads an insight filter from a link and names it among the active filters', async () => {
    const api = installFakeApi({ keys: fleet() });
    renderApp('/keys?unused_for_days=90&no_rotation_policy=true');
    await ready();
    expect(lastParams(api).unused_for_days).toEqual(['90']);
    expect(lastParams(api).no_rotation_policy).toEqual(['true']);
    expect(
      within(screen.getByTestId('active-filters'))
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Unused for 90 days', 'No rotation policy (>90 days)']);
    expect(descriptions()).toEqual(['blocked idle', 'forgotten']);
  });
});

describe('zombie card', () => {
  it('counts the zombies and applies the zombie filter when clicked', async () => {
    const api = installFakeApi({ keys: fleet() });
    const { user, location } = renderApp('/keys');
    await ready();

    const card = screen.getByTestId('summary-card-zombie');
    // Named by its visible label and number (the note is its description, not its name).
    expect(card).toHaveAccessibleName(/^Zombie keys\s*1$/);
    expect(card).toHaveAttribute('data-value', '1');
    expect(card).toHaveAttribute('aria-pressed', 'false');
    expect(card).toHaveAccessibleDescription(
      'active, unused 90+ days, never expiring or all models',
    );

    await user.click(card);
    await waitFor(() => expect(lastParams(api).zombie).toEqual(['true']));
    expect(location().searchParams.get('zombie')).toBe('true');
    expect(card).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('filter-chip-zombie')).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(descriptions()).toEqual(['forgotten']));

    await user.click(card);
    await waitFor(() => expect(location().searchParams.has('zombie')).toBe(false));
    expect(card).toHaveAttribute('aria-pressed', 'false');
  });
});
