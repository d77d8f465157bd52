import { screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '../../test-utils/fakeApi';
import { makeKeys } from '../../test-utils/keyFactory';
import { renderApp } from '../../test-utils/render';

const LOADING = {
  state: 'loading' as const,
  progress: { loaded: 4200, total: 10000, eta_seconds: 12 },
};

const hm = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

describe('while the mirror loads', () => {
  it('shows progress instead of the table, keeps asking, then shows the view', async () => {
    const api = installFakeApi({ keys: makeKeys(3), sync: LOADING });
    const { location } = renderApp('/keys?sort_by=owner&sort_order=asc');

    const panel = await screen.findByTestId('sync-progress');
    expect(panel).toHaveAttribute('data-variant', 'panel');
    expect(panel).toHaveTextContent('Loading keys from LiteLLM: 4,200 of 10,000 (about 12 s left)');
    expect(within(panel).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '42');
    expect(screen.queryByTestId('keys-error')).not.toBeInTheDocument();
    expect(screen.queryByTestId('refresh-error')).not.toBeInTheDocument();

    // Polled per Retry-After: the numbers move on.
    api.sync.progress = { loaded: 8000, total: 10000, eta_seconds: null };
    await waitFor(() =>
      expect(screen.getByTestId('sync-progress')).toHaveTextContent(
        'Loading keys from LiteLLM: 8,000 of 10,000',
      ),
    );
    expect(api.requestsTo('/api/keys').length).toBeGreaterThan(1);

    api.sync.finishLoading();
    expect(await screen.findAllByTestId('key-row')).toHaveLength(3);
    expect(screen.queryByTestId('sync-progress')).not.toBeInTheDocument();
    expect(location().pathname).toBe('/keys');
  });

  it('shows the first page with a slim bar, counts wait quietly, export waits', async () => {
    const api = installFakeApi({ keys: makeKeys(4), sync: LOADING });
    const { user } = renderApp('/keys');

    expect(await screen.findAllByTestId('key-row')).toHaveLength(4);
    const banner = await screen.findByTestId('sync-progress');
    expect(banner).toHaveAttribute('data-variant', 'banner');
    expect(banner).toHaveTextContent(
      'Search, filters and every sort are available once all keys are loaded (4,200 of 10,000)',
    );
    // Facets answered 503 too: a quiet placeholder, never "unavailable", never an error.
    expect(await screen.findByTestId('facets-loading')).toBeInTheDocument();
    expect(screen.queryByTestId('facets-unavailable')).not.toBeInTheDocument();
    expect(screen.queryByTestId('keys-error')).not.toBeInTheDocument();
    expect(screen.getByTestId('summary-card-expired')).not.toHaveAttribute('data-value');

    await user.click(screen.getByTestId('export-menu'));
    expect(await screen.findByTestId('export-blocked')).toBeInTheDocument();
    expect(screen.getByTestId('export-csv')).toBeDisabled();
    await user.keyboard('{Escape}');

    api.sync.finishLoading();
    // Noticed by the next status poll (every 3 s while loading).
    await waitFor(() => expect(screen.queryByTestId('sync-progress')).not.toBeInTheDocument(), {
      timeout: 6000,
    });
    await waitFor(() =>
      expect(screen.getByTestId('filter-chip-status-active')).toHaveAttribute('data-count'),
    );
    expect(screen.queryByTestId('facets-loading')).not.toBeInTheDocument();
    expect(screen.getAllByTestId('key-row')).toHaveLength(4);
  });

  it('keeps the rows when a refresh is answered by a replica still loading', async () => {
    const api = installFakeApi({ keys: makeKeys(2) });
    const { user } = renderApp('/keys?sort_by=owner');
    await screen.findAllByTestId('key-row');

    api.sync.startLoading({ loaded: 10, total: 2, eta_seconds: null });
    await user.click(screen.getByRole('button', { name: 'Refresh keys' }));
    expect(await screen.findByTestId('sync-progress')).toHaveAttribute('data-variant', 'banner');
    expect(screen.getAllByTestId('key-row')).toHaveLength(2);
    expect(screen.queryByTestId('refresh-error')).not.toBeInTheDocument();
  });

  it('keeps the table when only the counts say the mirror is loading', async () => {
    const api = installFakeApi({ keys: makeKeys(3) });
    api.failNext('/api/keys/facets', {
      status: 503,
      code: 'mirror_loading',
      message: 'Keydash is still loading keys from LiteLLM.',
      headers: { 'Retry-After': '1' },
    });
    renderApp('/keys');
    expect(await screen.findAllByTestId('key-row')).toHaveLength(3);
    expect(await screen.findByTestId('facets-loading')).toBeInTheDocument();
    expect(screen.queryByTestId('facets-unavailable')).not.toBeInTheDocument();
    expect(screen.getByTestId('filter-chip-status-active')).not.toHaveAttribute('data-count');
    // Asked again by itself.
    await waitFor(() =>
      expect(screen.getByTestId('filter-chip-status-active')).toHaveAttribute('data-count', '3'),
    );
    expect(screen.queryByTestId('facets-loading')).not.toBeInTheDocument();
  });
});

describe('freshness', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says how long ago the keys were read', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-23T12:00:12Z'));
    installFakeApi({ keys: makeKeys(2), fetchedAt: '2026-11-23T12:00:00Z' });
    renderApp('/keys');
    const line = await screen.findByTestId('freshness');
    expect(line).toHaveTextContent('Updated 12 s ago');
    expect(line.querySelector('time')).toHaveAttribute('datetime', '2026-11-23T12:00:00.000Z');
    expect(line.querySelector('time')?.getAttribute('title')).toContain('2026-11-23 12:00:00 UTC');
    expect(screen.queryByTestId('stale-warning')).not.toBeInTheDocument();
  });

  it('warns calmly when LiteLLM stopped answering, with both times and the cause', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-23T12:10:00Z'));
    installFakeApi({
      keys: makeKeys(2),
      fetchedAt: '2026-11-23T12:01:00Z',
      sync: {
        lastError: {
          at: '2026-11-23T12:02:00Z',
          code: 'upstream_unavailable',
          message: 'LiteLLM is not reachable (connection refused).',
        },
      },
    });
    renderApp('/keys');
    const warning = await screen.findByTestId('stale-warning');
    expect(warning).toHaveAttribute('role', 'status');
    const since = hm.format(new Date('2026-11-23T12:02:00Z'));
    const asOf = hm.format(new Date('2026-11-23T12:01:00Z'));
    expect(warning).toHaveTextContent(
      `LiteLLM has not answered since ${since}; showing keys as of ${asOf}.`,
    );
    expect(warning).toHaveTextContent('LiteLLM is not reachable (connection refused).');
    // The rows are still there: stale is not an error.
    expect(screen.getAllByTestId('key-row')).toHaveLength(2);
    expect(screen.getByTestId('freshness')).toHaveTextContent('Updated 9 min ago');
  });
});

