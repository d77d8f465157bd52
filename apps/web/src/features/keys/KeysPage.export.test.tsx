// Exporting the current view as CSV or JSON.
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '../../test-utils/fakeApi';
import { renderApp } from '../../test-utils/render';
import { downloads } from './download';
import { fleet } from './keysPageTestKit';

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
