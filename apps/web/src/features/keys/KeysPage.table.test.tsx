import { screen, within } from '@testing-library/react';
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
});
