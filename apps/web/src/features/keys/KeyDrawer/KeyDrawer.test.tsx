import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { installFakeApi } from '../../../test-utils/fakeApi';
import { makeKey } from '../../../test-utils/keyFactory';
import { renderApp } from '../../../test-utils/render';

const key = makeKey({
  id: '88dc28d0aa',
  masked_key: 'sk-****Xf3Q',
  alias: 'billing-batch-prod',
  description: 'Nightly invoice summarisation',
  owner: 'Dana Whitfield',
  owner_email: 'dana.whitfield@example.com',
  owner_id: 'u-4471',
  team_id: 'team-finance',
  allowed_models: ['gpt-4o', 'gpt-4o-mini', 'claude-3', 'llama-3'],
  tags: ['prod', 'finance'],
  spend: 412.77,
  max_budget: 1000,
  status: 'active',
});

async function firstRow() {
  const [row] = await screen.findAllByTestId('key-row');
  if (!row) throw new Error('no row');
  return row;
}

describe('key drawer', () => {
  it('opens from a row click with every field, and closes on Escape', async () => {
    installFakeApi({ keys: [key] });
    const { user } = renderApp('/keys');
    await user.click(within(await firstRow()).getByText('Nightly invoice summarisation'));

    const dialog = await screen.findByRole('dialog', { name: 'Key details' });
    const drawer = within(dialog);
    for (const text of [
      'sk-****Xf3Q',
      '88dc28d0aa',
      'billing-batch-prod',
      'Dana Whitfield',
      'dana.whitfield@example.com',
      'u-4471',
      'team-finance',
      '$412.77',
      '$1,000.00',
      'llama-3',
      'finance',
      'active',
      'Never expires',
    ]) {
      expect(drawer.getAllByText(text, { exact: false }).length).toBeGreaterThan(0);
    }
    expect(drawer.getByRole('button', { name: 'Copy masked key' })).toBeInTheDocument();
    expect(drawer.getByRole('button', { name: 'Copy key ID' })).toBeInTheDocument();

    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('opens from the keyboard with Enter and Space and gives focus back to the row', async () => {
    installFakeApi({ keys: [key] });
    const { user } = renderApp('/keys');
    const row = await firstRow();
    expect(row).toHaveAttribute('tabindex', '0');

    row.focus();
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('dialog', { name: 'Key details' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await waitFor(() => expect(row).toHaveFocus());

    await user.keyboard(' ');
    expect(await screen.findByRole('dialog', { name: 'Key details' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Close key details' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('names the fields LiteLLM sent in a wrong shape', async () => {
    installFakeApi({
      keys: [
        makeKey({
          partial: true,
          unreadable_fields: ['spend', 'models'],
          spend: null,
          masked_key: null,
        }),
      ],
    });
    const { user } = renderApp('/keys');
    await user.click(await firstRow());
    const dialog = within(await screen.findByRole('dialog', { name: 'Key details' }));
    expect(dialog.getByText(/Unreadable: spend, models\./)).toBeInTheDocument();
    expect(dialog.getByText('Could not be read')).toBeInTheDocument();
    expect(dialog.getByText('Unknown')).toBeInTheDocument();
    expect(dialog.queryByRole('button', { name: 'Copy masked key' })).not.toBeInTheDocument();
  });

  it('copies the masked key and the key id', async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>().mockResolvedValue(undefined);
    installFakeApi({ keys: [key] });
    const { user } = renderApp('/keys');
    // user-event installs its own clipboard on setup; replace it after.
    Object.defineProperty(window.navigator, 'clipboard', {
      value: { writeText },
      configurable: true,
    });
    await user.click(await firstRow());
    const dialog = within(await screen.findByRole('dialog', { name: 'Key details' }));

    await user.click(dialog.getByRole('button', { name: 'Copy masked key' }));
    expect(writeText).toHaveBeenLastCalledWith('sk-****Xf3Q');
    expect(await dialog.findByRole('button', { name: 'masked key copied' })).toBeInTheDocument();

    await user.click(dialog.getByRole('button', { name: 'Copy key ID' }));
    expect(writeText).toHaveBeenLastCalledWith('88dc28d0aa');
  });
});
