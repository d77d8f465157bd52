import { screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '../../test-utils/fakeApi';
import { makeKeys } from '../../test-utils/keyFactory';
import { renderApp } from '../../test-utils/render';
import { fleet, lastParams, ready, storedFilters } from './keysPageTestKit';

describe('filter bar', () => {
  it('shows each chip with its count and filters the table with it', async () => {
    const api = installFakeApi({ keys: fleet() });
    const { user, location } = renderApp('/keys');
    await ready();

    expect(screen.getByTestId('filter-chip-status-active')).toHaveTextContent('Active3');
    expect(screen.getByTestId('filter-chip-status-expired')).toHaveAttribute('data-count', '2');
    expect(screen.getByTestId('filter-chip-status-blocked')).toHaveAttribute('data-count', '1');
    expect(screen.getByTestId('filter-chip-never-expires')).toHaveAttribute('data-count', '2');
    expect(screen.getByTestId('filter-chip-all-models')).toHaveAttribute('data-count', '3');
    expect(screen.getByTestId('filter-chip-owner-missing')).toHaveAttribute('data-count', '1');
    expect(screen.getByTestId('filter-chip-spend-80')).toHaveAttribute('data-count', '2');
    expect(screen.getByTestId('filter-chip-spend-100')).toHaveAttribute('data-count', '1');
    expect(screen.getByTestId('filter-chip-expires-7')).toHaveAttribute('data-count', '1');
    expect(screen.getByTestId('filter-chip-expires-90')).toHaveAttribute('data-count', '2');

    const expired = screen.getByTestId('filter-chip-status-expired');
    expect(expired).toHaveAttribute('aria-pressed', 'false');
    await user.click(expired);

    await waitFor(() => expect(lastParams(api).status).toEqual(['expired']));
    expect(lastParams(api, '/api/keys/facets').status).toEqual(['expired']);
    expect(expired).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(2));
    expect(screen.getByTestId('match-count')).toHaveTextContent('2 keys match');
    expect(location().searchParams.getAll('status')).toEqual(['expired']);

    // Statuses are alternatives; the facet lifts its own filter, so counts stay comparable.
    await user.click(screen.getByTestId('filter-chip-status-blocked'));
    await waitFor(() => expect(lastParams(api).status).toEqual(['expired', 'blocked']));
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(3));
    expect(screen.getByTestId('filter-chip-status-active')).toHaveAttribute('data-count', '3');

    // A different filter narrows further, and its chip counts within the status filter.
    await user.click(screen.getByTestId('filter-chip-spend-80'));
    await waitFor(() => expect(lastParams(api).spend_share_at_least).toEqual(['0.8']));
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(1));
    await waitFor(() =>
      expect(screen.getByTestId('filter-chip-status-active')).toHaveAttribute('data-count', '1'),
    );
    expect(screen.getByTestId('filter-chip-spend-80')).toHaveAttribute('aria-pressed', 'true');

    // The two spend chips are one filter: choosing the other replaces it.
    await user.click(screen.getByTestId('filter-chip-spend-100'));
    await waitFor(() => expect(lastParams(api).spend_share_at_least).toEqual(['1']));
    expect(screen.getByTestId('filter-chip-spend-80')).toHaveAttribute('aria-pressed', 'false');
  });

  it('goes back to page 1 when a filter changes', async () => {
    const api = installFakeApi({ keys: makeKeys(30) });
    const { user, location } = renderApp('/keys?page=2&size=10');
    await ready();
    expect(lastParams(api).page).toEqual(['2']);
    await user.click(screen.getByTestId('filter-chip-status-active'));
    await waitFor(() => expect(lastParams(api).status).toEqual(['active']));
    expect(lastParams(api).page).toEqual(['1']);
    expect(location().searchParams.has('page')).toBe(false);
    expect(location().searchParams.get('size')).toBe('10');
  });

  it('sends each boolean and preset filter under its API name', async () => {
    const api = installFakeApi({ keys: fleet() });
    const { user, location } = renderApp('/keys');
    await ready();

    await user.click(screen.getByTestId('filter-chip-expires-7'));
    await waitFor(() => expect(lastParams(api).expires_within_days).toEqual(['7']));
    await user.click(screen.getByTestId('filter-chip-expires-30'));
    await waitFor(() => expect(lastParams(api).expires_within_days).toEqual(['30']));
    // Off again: back to the first view (answered from the cache, so no new request).
    await user.click(screen.getByTestId('filter-chip-expires-30'));
    await waitFor(() => expect(location().searchParams.has('expires_within_days')).toBe(false));
    expect(screen.getByTestId('filter-chip-expires-30')).toHaveAttribute('aria-pressed', 'false');
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(6));

    await user.click(screen.getByTestId('filter-chip-all-models'));
    await waitFor(() => expect(lastParams(api).all_models).toEqual(['true']));
    await user.click(screen.getByTestId('filter-chip-owner-missing'));
    await waitFor(() => expect(lastParams(api).owner_missing).toEqual(['true']));
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(1));
    await user.click(screen.getByTestId('filter-chip-never-expires'));
    await waitFor(() => expect(lastParams(api).never_expires).toEqual(['true']));
    expect(await screen.findByTestId('keys-no-match')).toBeInTheDocument();
  });

  it('filters by tags from a multi-select whose options carry counts', async () => {
    const api = installFakeApi({ keys: fleet() });
    const { user, location } = renderApp('/keys');
    await ready();

    await user.click(screen.getByTestId('filter-tag-select'));
    const listbox = await screen.findByRole('listbox');
    const prod = within(listbox).getByRole('option', { name: /prod/ });
    expect(prod).toHaveTextContent('prod3');
    expect(
      within(listbox)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['prod3', 'dev2', 'finance1']);
    await user.click(prod);
    await waitFor(() => expect(lastParams(api).tag).toEqual(['prod']));
    await user.click(
      within(await screen.findByRole('listbox')).getByRole('option', { name: /dev/ }),
    );
    await waitFor(() => expect(lastParams(api).tag).toEqual(['dev', 'prod']));
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(5));
    expect(location().searchParams.getAll('tag')).toEqual(['dev', 'prod']);
    expect(lastParams(api, '/api/keys/facets').tag).toEqual(['dev', 'prod']);
  });

  it('lists the active filters, removes them one by one, and clears them all', async () => {
    const api = installFakeApi({ keys: fleet() });
    const { user, location } = renderApp(
      '/keys?status=active&status=expired&tag=prod&all_models=true',
    );
    await ready();
    const active = screen.getByTestId('active-filters');
    expect(
      within(active)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Status: Active', 'Status: Expired', 'All-model keys', 'Tag: prod']);

    await user.click(screen.getByRole('button', { name: 'Remove filter Tag: prod' }));
    await waitFor(() => expect(lastParams(api).tag).toBeUndefined());
    expect(lastParams(api).status).toEqual(['active', 'expired']);
    expect(lastParams(api).all_models).toEqual(['true']);
    expect(location().searchParams.has('tag')).toBe(false);

    await user.click(screen.getByTestId('active-filter-status-active'));
    await waitFor(() => expect(lastParams(api).status).toEqual(['expired']));
    expect(screen.getByTestId('filter-chip-status-active')).toHaveAttribute(
      'aria-pressed',
      'false',
    );

    await user.click(screen.getByTestId('clear-filters'));
    await waitFor(() =>
      expect(lastParams(api)).toEqual({
        page: ['1'],
        size: ['25'],
        sort_by: ['created_at'],
        sort_order: ['desc'],
      }),
    );
    expect(screen.queryByTestId('active-filters')).not.toBeInTheDocument();
    await waitFor(() => expect(location().search).toBe(''));
    expect(storedFilters()).toMatchObject({ status: [], tag: [], allModels: false });
    expect(await screen.findAllByTestId('key-row')).toHaveLength(6);
  });
});

