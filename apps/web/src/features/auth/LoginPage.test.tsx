import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '../../test-utils/fakeApi';
import { makeKeys } from '../../test-utils/keyFactory';
import { type AppRender, renderApp } from '../../test-utils/render';

async function signIn(user: AppRender['user'], password = 'correct horse') {
  await user.type(screen.getByLabelText(/username/i), 'admin');
  await user.type(screen.getByLabelText(/password/i, { selector: 'input' }), `${password}{Enter}`);
}

describe('login page', () => {
  it('focuses the username field on load', async () => {
    installFakeApi({ signedIn: false });
    renderApp('/login');
    expect(await screen.findByLabelText(/username/i)).toHaveFocus();
  });

  it('signs in with Enter, without keeping the token, and goes to next', async () => {
    const api = installFakeApi({ signedIn: false, keys: makeKeys(2) });
    const { user, location } = renderApp('/login?next=%2Fkeys%3Fsearch%3Dbilling');
    await screen.findByLabelText(/username/i);
    await signIn(user);

    await waitFor(() => expect(location().pathname).toBe('/keys'));
    expect(location().searchParams.get('search')).toBe('billing');
    expect(api.lastRequestTo('/api/auth/login')).toMatchObject({
      method: 'POST',
      body: { username: 'admin', password: 'correct horse' },
      credentials: 'same-origin',
    });
    expect(await screen.findByRole('heading', { name: 'API keys' })).toBeInTheDocument();
    const storage =
      JSON.stringify({ ...window.localStorage }) + JSON.stringify({ ...window.sessionStorage });
    expect(storage).not.toContain('eyJ');
  });

  it('defaults to /keys and refuses an off-site next', async () => {
    installFakeApi({ signedIn: false, keys: makeKeys(1) });
    const { user, location } = renderApp('/login?next=https%3A%2F%2Fevil.example%2F');
    await screen.findByLabelText(/username/i);
    await signIn(user);
    await waitFor(() => expect(location().pathname).toBe('/keys'));
  });

  it('says so when the credentials are wrong', async () => {
    installFakeApi({ signedIn: false });
    const { user, location } = renderApp('/login');
    await screen.findByLabelText(/username/i);
    await signIn(user, 'wrong');
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
    expect(location().pathname).toBe('/login');
  });

  it('reports throttling with the Retry-After delay', async () => {
    const api = installFakeApi({ signedIn: false });
    api.failNext('/api/auth/login', {
      status: 429,
      code: 'too_many_attempts',
      message: 'Too many attempts',
      headers: { 'Retry-After': '42' },
    });
    const { user } = renderApp('/login');
    await screen.findByLabelText(/username/i);
    await signIn(user);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Too many attempts. Try again in 42 seconds.',
    );
  });

  it('reports an unreachable server on a network failure', async () => {
    const api = installFakeApi({ signedIn: false });
    api.failNext('/api/auth/login', 'network');
    const { user } = renderApp('/login');
    await screen.findByLabelText(/username/i);
    await signIn(user);
    expect(await screen.findByRole('alert')).toHaveTextContent('Keydash server is not reachable.');
  });

  it('shows a busy button while signing in', async () => {
    const api = installFakeApi({ signedIn: false, keys: makeKeys(1) });
    const release = api.hold('/api/auth/login');
    const { user } = renderApp('/login');
    await screen.findByLabelText(/username/i);
    await signIn(user);
    const button = screen.getByRole('button', { name: /sign in/i });
    await waitFor(() => expect(button).toHaveAttribute('data-loading', 'true'));
    release();
    await screen.findByRole('heading', { name: 'API keys' });
  });
});
