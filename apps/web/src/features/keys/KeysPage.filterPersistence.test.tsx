// Filters read from a link and remembered in localStorage for plain /keys.
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '../../test-utils/fakeApi';
import { renderApp } from '../../test-utils/render';
import { fleet, lastParams, storedFilters } from './keysPageTestKit';
import { VIEW_STORAGE_KEY } from './viewStorage';

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