describe('filter bar accessibility', () => {
  it('toggles chips from the keyboard', async () => {
    const api = installFakeApi({ keys: fleet() });
    const { user } = renderApp('/keys');
    await ready();
    screen.getByTestId('filter-chip-status-blocked').focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(lastParams(api).status).toEqual(['blocked']));
    screen.getByTestId('filter-chip-never-expires').focus();
    await user.keyboard(' ');
    await waitFor(() => expect(lastParams(api).never_expires).toEqual(['true']));
    const status = within(screen.getByRole('group', { name: 'Status' }));
    expect(status.getByRole('button', { name: /^Blocked/, pressed: true })).toBeInTheDocument();
    expect(status.getAllByRole('button', { pressed: false })).toHaveLength(2);
  });

  it('has no axe violations with filters on (contrast is checked in the browser)', async () => {
    installFakeApi({ keys: fleet() });
    renderApp('/keys?status=expired&tag=dev&spend_share_at_least=1');
    await screen.findAllByTestId('key-row');
    await waitFor(() =>
      expect(screen.getByTestId('summary-card-expired')).toHaveAttribute('data-value'),
    );
    const bar = screen.getByTestId('filter-bar');
    const cards = screen.getByTestId('summary-cards');
    for (const region of [bar, cards]) {
      const result = await axe.run(region, { rules: { 'color-contrast': { enabled: false } } });
      expect(result.violations.map((violation) => violation.id)).toEqual([]);
    }
  });
});