describe('key scope', () => {
  const warning =
    'Keydash reads LiteLLM with a key that only sees 168 keys of user alice; use a proxy-admin or admin-viewer key.';

  it('warns when Keydash sees only its own keys, until dismissed for the session', async () => {
    installFakeApi({
      keys: makeKeys(2),
      sync: {
        keyScope: {
          scope: 'own',
          role: 'internal_user',
          user_id: 'alice',
          visible_keys: 168,
          warning,
        },
      },
    });
    const { user, unmount } = renderApp('/keys');
    const banner = await screen.findByTestId('scope-warning');
    expect(banner).toHaveAttribute('role', 'alert');
    expect(banner).toHaveTextContent(warning);

    await user.click(within(banner).getByRole('button', { name: 'Dismiss for this session' }));
    expect(screen.queryByTestId('scope-warning')).not.toBeInTheDocument();

    unmount();
    renderApp('/keys');
    await screen.findAllByTestId('key-row');
    expect(screen.queryByTestId('scope-warning')).not.toBeInTheDocument();
  });

  it('says nothing when Keydash sees every key', async () => {
    const api = installFakeApi({ keys: makeKeys(2) });
    renderApp('/keys');
    await screen.findAllByTestId('key-row');
    await waitFor(() => expect(api.requestsTo('/api/status')).not.toHaveLength(0));
    expect(screen.queryByTestId('scope-warning')).not.toBeInTheDocument();
  });
});

describe('sync notices', () => {
  // The progress bars are checked in SyncProgressPanel.test.tsx, without polling around them.
  it('have no axe violations (contrast is checked in the browser)', async () => {
    installFakeApi({
      keys: makeKeys(2),
      sync: {
        lastError: { at: '2026-11-23T09:02:00Z', code: 'upstream_timeout', message: 'Slow.' },
        keyScope: { scope: 'own', warning: 'Keydash sees only 2 keys of user alice.' },
      },
    });
    renderApp('/keys');
    await screen.findAllByTestId('key-row');
    const notices = [
      await screen.findByTestId('scope-warning'),
      await screen.findByTestId('stale-warning'),
      screen.getByTestId('freshness'),
    ];
    for (const region of notices) {
      const result = await axe.run(region, { rules: { 'color-contrast': { enabled: false } } });
      expect(result.violations.map((violation) => violation.id)).toEqual([]);
    }
  });
});
