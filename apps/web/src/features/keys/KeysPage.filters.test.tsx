import { screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import type { KeyOut } from '../../api/types';
import { type FakeApi, installFakeApi } from '../../test-utils/fakeApi';
import { makeKey, makeKeys } from '../../test-utils/keyFactory';
import { renderApp } from '../../test-utils/render';
import { downloads } from './download';
import { VIEW_STORAGE_KEY } from './viewStorage';

// The fake's snapshot is read at 2026-11-23T09:00:00Z; expiry filters count from then.
function fleet(): KeyOut[] {
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

function lastParams(api: FakeApi, path = '/api/keys'): Record<string, string[]> {
  const params = api.lastRequestTo(path)?.params ?? new URLSearchParams();
  const out: Record<string, string[]> = {};
  for (const key of new Set(params.keys())) out[key] = params.getAll(key);
  return out;
}

function storedFilters(): Record<string, unknown> | undefined {
  const raw = window.localStorage.getItem(VIEW_STORAGE_KEY);
  return raw ? (JSON.parse(raw) as { filters?: Record<string, unknown> }).filters : undefined;
}

async function ready() {
  // Generous: the first test of the file also pays for loading the lazy page on a busy machine.
  await screen.findAllByTestId('key-row', {}, { timeout: 10_000 });
  await waitFor(() =>
    expect(screen.getByTestId('filter-chip-status-active')).toHaveAttribute('data-count'),
  );
}

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

describe('filters in the URL and localStorage', () => {
  it('reads filters from a link, drops junk, and remembers them for plain /keys', async () => {
    let api = installFakeApi({ keys: fleet() });
    const first = renderApp(
      '/keys?tag=prod&never_expires=true&status=deleted&expires_within_days=abc&sort_by=owner',
    );
    await first.findAllByTestId('key-row');
    expect(lastParams(api)).toEqual({
      page: ['1'],
      size: ['25'],
      sort_by: ['owner'],
      sort_order: ['desc'],
      never_expires: ['true'],
      tag: ['prod'],
    });
    await waitFor(() =>
      expect(first.location().search).toBe('?never_expires=true&tag=prod&sort_by=owner'),
    );
    expect(storedFilters()).toMatchObject({ tag: ['prod'], neverExpires: true, status: [] });
    first.unmount();

    api = installFakeApi({ keys: fleet() });
    const second = renderApp('/keys');
    await second.findAllByTestId('key-row');
    expect(lastParams(api).tag).toEqual(['prod']);
    expect(lastParams(api).never_expires).toEqual(['true']);
    expect(screen.getByTestId('filter-chip-never-expires')).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(second.location().searchParams.getAll('tag')).toEqual(['prod']));
    expect(second.location().searchParams.get('never_expires')).toBe('true');
  });

  it('survives a stored view that is not what it should be', async () => {
    window.localStorage.setItem(
      VIEW_STORAGE_KEY,
      JSON.stringify({ filters: { status: 'expired', tag: [1, 'dev'], spendShareAtLeast: 'x' } }),
    );
    const api = installFakeApi({ keys: fleet() });
    renderApp('/keys');
    await screen.findAllByTestId('key-row');
    expect(lastParams(api).tag).toEqual(['dev']);
    expect(lastParams(api).status).toBeUndefined();
    expect(lastParams(api).spend_share_at_least).toBeUndefined();
  });
});

describe('summary cards', () => {
  it('sum up the view and apply their filter when clicked', async () => {
    const api = installFakeApi({ keys: fleet() });
    const { user, location } = renderApp('/keys');
    await ready();

    const card = (id: string) => screen.getByTestId(`summary-card-${id}`);
    expect(card('total')).toHaveAttribute('data-value', '6');
    expect(card('expired')).toHaveTextContent('Expired2');
    expect(card('expiring')).toHaveAttribute('data-value', '1');
    expect(card('blocked')).toHaveAttribute('data-value', '1');
    expect(card('all-models')).toHaveAttribute('data-value', '3');
    expect(card('spend')).toHaveTextContent('$');

    await user.click(card('expired'));
    await waitFor(() => expect(lastParams(api).status).toEqual(['expired']));
    expect(card('expired')).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(card('total')).toHaveAttribute('data-value', '2'));

    // Blocked replaces the status filter; total lifts it again.
    await user.click(card('blocked'));
    await waitFor(() => expect(lastParams(api).status).toEqual(['blocked']));
    expect(card('expired')).toHaveAttribute('aria-pressed', 'false');
    await user.click(card('total'));
    await waitFor(() => expect(location().searchParams.has('status')).toBe(false));
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(6));
    expect(card('blocked')).toHaveAttribute('aria-pressed', 'false');

    await user.click(card('expiring'));
    await waitFor(() => expect(lastParams(api).expires_within_days).toEqual(['30']));
    await user.click(card('all-models'));
    await waitFor(() => expect(lastParams(api).all_models).toEqual(['true']));
    expect(screen.getByTestId('filter-chip-all-models')).toHaveAttribute('aria-pressed', 'true');

    await user.click(card('spend'));
    await waitFor(() => expect(lastParams(api).sort_by).toEqual(['spend']));
    expect(lastParams(api).sort_order).toEqual(['desc']);
  });
});

