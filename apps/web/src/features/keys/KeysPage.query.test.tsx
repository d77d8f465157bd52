import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '../../test-utils/fakeApi';
import { makeKeys } from '../../test-utils/keyFactory';
import { renderApp } from '../../test-utils/render';
import { VIEW_STORAGE_KEY } from './viewStorage';

function storedView(): Record<string, unknown> {
  return JSON.parse(window.localStorage.getItem(VIEW_STORAGE_KEY) ?? '{}') as Record<
    string,
    unknown
  >;
}

const owners = ['Dana Whitfield', 'Ari Cohen', 'Dana Scully', 'Bo Li'];

describe('keys table requests', () => {
  it('asks the API with its defaults first', async () => {
    const api = installFakeApi({ keys: makeKeys(3) });
    renderApp('/keys');
    await screen.findAllByTestId('key-row');
    const params = api.lastRequestTo('/api/keys')?.params;
    expect(Object.fromEntries(params ?? [])).toEqual({
      page: '1',
      size: '25',
      sort_by: 'created_at',
      sort_order: 'desc',
    });
  });

  it('sorts by a clicked header, toggles the order, and goes back to page 1', async () => {
    const api = installFakeApi({ keys: makeKeys(60, (i) => ({ owner: owners[i % 4] ?? null })) });
    const { user, location } = renderApp('/keys?page=2');
    await screen.findAllByTestId('key-row');
    expect(api.lastRequestTo('/api/keys')?.params.get('page')).toBe('2');

    await user.click(screen.getByRole('button', { name: /^Owner/ }));
    await waitFor(() =>
      expect(api.lastRequestTo('/api/keys')?.params.get('sort_by')).toBe('owner'),
    );
    let params = api.lastRequestTo('/api/keys')?.params;
    expect(params?.get('sort_order')).toBe('asc');
    expect(params?.get('page')).toBe('1');
    expect(location().searchParams.get('sort_by')).toBe('owner');
    expect(location().searchParams.get('sort_order')).toBe('asc');
    expect(location().searchParams.has('page')).toBe(false);

    await user.click(screen.getByRole('button', { name: /^Owner/ }));
    await waitFor(() =>
      expect(api.lastRequestTo('/api/keys')?.params.get('sort_order')).toBe('desc'),
    );
    params = api.lastRequestTo('/api/keys')?.params;
    expect(params?.get('sort_by')).toBe('owner');
    expect(screen.getByRole('button', { name: 'Owner Sorted descending' })).toBeInTheDocument();
    expect(storedView()).toMatchObject({ sortBy: 'owner', sortOrder: 'desc' });
  });

  it('sorts from the keyboard with Enter on a header', async () => {
    const api = installFakeApi({ keys: makeKeys(3) });
    const { user } = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    screen.getByRole('button', { name: /^Description/ }).focus();
    await user.keyboard('{Enter}');
    await waitFor(() =>
      expect(api.lastRequestTo('/api/keys')?.params.get('sort_by')).toBe('description'),
    );
  });

  it('searches after typing pauses, once, and resets to page 1', async () => {
    const api = installFakeApi({ keys: makeKeys(40, (i) => ({ owner: owners[i % 4] ?? null })) });
    const { user, location } = renderApp('/keys?page=2');
    await screen.findAllByTestId('key-row');

    await user.type(screen.getByRole('searchbox', { name: 'Search keys' }), 'dana');
    // Still the old request right after typing: the debounce has not fired yet.
    expect(api.lastRequestTo('/api/keys')?.params.has('search')).toBe(false);

    await waitFor(() => expect(api.lastRequestTo('/api/keys')?.params.get('search')).toBe('dana'));
    expect(api.lastRequestTo('/api/keys')?.params.get('page')).toBe('1');
    const searched = api
      .requestsTo('/api/keys')
      .map((request) => request.params.get('search'))
      .filter(Boolean);
    expect(searched).toEqual(['dana']);
    expect(await screen.findByText('20 keys match')).toBeInTheDocument();
    expect(location().searchParams.get('search')).toBe('dana');
    expect(storedView()).toMatchObject({ search: 'dana' });
  });

  it('clears the search with its clear button', async () => {
    const api = installFakeApi({ keys: makeKeys(8, (i) => ({ owner: owners[i % 4] ?? null })) });
    const { user } = renderApp('/keys?search=ari');
    expect(await screen.findAllByTestId('key-row')).toHaveLength(2);
    expect(screen.getByRole('searchbox', { name: 'Search keys' })).toHaveValue('ari');

    await user.click(screen.getByRole('button', { name: 'Clear search' }));

    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(8));
    expect(screen.getByRole('searchbox', { name: 'Search keys' })).toHaveValue('');
    expect(api.lastRequestTo('/api/keys')?.params.has('search')).toBe(false);
  });

  it('changes the page size, goes back to page 1 and remembers it', async () => {
    const api = installFakeApi({ keys: makeKeys(120) });
    const { user, location } = renderApp('/keys?page=3');
    await screen.findAllByTestId('key-row');

    await user.selectOptions(screen.getByLabelText('Rows per page'), '50');

    await waitFor(() => expect(api.lastRequestTo('/api/keys')?.params.get('size')).toBe('50'));
    expect(api.lastRequestTo('/api/keys')?.params.get('page')).toBe('1');
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(50));
    expect(screen.getByText('Showing 1–50 of 120')).toBeInTheDocument();
    expect(location().searchParams.get('size')).toBe('50');
    expect(storedView()).toMatchObject({ size: 50 });
  });

  it('restores the stored view on plain /keys and writes it into the URL', async () => {
    window.localStorage.setItem(
      VIEW_STORAGE_KEY,
      JSON.stringify({ size: 10, search: 'dana', sortBy: 'owner', sortOrder: 'asc' }),
    );
    const api = installFakeApi({ keys: makeKeys(40, (i) => ({ owner: owners[i % 4] ?? null })) });
    const { location } = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    expect(Object.fromEntries(api.lastRequestTo('/api/keys')?.params ?? [])).toEqual({
      page: '1',
      size: '10',
      search: 'dana',
      sort_by: 'owner',
      sort_order: 'asc',
    });
    expect(screen.getByRole('searchbox', { name: 'Search keys' })).toHaveValue('dana');
    await waitFor(() => expect(location().searchParams.get('sort_by')).toBe('owner'));
    expect(location().searchParams.get('search')).toBe('dana');
    expect(location().searchParams.get('size')).toBe('10');
  });

  it('lets a shared link win over the stored view', async () => {
    window.localStorage.setItem(
      VIEW_STORAGE_KEY,
      JSON.stringify({ size: 10, search: 'dana', sortBy: 'owner', sortOrder: 'asc' }),
    );
    const api = installFakeApi({ keys: makeKeys(40) });
    renderApp('/keys?sort_by=team_id&page=2');
    await screen.findAllByTestId('key-row');
    expect(Object.fromEntries(api.requestsTo('/api/keys')[0]?.params ?? [])).toEqual({
      page: '2',
      size: '25',
      sort_by: 'team_id',
      sort_order: 'desc',
    });
  });

  it('ignores invalid values in the URL', async () => {
    const api = installFakeApi({ keys: makeKeys(3) });
    const { location } = renderApp('/keys?size=7&sort_by=secret&sort_order=up&page=-1');
    await screen.findAllByTestId('key-row');
    expect(Object.fromEntries(api.requestsTo('/api/keys')[0]?.params ?? [])).toEqual({
      page: '1',
      size: '25',
      sort_by: 'created_at',
      sort_order: 'desc',
    });
    await waitFor(() => expect(location().search).toBe(''));
  });

  it('moves to the last page when a link points past it', async () => {
    const api = installFakeApi({ keys: makeKeys(30) });
    renderApp('/keys?page=9');
    await waitFor(() => expect(api.lastRequestTo('/api/keys')?.params.get('page')).toBe('2'));
    expect(await screen.findAllByTestId('key-row')).toHaveLength(5);
  });

  it('focuses the search box with "/" but not while typing elsewhere', async () => {
    installFakeApi({ keys: makeKeys(3) });
    const { user } = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    const search = screen.getByRole('searchbox', { name: 'Search keys' });
    expect(search).not.toHaveFocus();

    await user.keyboard('/');
    expect(search).toHaveFocus();
    expect(search).toHaveValue('');

    await user.type(search, 'a/b');
    expect(search).toHaveValue('a/b');

    fireEvent.keyDown(document.body, { key: '/', ctrlKey: true });
    expect(search).toHaveFocus();
  });
});
