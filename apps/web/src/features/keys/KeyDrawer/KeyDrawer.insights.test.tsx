// The drawer's insight sections: last use, rotation (overdue, the alias link), budget window
// (and its absence) and who created or changed the key.
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KeyOut } from '../../../api/types';
import { installFakeApi } from '../../../test-utils/fakeApi';
import { makeKey } from '../../../test-utils/keyFactory';
import { renderApp } from '../../../test-utils/render';

const NOW = new Date('2026-11-23T09:00:00Z');

async function openDrawer(key: KeyOut, route = '/keys') {
  installFakeApi({ keys: [key] });
  const view = renderApp(route);
  const [row] = await screen.findAllByTestId('key-row');
  if (!row) throw new Error('no row');
  await view.user.click(row);
  const dialog = within(await screen.findByRole('dialog', { name: 'Key details' }));
  const section = (name: string) => within(dialog.getByRole('region', { name }));
  return { ...view, dialog, section };
}

describe('key drawer insights', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows last use, an overdue rotation, the budget window and who', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    const { section } = await openDrawer(
      makeKey({
        alias: 'billing-batch-prod',
        last_use: 'used',
        last_used_at: '2026-11-20T09:00:00Z',
        auto_rotate: true,
        rotation_interval: '30d',
        next_rotation_at: '2026-11-02T09:00:00Z',
        last_rotated_at: '2026-10-03T09:00:00Z',
        rotation_count: 4,
        budget_duration: '30d',
        budget_reset_at: '2026-11-26T09:00:00Z',
        spend: 412.77,
        max_budget: 1000,
        created_by: 'admin@example.com',
        updated_by: 'ops-bot',
      }),
    );

    const lastUse = section('Last use');
    expect(lastUse.getByText('(3 days ago)')).toBeInTheDocument();
    expect(lastUse.getByText('2026-11-20 09:00:00 UTC')).toBeInTheDocument();

    const rotation = section('Rotation');
    expect(rotation.getByText('Rotates every 30d')).toBeInTheDocument();
    const overdue = rotation.getByTestId('rotation-overdue');
    expect(overdue).toHaveTextContent('(3 weeks ago)');
    expect(overdue).toHaveTextContent('Overdue');
    expect(rotation.getByRole('note')).toHaveTextContent(
      'The scheduled rotation is past and LiteLLM has not rotated this key yet.',
    );
    expect(rotation.getByText('2026-10-03 09:00:00 UTC')).toBeInTheDocument();
    expect(rotation.getByText('4')).toBeInTheDocument();
    expect(
      rotation.getByText(/Rotating gives the key a new secret and a new id \(hash\)/),
    ).toHaveTextContent('links by id break; this link uses the alias');

    const budget = section('Budget window');
    expect(budget.getByText('Every 30d')).toBeInTheDocument();
    const reset = budget.getByText('resets in 3 days');
    expect(reset).toHaveAttribute('title', '2026-11-26 09:00:00 UTC');
    expect(budget.getByText('$412.77 of $1,000.00 (41%)')).toBeInTheDocument();

    const who = section('Who');
    expect(who.getByText('admin@example.com')).toBeInTheDocument();
    expect(who.getByText('ops-bot')).toBeInTheDocument();
  });

  it('links to the keys table by alias, which survives a rotation, and closes', async () => {
    const { section, user, location } = await openDrawer(
      makeKey({ alias: 'billing-batch-prod', description: 'Nightly invoices' }),
      '/keys?status=active',
    );
    const link = section('Rotation').getByRole('link', { name: /billing-batch-prod/ });
    expect(link).toHaveAttribute('href', '/keys?search=billing-batch-prod');

    await user.click(link);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(location().search).toBe('?search=billing-batch-prod');
    expect(screen.getByRole('searchbox', { name: 'Search keys' })).toHaveValue(
      'billing-batch-prod',
    );
    expect(await screen.findAllByTestId('key-row')).toHaveLength(1);
  });

  it('says so when there is no rotation policy, no budget window, no record of use or of who', async () => {
    const { section } = await openDrawer(makeKey({ last_use: 'unknown' }));

    const lastUse = section('Last use');
    expect(lastUse.getByText('No record of use')).toBeInTheDocument();
    expect(
      lastUse.getByText(
        "LiteLLM has no record of this key's use; keys older than LiteLLM's last_active field show unknown.",
      ),
    ).toBeInTheDocument();

    const rotation = section('Rotation');
    expect(rotation.getByText('No automatic rotation')).toBeInTheDocument();
    expect(rotation.getByText('Never rotated')).toBeInTheDocument();
    expect(rotation.getByText('Not scheduled')).toBeInTheDocument();
    expect(rotation.queryByTestId('rotation-overdue')).not.toBeInTheDocument();
    expect(rotation.queryByRole('link')).not.toBeInTheDocument();
    expect(rotation.getByText(/Give the key an alias in LiteLLM/)).toBeInTheDocument();

    expect(section('Budget window').getByText('No budget window')).toBeInTheDocument();
    expect(section('Who').getAllByText('Not recorded')).toHaveLength(2);
  });

  it('explains a key that was provably never used, and a window without a budget', async () => {
    const { section } = await openDrawer(
      makeKey({
        last_use: 'never',
        budget_duration: '7d',
        budget_reset_at: '2020-01-01T00:00:00Z',
        spend: 12.5,
        max_budget: null,
      }),
    );
    expect(section('Last use').getByText('Never used')).toBeInTheDocument();
    expect(
      section('Last use').getByText(/LiteLLM recorded no use of this key since it was created/),
    ).toBeInTheDocument();
    const budget = section('Budget window');
    expect(budget.getByText('Every 7d')).toBeInTheDocument();
    expect(budget.getByText(/^reset due .* ago$/)).toBeInTheDocument();
    expect(budget.getByText('$12.50 (no budget limit)')).toBeInTheDocument();
  });
});
