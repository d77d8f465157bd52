import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '../../test-utils/fakeApi';
import { makeKey, makeKeys } from '../../test-utils/keyFactory';
import { renderApp } from '../../test-utils/render';

function rows() {
  return screen.getAllByTestId('key-row');
}

function headerNames(container: HTMLElement): string[] {
  return Array.from(container.querySelectorAll('thead th')).map(
    (th) => th.textContent?.trim() ?? '',
  );
}

describe('keys table', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renders the mapped columns of each key', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-15T10:00:00Z'));
    installFakeApi({
      keys: [
        makeKey({
          masked_key: 'sk-****Xf3Q',
          alias: 'billing-batch-prod',
          owner: 'Dana Whitfield',
          owner_email: 'dana.whitfield@example.com',
          description: 'Nightly invoice summarisation',
          created_at: '2026-09-14T08:21:45.061000Z',
          allowed_models: [],
          tags: ['prod', 'finance'],
        }),
        makeKey({
          masked_key: 'sk-****Zz99',
          created_at: '2026-09-13T08:00:00Z',
          allowed_models: ['gpt-4o', 'gpt-4o-mini', 'claude-3', 'llama-3', 'mistral'],
        }),
      ],
    });
    const { container } = renderApp('/keys');
    await screen.findAllByTestId('key-row');

    expect(headerNames(container)).toEqual([
      'Key',
      'Owner',
      'Description',
      'Created',
      'Last used',
      'Models',
      'Tags',
    ]);
    const [first, second] = rows();
    if (!first || !second) throw new Error('expected two rows');

    const one = within(first);
    expect(one.getByText('sk-****Xf3Q')).toBeInTheDocument();
    expect(one.getByTestId('key-alias')).toHaveTextContent('billing-batch-prod');
    expect(one.getByText('Dana Whitfield')).toBeInTheDocument();
    expect(one.getByText('dana.whitfield@example.com')).toBeInTheDocument();
    expect(one.getByText('Nightly invoice summarisation')).toBeInTheDocument();
    const created = first.querySelector('time');
    expect(created).toHaveAttribute('datetime', '2026-09-14T08:21:45.061000Z');
    expect(created).toHaveAttribute('title', '2026-09-14 08:21:45 UTC');
    expect(created).toHaveTextContent(
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(
        new Date('2026-09-14T08:21:45Z'),
      ),
    );
    expect(one.getByText('3 months ago')).toBeInTheDocument();
    expect(one.getByText('All models')).toBeInTheDocument();
    expect(one.getByText('prod')).toBeInTheDocument();
    expect(one.getByText('finance')).toBeInTheDocument();

    const two = within(second);
    expect(two.queryByText('All models')).not.toBeInTheDocument();
    expect(two.getByText('gpt-4o')).toBeInTheDocument();
    expect(two.getByText('claude-3')).toBeInTheDocument();
    expect(two.queryByText('llama-3')).not.toBeInTheDocument();
    expect(two.getByTestId('more-badge')).toHaveTextContent(/^\+2 more/);
    expect(two.getByTestId('more-badge')).toHaveTextContent('llama-3, mistral');
  });

  it('lists the folded models in a tooltip on hover', async () => {
    installFakeApi({ keys: [makeKey({ allowed_models: ['a1', 'b2', 'c3', 'd4', 'e5'] })] });
    const { user } = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    await user.hover(screen.getByTestId('more-badge'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent('d4, e5');
  });

  it('shows the count and "Showing x–y of N" with grouped thousands', async () => {
    const api = installFakeApi({ keys: makeKeys(1234) });
    const { user } = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    expect(screen.getByText('Showing 1–25 of 1,234')).toBeInTheDocument();
    expect(screen.getByTestId('match-count')).toHaveTextContent('1,234 keys');

    await user.click(screen.getByRole('button', { name: 'Page 2' }));
    expect(await screen.findByText('Showing 26–50 of 1,234')).toBeInTheDocument();
    expect(api.lastRequestTo('/api/keys')?.params.get('page')).toBe('2');
  });

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

  it('warns when some keys came back partly unreadable', async () => {
    installFakeApi({ keys: makeKeys(5), partialCount: 3 });
    renderApp('/keys');
    expect(await screen.findByTestId('partial-warning')).toHaveTextContent(
      '3 keys had fields LiteLLM sent in an unexpected shape; they are shown with what could be read.',
    );
  });

  it('says when LiteLLM holds more keys than Keydash reads', async () => {
    installFakeApi({ keys: makeKeys(3), unreadKeys: 12_000 });
    renderApp('/keys');
    expect(await screen.findByTestId('truncation-notice')).toHaveTextContent(
      'LiteLLM holds 12,003 keys; Keydash reads the newest 3, so search and sorting cover those.',
    );
  });

  it('renders keys whose masked key or spend could not be read', async () => {
    installFakeApi({
      keys: [makeKey({ masked_key: null, spend: null, partial: true, alias: 'odd-one' })],
    });
    renderApp('/keys');
    const [row] = await screen.findAllByTestId('key-row');
    if (!row) throw new Error('no row');
    expect(within(row).getByLabelText('Key could not be read')).toBeInTheDocument();
    expect(within(row).getByLabelText('Partly unreadable')).toBeInTheDocument();
    expect(within(row).getByText('odd-one')).toBeInTheDocument();
  });

  it('shows no partial warning when every key was readable', async () => {
    installFakeApi({ keys: makeKeys(2) });
    renderApp('/keys');
    await screen.findAllByTestId('key-row');
    expect(screen.queryByTestId('partial-warning')).not.toBeInTheDocument();
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
