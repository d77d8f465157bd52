import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '../../test-utils/fakeApi';
import { makeKeys } from '../../test-utils/keyFactory';
import { renderApp } from '../../test-utils/render';
import { safeNext } from './safeNext';

describe('protected routes', () => {
  it('sends a visitor without a session to /login with next kept, and no expiry note', async () => {
    installFakeApi({ signedIn: false });
    const { location } = renderApp('/keys?search=billing&sort_by=owner');
    await screen.findByLabelText(/username/i);
    expect(location().pathname).toBe('/login');
    expect(location().searchParams.get('next')).toBe('/keys?search=billing&sort_by=owner');
    expect(screen.queryByTestId('session-expired')).not.toBeInTheDocument();
  });

  it('redirects with the expiry note when the session expired, then returns to the page', async () => {
    const api = installFakeApi({ keys: makeKeys(3, () => ({ owner: 'Dana' })) });
    const { user, location } = renderApp('/keys?search=dana');
    await screen.findAllByTestId('key-row');

    api.expireSession();
    await user.click(screen.getByRole('button', { name: 'Refresh keys' }));

    expect(await screen.findByTestId('session-expired')).toHaveTextContent(
      'Your session expired. Please sign in again.',
    );
    expect(location().pathname).toBe('/login');
    expect(location().searchParams.get('next')).toBe('/keys?search=dana');
    // Nothing from the old session stays on screen or in the cache.
    expect(screen.queryByTestId('key-row')).not.toBeInTheDocument();

    await user.type(screen.getByLabelText(/username/i), 'admin');
    await user.type(
      screen.getByLabelText(/password/i, { selector: 'input' }),
      'correct horse{Enter}',
    );
    await waitFor(() => expect(location().pathname).toBe('/keys'));
    expect(location().searchParams.get('search')).toBe('dana');
    expect(await screen.findAllByTestId('key-row')).toHaveLength(3);
  });

  it('shows the expiry note when /me answers token_expired', async () => {
    const api = installFakeApi();
    api.expireSession();
    const { location } = renderApp('/keys');
    expect(await screen.findByTestId('session-expired')).toBeInTheDocument();
    expect(location().searchParams.get('next')).toBe('/keys');
  });

  it('redirects / to /keys', async () => {
    installFakeApi({ keys: makeKeys(1) });
    const { location } = renderApp('/');
    await screen.findAllByTestId('key-row');
    expect(location().pathname).toBe('/keys');
  });

  it('logs out, forgets the cached keys and lands on /login', async () => {
    const api = installFakeApi({ keys: makeKeys(2) });
    const { user, location, queryClient } = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    expect(within(screen.getByTestId('signed-in-user')).getByText('admin')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Log out' }));

    await waitFor(() => expect(location().pathname).toBe('/login'));
    expect(api.lastRequestTo('/api/auth/logout')?.method).toBe('POST');
    await screen.findByLabelText(/username/i);
    expect(queryClient.getQueryCache().getAll()).toHaveLength(0);
    expect(api.requestsTo('/api/auth/me')).toHaveLength(1);
    expect(location().search).toBe('');
    expect(screen.queryByTestId('session-expired')).not.toBeInTheDocument();
  });
});

describe('safeNext', () => {
  it.each([
    ['/keys?page=2', '/keys?page=2'],
    [null, '/keys'],
    ['', '/keys'],
    ['https://evil.example/', '/keys'],
    ['//evil.example/x', '/keys'],
    ['/\\evil.example', '/keys'],
    ['javascript:alert(1)', '/keys'],
    ['/login?next=/keys', '/keys'],
  ])('%s -> %s', (input, expected) => {
    expect(safeNext(input)).toBe(expected);
  });
});

describe('session check failures', () => {
  it('explains an unreachable server on the first check and retries', async () => {
    const api = installFakeApi({ keys: makeKeys(1) });
    api.failNext('/api/auth/me', 'network');
    const { user } = renderApp('/keys');
    expect(await screen.findByRole('alert')).toHaveTextContent('Keydash server is not reachable.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findAllByTestId('key-row')).toHaveLength(1);
  });
});
