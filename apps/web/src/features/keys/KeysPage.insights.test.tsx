// The insight columns: last use (relative, never, unknown), rotation and budget window, and
// sorting by them through the API's sort_by.
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '../../test-utils/fakeApi';
import { makeKey } from '../../test-utils/keyFactory';
import { renderApp } from '../../test-utils/render';
import { COLUMNS_STORAGE_KEY } from './useColumnVisibility';

const NOW = new Date('2026-11-23T09:00:00Z');

function rowOf(text: string): ReturnType<typeof within> {
  const row = screen.getByText(text).closest('tr');
  if (!row) throw new Error(`no row for ${text}`);
  return within(row);
}

function showEveryInsightColumn() {
  window.localStorage.setItem(
    COLUMNS_STORAGE_KEY,
    JSON.stringify({
      rotation_interval: true,
      next_rotation_at: true,
      last_rotated_at: true,
      rotation_count: true,
      budget_duration: true,
      budget_reset_at: true,
    }),
  );
}

describe('insight columns', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows last use as a relative time, or says never or unknown, muted', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    installFakeApi({
      keys: [
        makeKey({
          description: 'used key',
          last_use: 'used',
          last_used_at: '2026-11-20T09:00:00Z',
        }),
        makeKey({ description: 'never key', last_use: 'never' }),
        makeKey({ description: 'unknown key', last_use: 'unknown' }),
      ],
    });
    renderApp('/keys');
    await screen.findAllByTestId('key-row');

    const used = rowOf('used key').getByText('3 days ago');
    expect(used.tagName).toBe('TIME');
    expect(used).toHaveAttribute('datetime', '2026-11-20T09:00:00Z');
    expect(used).toHaveAttribute('title', '2026-11-20 09:00:00 UTC');

    const never = rowOf('never key').getByText('never');
    expect(never).toHaveAttribute('data-muted', 'true');
    expect(never.getAttribute('title')).toMatch(/no use of this key since it was created/);
    const unknown = rowOf('unknown key').getByText('unknown');
    expect(unknown).toHaveAttribute('data-muted', 'true');
    expect(unknown.getAttribute('title')).toMatch(
      /keys older than LiteLLM's last_active field show unknown/,
    );
  });

  it('shows rotation policy, next rotation (overdue in red), last rotation, count and budget window', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    showEveryInsightColumn();
    installFakeApi({
      keys: [
        makeKey({
          description: 'rotating',
          auto_rotate: true,
          rotation_interval: '30d',
          next_rotation_at: '2026-11-02T09:00:00Z',
          last_rotated_at: '2026-09-10T09:00:00Z',
          rotation_count: 4,
          budget_duration: '30d',
          budget_reset_at: '2026-11-26T09:00:00Z',
        }),
        makeKey({
          description: 'scheduled',
          auto_rotate: true,
          rotation_interval: '7d',
          next_rotation_at: '2026-11-26T09:00:00Z',
          rotation_count: 0,
        }),
        makeKey({ description: 'plain' }),
      ],
    });
    const view = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    const headers = Array.from(view.container.querySelectorAll('thead th')).map(
      (th) => th.textContent,
    );
    expect(headers).toEqual(
      expect.arrayContaining([
        'Rotation',
        'Next rotation',
        'Last rotation',
        'Rotations',
        'Budget window',
        'Budget reset',
      ]),
    );

    const rotating = rowOf('rotating');
    expect(rotating.getByText('every 30d')).toBeInTheDocument();
    const next = rotating.getByText('3 weeks ago');
    expect(next).toHaveAttribute('title', '2026-11-02 09:00:00 UTC');
    expect(next.closest('[data-overdue]')).toHaveTextContent('overdue');
    expect(rotating.getByText('2 months ago')).toHaveAttribute('datetime', '2026-09-10T09:00:00Z');
    expect(rotating.getByText('4')).toBeInTheDocument();
    expect(rotating.getByText('30d')).toHaveTextContent('30d · resets in 3 days');
    expect(rotating.getByText('in 3 days')).toHaveAttribute('datetime', '2026-11-26T09:00:00Z');

    const scheduled = rowOf('scheduled');
    expect(scheduled.getByText('every 7d')).toBeInTheDocument();
    expect(scheduled.getByText('in 3 days')).toBeInTheDocument();
    expect(scheduled.queryByText('overdue')).not.toBeInTheDocument();
    expect(scheduled.getByText('0')).toBeInTheDocument();

    const plain = rowOf('plain');
    expect(plain.getAllByText('none')).toHaveLength(2);
    expect(plain.getByLabelText('No rotation scheduled')).toBeInTheDocument();
    expect(plain.getByLabelText('Never rotated')).toBeInTheDocument();
    expect(plain.getAllByLabelText('No budget window')).toHaveLength(1);
  });

  it('sorts by last use through the API, and by a hidden column once shown', async () => {
    const api = installFakeApi({
      keys: [
        makeKey({ description: 'old', last_use: 'used', last_used_at: '2026-01-01T00:00:00Z' }),
        makeKey({ description: 'new', last_use: 'used', last_used_at: '2026-11-01T00:00:00Z' }),
        makeKey({ description: 'none', last_use: 'never' }),
      ],
    });
    const { user, location } = renderApp('/keys');
    await screen.findAllByTestId('key-row');

    await user.click(screen.getByRole('button', { name: /^Last used/ }));
    await waitFor(() =>
      expect(api.lastRequestTo('/api/keys')?.params.get('sort_by')).toBe('last_used_at'),
    );
    expect(api.lastRequestTo('/api/keys')?.params.get('sort_order')).toBe('asc');
    expect(location().searchParams.get('sort_by')).toBe('last_used_at');
    await waitFor(() =>
      expect(
        screen.getAllByTestId('key-row').map((row) => within(row).queryByText(/^(old|new|none)$/)),
      ).toEqual([
        screen.getByText('old'),
        screen.getByText('new'),
        screen.getByText('none'), // no date: last in both orders
      ]),
    );

    await user.click(screen.getByRole('button', { name: 'Columns' }));
    await user.click(await screen.findByRole('checkbox', { name: 'Budget window' }));
    await user.click(screen.getByRole('button', { name: /^Budget window/ }));
    await waitFor(() =>
      expect(api.lastRequestTo('/api/keys')?.params.get('sort_by')).toBe('budget_duration'),
    );
  });
});
