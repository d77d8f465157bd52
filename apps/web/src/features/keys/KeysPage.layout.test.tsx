// Row density and the folding filter panel: toggled by buttons that say their state, and
// remembered across visits (localStorage, like the view).
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '../../test-utils/fakeApi';
import { makeKeys } from '../../test-utils/keyFactory';
import { renderApp } from '../../test-utils/render';
import { LAYOUT_STORAGE_KEY } from './layoutStorage';

function storedLayout(): unknown {
  const raw = window.localStorage.getItem(LAYOUT_STORAGE_KEY);
  return raw ? JSON.parse(raw) : null;
}

function table() {
  return screen.getByRole('table', { name: 'API keys' });
}

describe('page layout', () => {
  it('switches to compact rows and remembers it', async () => {
    installFakeApi({ keys: makeKeys(3) });
    const first = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    expect(table()).toHaveAttribute('data-density', 'comfortable');

    const toggle = screen.getByRole('button', { name: 'Compact rows' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await first.user.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    expect(table()).toHaveAttribute('data-density', 'compact');
    expect(storedLayout()).toEqual({ density: 'compact', filtersCollapsed: false });
    first.unmount();

    installFakeApi({ keys: makeKeys(3) });
    const second = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    expect(table()).toHaveAttribute('data-density', 'compact');
    await second.user.click(screen.getByRole('button', { name: 'Compact rows', pressed: true }));
    expect(table()).toHaveAttribute('data-density', 'comfortable');
    expect(storedLayout()).toMatchObject({ density: 'comfortable' });
  });

  it('folds the filter panel away, keeps the active filters in sight, and remembers it', async () => {
    installFakeApi({ keys: makeKeys(3) });
    const first = renderApp('/keys?never_expires=true');
    await screen.findAllByTestId('key-row');
    const bar = screen.getByTestId('filter-bar');
    expect(bar).toBeVisible();

    const hide = screen.getByRole('button', { name: 'Hide filters' });
    expect(hide).toHaveAttribute('aria-expanded', 'true');
    expect(document.getElementById(hide.getAttribute('aria-controls') ?? '')).toContainElement(bar);
    await first.user.click(hide);
    const show = screen.getByRole('button', { name: /^Show filters/ });
    expect(show).toHaveAttribute('aria-expanded', 'false');
    expect(show).toHaveAccessibleName('Show filters (1 active)');
    expect(screen.queryByTestId('filter-bar')).not.toBeInTheDocument();
    // Folded, the filter still applies and can still be removed.
    expect(screen.getByTestId('active-filter-never-expires')).toBeVisible();
    expect(storedLayout()).toEqual({ density: 'comfortable', filtersCollapsed: true });
    first.unmount();

    installFakeApi({ keys: makeKeys(3) });
    const second = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    expect(screen.queryByTestId('filter-bar')).not.toBeInTheDocument();
    await second.user.click(screen.getByRole('button', { name: /^Show filters/ }));
    await waitFor(() => expect(screen.getByTestId('filter-bar')).toBeVisible());
    expect(screen.getByRole('button', { name: 'Hide filters' })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
    expect(storedLayout()).toMatchObject({ filtersCollapsed: false });
  });

  it('reads a hand-edited layout defensively', async () => {
    window.localStorage.setItem(LAYOUT_STORAGE_KEY, '{"density":"tiny","filtersCollapsed":"yes"');
    installFakeApi({ keys: makeKeys(2) });
    renderApp('/keys');
    await screen.findAllByTestId('key-row');
    expect(table()).toHaveAttribute('data-density', 'comfortable');
    expect(screen.getByTestId('filter-bar')).toBeVisible();
  });
});
