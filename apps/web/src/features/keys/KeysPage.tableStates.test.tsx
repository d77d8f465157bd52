// The keys table's states: loading, errors and retry, empty and no-match, and refresh.
// Its columns, counts and notices are in KeysPage.table.test.tsx.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '../../test-utils/fakeApi';
import { makeKeys } from '../../test-utils/keyFactory';
import { renderApp } from '../../test-utils/render';

function rows() {
  return screen.getAllByTestId('key-row');
}

describe('keys table', () => {
  it('shows skeleton rows while the first page loads', async () => {
    const api = installFakeApi({ keys: makeKeys(3) });
    const release = api.hold('/api/keys');
    renderApp('/keys');
    const loading = await screen.findByTestId('keys-loading');
    expect(loading).toHaveAttribute('aria-busy', 'true');
    expect(screen.queryByTestId('key-row')).not.toBeInTheDocument();
    release();
    expect(await screen.findAllByTestId('key-row')).toHaveLength(3);
    expect(screen.queryByTestId('keys-loading')).not.toBeInTheDocument();
  });

  it.each([
    ['upstream_unavailable', 502, 'LiteLLM is not reachable (connection refused).'],
    ['upstream_timeout', 504, 'LiteLLM did not answer in time.'],
    ['upstream_error', 502, 'LiteLLM answered with an error (HTTP 500: Database not connected).'],
    ['upstream_auth_failed', 502, 'LiteLLM rejected the API key Keydash uses (HTTP 401).'],
    ['upstream_bad_response', 502, 'LiteLLM sent an answer Keydash could not read.'],
    ['invalid_query', 422, 'size: must be between 1 and 100'],
  ])("shows the backend's message for %s", async (code, status, message) => {
    const api = installFakeApi({ keys: makeKeys(1) });
    api.failNext('/api/keys', { status, code, message });
    renderApp('/keys');
    const error = await screen.findByTestId('keys-error');
    expect(within(error).getByRole('alert')).toHaveTextContent(message);
    expect(screen.queryByTestId('sync-progress')).not.toBeInTheDocument();
  });

  it.each([
    ['upstream_error', 'LiteLLM answered with an error.'],
    ['upstream_auth_failed', "LiteLLM rejected Keydash's API key. Check LITELLM_API_KEY."],
  ])('explains %s in plain words when the message is empty', async (code, text) => {
    const api = installFakeApi({ keys: makeKeys(1) });
    api.failNext('/api/keys', { status: 502, code, message: '' });
    renderApp('/keys');
    const error = await screen.findByTestId('keys-error');
    expect(within(error).getByRole('alert')).toHaveTextContent(text);
  });

  it('retries after an error and shows the keys', async () => {
    const api = installFakeApi({ keys: makeKeys(2) });
    api.failNext('/api/keys', { status: 502, code: 'upstream_unavailable', message: 'down' });
    const { user } = renderApp('/keys');
    await screen.findByTestId('keys-error');
    expect(api.requestsTo('/api/keys')).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Retry' }));

    expect(await screen.findAllByTestId('key-row')).toHaveLength(2);
    expect(api.requestsTo('/api/keys')).toHaveLength(2);
    expect(screen.queryByTestId('keys-error')).not.toBeInTheDocument();
  });

  it('says when LiteLLM has no keys at all', async () => {
    installFakeApi({ keys: [] });
    renderApp('/keys');
    const empty = await screen.findByTestId('keys-empty');
    expect(empty).toHaveTextContent('No keys yet');
    expect(screen.queryByTestId('keys-no-match')).not.toBeInTheDocument();
  });

  it('says when a search matches nothing, and clears it', async () => {
    const api = installFakeApi({ keys: makeKeys(4) });
    const { user, location } = renderApp('/keys?search=zebra');
    const noMatch = await screen.findByTestId('keys-no-match');
    expect(noMatch).toHaveTextContent('zebra');
    expect(screen.getByTestId('match-count')).toHaveTextContent('0 keys match');

    await user.click(within(noMatch).getByRole('button', { name: 'Clear search' }));

    expect(await screen.findAllByTestId('key-row')).toHaveLength(4);
    expect(screen.getByRole('searchbox', { name: 'Search keys' })).toHaveValue('');
    expect(location().searchParams.has('search')).toBe(false);
    expect(api.lastRequestTo('/api/keys')?.params.has('search')).toBe(false);
  });

  it('shows when the data was read and refreshes on demand', async () => {
    const api = installFakeApi({ keys: makeKeys(2), fetchedAt: '2026-11-23T09:00:00Z' });
    const { user } = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    const clock = new Intl.DateTimeFormat(undefined, {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    expect(screen.getByTestId('updated-at')).toHaveTextContent(
      `Keys as of ${clock.format(new Date('2026-11-23T09:00:00Z'))}`,
    );

    api.fetchedAt = '2026-11-23T09:05:30Z';
    await user.click(screen.getByRole('button', { name: 'Refresh keys' }));
    await waitFor(() =>
      expect(screen.getByTestId('updated-at')).toHaveTextContent(
        clock.format(new Date('2026-11-23T09:05:30Z')),
      ),
    );
    expect(api.requestsTo('/api/keys')).toHaveLength(2);
  });

  it('keeps the rows and says so when a refresh fails', async () => {
    const api = installFakeApi({ keys: makeKeys(2) });
    const { user } = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    api.failNext('/api/keys', {
      status: 504,
      code: 'upstream_timeout',
      message: 'LiteLLM did not answer in time.',
    });
    await user.click(screen.getByRole('button', { name: 'Refresh keys' }));
    expect(await screen.findByTestId('refresh-error')).toHaveTextContent(
      'Refresh failed: LiteLLM did not answer in time. Showing the last loaded keys.',
    );
    expect(rows()).toHaveLength(2);
  });
});
