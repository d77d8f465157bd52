import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { KeyFacets } from '../../../api/types';
import { renderWithProviders } from '../../../test-utils/render';
import { type KeyFilters, NO_FILTERS } from '../filters';
import { FilterBar } from './FilterBar';

const none = { values: [], distinct: 0 };

function facets(patch: Partial<KeyFacets>): KeyFacets {
  return {
    total: 10,
    total_keys: 10,
    store_total_keys: 10,
    total_spend: 0,
    truncated: false,
    fetched_at: '2026-11-23T09:00:00Z',
    freshness: { as_of: null, last_error: null, source: 'mirror', stale: false },
    status: { active: 7, expired: 2, blocked: 1 },
    expires_within_days: [],
    never_expires: 4,
    all_models: 3,
    owner_missing: 1,
    team_missing: 2,
    unused_for_days: [],
    never_used: 0,
    last_use_unknown: 0,
    zombie: 0,
    rotation_overdue: 0,
    no_rotation_policy: 0,
    budget_at_risk: 0,
    spend_share_at_least: [],
    tags: none,
    models: none,
    teams: none,
    owners: none,
    ...patch,
  };
}

function renderBar(filters: KeyFilters, answer: KeyFacets | undefined) {
  const onChange = vi.fn<(filters: KeyFilters) => void>();
  const view = renderWithProviders(
    <FilterBar
      filters={filters}
      facets={answer}
      countsUnavailable={false}
      retryingCounts={false}
      onRetryCounts={vi.fn()}
      onChange={onChange}
    />,
  );
  return { ...view, onChange };
}

const chipIds = () =>
  screen
    .getAllByRole('button')
    .map((button) => button.getAttribute('data-testid'))
    .filter((id) => id?.startsWith('filter-chip-'));

describe('FilterBar', () => {
  it('offers the day and spend presets the facets answer counts, and only those', async () => {
    const answer = facets({
      expires_within_days: [
        { days: 14, count: 3 },
        { days: 60, count: 5 },
      ],
      spend_share_at_least: [
        { share: 0.5, count: 4 },
        { share: 0.8, count: 2 },
        { share: 1, count: 1 },
      ],
    });
    const { user, onChange } = renderBar(NO_FILTERS, answer);
    expect(chipIds()).toEqual([
      'filter-chip-status-active',
      'filter-chip-status-expired',
      'filter-chip-status-blocked',
      'filter-chip-expires-14',
      'filter-chip-expires-60',
      'filter-chip-never-expires',
      'filter-chip-all-models',
      'filter-chip-owner-missing',
      'filter-chip-team-missing',
      'filter-chip-never-used',
      'filter-chip-last-use-unknown',
      'filter-chip-zombie',
      'filter-chip-rotation-overdue',
      'filter-chip-no-rotation-policy',
      'filter-chip-budget-at-risk',
      'filter-chip-spend-50',
      'filter-chip-spend-80',
      'filter-chip-spend-100',
    ]);
    expect(screen.getByTestId('filter-chip-expires-14')).toHaveTextContent('14 days3');
    expect(screen.getByTestId('filter-chip-spend-50')).toHaveTextContent('Spend ≥ 50%4');
    expect(screen.getByTestId('filter-chip-spend-100')).toHaveTextContent('Budget used up1');

    await user.click(screen.getByTestId('filter-chip-spend-50'));
    expect(onChange).toHaveBeenLastCalledWith({ ...NO_FILTERS, spendShareAtLeast: 0.5 });
    await user.click(screen.getByTestId('filter-chip-expires-60'));
    expect(onChange).toHaveBeenLastCalledWith({ ...NO_FILTERS, expiresWithinDays: 60 });
  });

  it('without counts, keeps the other chips and shows an active preset as a pill', () => {
    renderBar({ ...NO_FILTERS, spendShareAtLeast: 0.8, status: ['expired'] }, undefined);
    expect(screen.queryByTestId('filter-chip-spend-80')).not.toBeInTheDocument();
    // The Budget group keeps its flag; only the counted presets wait for the counts.
    const budget = within(screen.getByRole('group', { name: 'Budget' }));
    expect(budget.getAllByRole('button').map((chip) => chip.textContent)).toEqual([
      'Budget at risk',
    ]);
    expect(screen.getByTestId('filter-chip-status-expired')).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(screen.getByTestId('filter-chip-never-expires')).not.toHaveAttribute('data-count');
    expect(screen.getByTestId('active-filter-spend')).toHaveTextContent('Spend ≥ 80% of budget');
  });

  it('toggles a status and a flag through their declarations', async () => {
    const { user, onChange } = renderBar({ ...NO_FILTERS, status: ['blocked'] }, facets({}));
    await user.click(screen.getByTestId('filter-chip-status-active'));
    // Canonical order, whatever the clicking order.
    expect(onChange).toHaveBeenLastCalledWith({ ...NO_FILTERS, status: ['active', 'blocked'] });
    await user.click(screen.getByTestId('filter-chip-owner-missing'));
    expect(onChange).toHaveBeenLastCalledWith({
      ...NO_FILTERS,
      status: ['blocked'],
      ownerMissing: true,
    });
  });
});