describe('export', () => {
  it('links to the whole current view as CSV and JSON', async () => {
    installFakeApi({ keys: fleet() });
    const { user } = renderApp(
      '/keys?search=key&tag=prod&tag=finance&status=active&sort_by=spend&sort_order=asc&page=2&size=10',
    );
    await screen.findAllByTestId('key-row');
    await user.click(screen.getByTestId('export-menu'));

    const csv = await screen.findByTestId('export-csv');
    expect(csv).toHaveAttribute('download');
    expect(csv).toHaveAttribute(
      'href',
      '/api/keys/export?format=csv&search=key&sort_by=spend&sort_order=asc&status=active' +
        '&tag=finance&tag=prod',
    );
    expect(screen.getByTestId('export-json').getAttribute('href')).toMatch(
      /^\/api\/keys\/export\?format=json&search=key&sort_by=spend&sort_order=asc/,
    );
    expect(screen.getByRole('menu')).toHaveTextContent('2 keys in this view');
  });

  it('checks the session, then downloads the file', async () => {
    installFakeApi({ keys: fleet() });
    const start = vi.spyOn(downloads, 'start').mockImplementation(() => {});
    const { user } = renderApp('/keys?tag=prod');
    await screen.findAllByTestId('key-row');
    await user.click(screen.getByTestId('export-menu'));
    await user.click(await screen.findByTestId('export-csv'));
    await waitFor(() => expect(start).toHaveBeenCalledTimes(1));
    const href = new URL(String(start.mock.calls[0]?.[0]));
    expect(href.pathname).toBe('/api/keys/export');
    expect(href.searchParams.get('format')).toBe('csv');
    expect(href.searchParams.getAll('tag')).toEqual(['prod']);
    start.mockRestore();
  });

  it('sends an expired session to sign in instead of saving the 401 as the export', async () => {
    const api = installFakeApi({ keys: fleet() });
    const start = vi.spyOn(downloads, 'start').mockImplementation(() => {});
    const { user, location } = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    api.expireSession();
    await user.click(screen.getByTestId('export-menu'));
    await user.click(await screen.findByTestId('export-json'));
    expect(await screen.findByTestId('session-expired')).toBeInTheDocument();
    expect(location().pathname).toBe('/login');
    expect(start).not.toHaveBeenCalled();
    start.mockRestore();
  });
});

describe('states with filters', () => {
  it('keeps the table usable when the counts fail, and retries them', async () => {
    const api = installFakeApi({ keys: fleet() });
    api.failNext('/api/keys/facets', {
      status: 502,
      code: 'upstream_unavailable',
      message: 'down',
    });
    const { user } = renderApp('/keys');
    expect(await screen.findAllByTestId('key-row')).toHaveLength(6);
    expect(await screen.findByTestId('facets-unavailable')).toBeInTheDocument();
    expect(screen.getByTestId('filter-chip-status-expired')).not.toHaveAttribute('data-count');
    expect(screen.getByTestId('summary-card-expired')).toHaveTextContent('unavailable');
    expect(screen.getByTestId('summary-card-total')).toHaveAttribute('data-value', '6');
    expect(screen.queryByTestId('keys-error')).not.toBeInTheDocument();

    await user.click(screen.getByTestId('filter-chip-status-expired'));
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(2));
    await waitFor(() => expect(screen.queryByTestId('facets-unavailable')).not.toBeInTheDocument());
    expect(screen.getByTestId('filter-chip-status-expired')).toHaveAttribute('data-count', '2');

    api.failNext('/api/keys/facets', { status: 504, code: 'upstream_timeout', message: 'slow' });
    await user.click(screen.getByTestId('filter-chip-status-active'));
    await user.click(await screen.findByRole('button', { name: 'Retry counts' }));
    await waitFor(() =>
      expect(screen.getByTestId('filter-chip-status-active')).toHaveAttribute('data-count', '3'),
    );
    expect(screen.getAllByTestId('key-row')).toHaveLength(5);
  });

  it('says when no key matches the filters, and clears them', async () => {
    const api = installFakeApi({ keys: fleet() });
    const { user, location } = renderApp('/keys?status=blocked&owner_missing=true');
    const noMatch = await screen.findByTestId('keys-no-match');
    expect(noMatch).toHaveTextContent('No keys match these filters');
    expect(within(noMatch).queryByRole('button', { name: 'Clear search' })).not.toBeInTheDocument();
    expect(screen.getByTestId('match-count')).toHaveTextContent('0 keys match');

    await user.click(within(noMatch).getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findAllByTestId('key-row')).toHaveLength(6);
    await waitFor(() => expect(location().search).toBe(''));
    expect(lastParams(api).status).toBeUndefined();
  });

  it('offers both ways out when a search and filters together match nothing', async () => {
    installFakeApi({ keys: fleet() });
    const { user } = renderApp('/keys?search=zebra&tag=prod');
    const noMatch = await screen.findByTestId('keys-no-match');
    expect(noMatch).toHaveTextContent('No keys match these filters');
    expect(noMatch).toHaveTextContent('zebra');
    await user.click(within(noMatch).getByRole('button', { name: 'Clear search' }));
    // The filter stays: three keys carry the tag.
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(3));
    expect(screen.getByTestId('active-filter-tag-prod')).toBeInTheDocument();
  });

  it('offers to clear the filters when the keys cannot load', async () => {
    const api = installFakeApi({ keys: fleet() });
    api.failNext('/api/keys', { status: 422, code: 'invalid_query', message: 'tag: too long' });
    const { user } = renderApp('/keys?tag=prod');
    const error = await screen.findByTestId('keys-error');
    await user.click(within(error).getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findAllByTestId('key-row')).toHaveLength(6);
    expect(lastParams(api).tag).toBeUndefined();
  });

  it('shows the filter bar while the first page loads', async () => {
    const api = installFakeApi({ keys: fleet() });
    const release = api.hold('/api/keys');
    renderApp('/keys?status=expired');
    expect(await screen.findByTestId('keys-loading')).toBeInTheDocument();
    expect(screen.getByTestId('filter-chip-status-expired')).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    release();
    expect(await screen.findAllByTestId('key-row')).toHaveLength(2);
  });
});
