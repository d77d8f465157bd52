import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '../../test-utils/fakeApi';
import { makeKey } from '../../test-utils/keyFactory';
import { type AppRender, renderApp } from '../../test-utils/render';
import { COLUMNS_STORAGE_KEY } from './useColumnVisibility';

function headers(view: AppRender): string[] {
  return Array.from(view.container.querySelectorAll('thead th')).map(
    (th) => th.textContent?.trim() ?? '',
  );
}

/** The table alone: the filter bar's option lists also name owners and amounts. */
function table() {
  return within(screen.getByRole('table', { name: 'API keys' }));
}

function stored(): Record<string, boolean> | null {
  const raw = window.localStorage.getItem(COLUMNS_STORAGE_KEY);
  return raw ? (JSON.parse(raw) as Record<string, boolean>) : null;
}

async function openColumnsMenu(view: AppRender) {
  await view.user.click(screen.getByRole('button', { name: 'Columns' }));
  return screen.findByRole('group', { name: 'Visible columns' });
}

describe('column visibility', () => {
  it('offers every column, hides the extra ones by default', async () => {
    installFakeApi({ keys: [makeKey({ status: 'blocked', team_id: 'team-finance' })] });
    const view = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    expect(headers(view)).toEqual([
      'Key',
      'Owner',
      'Description',
      'Created',
      'Last used',
      'Models',
      'Tags',
    ]);

    await openColumnsMenu(view);
    const boxes = screen.getAllByRole('checkbox');
    expect(boxes.map((box) => box.closest('.mantine-Checkbox-root')?.textContent)).toEqual([
      'Key',
      'Owner',
      'Description',
      'Created',
      'Last used',
      'Models',
      'Tags',
      'Status',
      'Expires',
      'Spend / budget',
      'Team',
      'Rotation',
      'Next rotation',
      'Last rotation',
      'Rotations',
      'Budget window',
      'Budget reset',
    ]);
    expect(screen.getByRole('checkbox', { name: 'Status' })).not.toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Owner' })).toBeChecked();
  });

  it('hides and restores a column and remembers it', async () => {
    installFakeApi({ keys: [makeKey({ owner: 'Dana Whitfield', status: 'blocked' })] });
    const view = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    await openColumnsMenu(view);

    await view.user.click(screen.getByRole('checkbox', { name: 'Owner' }));
    await waitFor(() => expect(headers(view)).not.toContain('Owner'));
    expect(table().queryByText('Dana Whitfield')).not.toBeInTheDocument();
    expect(stored()).toMatchObject({ owner: false });

    await view.user.click(screen.getByRole('checkbox', { name: 'Status' }));
    await waitFor(() => expect(headers(view)).toContain('Status'));
    expect(table().getByText('blocked')).toBeInTheDocument();
    expect(stored()).toMatchObject({ owner: false, status: true });

    await view.user.click(screen.getByRole('checkbox', { name: 'Owner' }));
    await waitFor(() => expect(headers(view)).toContain('Owner'));
    expect(table().getByText('Dana Whitfield')).toBeInTheDocument();
  });

  it('resets to the default columns', async () => {
    installFakeApi({ keys: [makeKey()] });
    const view = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    await openColumnsMenu(view);
    await view.user.click(screen.getByRole('checkbox', { name: 'Tags' }));
    await view.user.click(screen.getByRole('checkbox', { name: 'Team' }));
    await waitFor(() => expect(headers(view)).toContain('Team'));

    await view.user.click(screen.getByRole('button', { name: 'Reset columns' }));

    await waitFor(() =>
      expect(headers(view)).toEqual([
        'Key',
        'Owner',
        'Description',
        'Created',
        'Last used',
        'Models',
        'Tags',
      ]),
    );
    expect(stored()).toBeNull();
  });

  it('reads the stored choice on load', async () => {
    window.localStorage.setItem(
      COLUMNS_STORAGE_KEY,
      JSON.stringify({ description: false, spend: true }),
    );
    installFakeApi({ keys: [makeKey({ spend: 412.77, max_budget: 1000 })] });
    const view = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    expect(headers(view)).toEqual([
      'Key',
      'Owner',
      'Created',
      'Last used',
      'Models',
      'Tags',
      'Spend / budget',
    ]);
    expect(table().getByText('$412.77')).toBeInTheDocument();
    expect(table().getByText('/ $1,000.00')).toBeInTheDocument();
  });

  it('never lets the last column be hidden', async () => {
    window.localStorage.setItem(
      COLUMNS_STORAGE_KEY,
      JSON.stringify({
        owner: false,
        description: false,
        created_at: false,
        last_used_at: false,
        allowed_models: false,
        tags: false,
      }),
    );
    installFakeApi({ keys: [makeKey()] });
    const view = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    await openColumnsMenu(view);
    expect(screen.getByRole('checkbox', { name: 'Key' })).toBeDisabled();
  });
});
