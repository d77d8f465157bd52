import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '../../test-utils/fakeApi';
import { makeKeys } from '../../test-utils/keyFactory';
import { renderApp } from '../../test-utils/render';
import { mediaState } from '../../test-utils/setup';
import { EASTER_EGG_LINE } from './LogoEasterEgg';

function logoSvg() {
  return screen.getByRole('button', { name: 'Keydash team logo' }).querySelector('svg');
}

describe('team logo easter egg', () => {
  it('says hello and plays on hover, and goes away after', async () => {
    installFakeApi({ keys: makeKeys(1) });
    const { user } = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    const logo = screen.getByRole('button', { name: 'Keydash team logo' });
    expect(screen.queryByText(EASTER_EGG_LINE)).not.toBeInTheDocument();

    await user.hover(logo);
    // Checked before waiting for the tooltip: the animation lasts 700 ms, a loaded machine can
    // take longer than that to show the tooltip.
    expect(logoSvg()).toHaveAttribute('data-playing');
    expect(await screen.findByRole('tooltip')).toHaveTextContent(EASTER_EGG_LINE);

    await user.unhover(logo);
    await waitFor(() => expect(screen.queryByText(EASTER_EGG_LINE)).not.toBeInTheDocument());
  });

  it('stays open on click without blocking the controls around it', async () => {
    const api = installFakeApi({ keys: makeKeys(1) });
    const { user } = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    const logo = screen.getByRole('button', { name: 'Keydash team logo' });

    await user.click(logo);
    await user.unhover(logo);
    expect(screen.getByRole('tooltip')).toHaveTextContent(EASTER_EGG_LINE);
    expect(logo).toHaveAttribute('aria-pressed', 'true');

    const before = api.requestsTo('/api/keys').length;
    await user.click(screen.getByRole('button', { name: 'Refresh keys' }));
    await waitFor(() => expect(api.requestsTo('/api/keys').length).toBe(before + 1));
    await user.click(screen.getByRole('searchbox', { name: 'Search keys' }));
    expect(screen.getByRole('searchbox', { name: 'Search keys' })).toHaveFocus();
  });

  it('does not animate for people who prefer reduced motion', async () => {
    mediaState.reducedMotion = true;
    installFakeApi({ keys: makeKeys(1) });
    const { user } = renderApp('/keys');
    await screen.findAllByTestId('key-row');
    await user.hover(screen.getByRole('button', { name: 'Keydash team logo' }));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(EASTER_EGG_LINE);
    expect(logoSvg()).not.toHaveAttribute('data-playing');
  });
});
