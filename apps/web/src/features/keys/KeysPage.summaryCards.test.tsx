// The summary cards: their totals over the view, and the filter each one applies.
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '../../test-utils/fakeApi';
import { renderApp } from '../../test-utils/render';
import { fleet, lastParams, ready } from './keysPageTestKit';

describe('summary cards', () => {
  it('sum up the view and apply their filter when clicked', async () => {
    const api = installFakeApi({ keys: fleet() });
    const { user, location } = renderApp('/keys');
    await ready();

    const card = (id: string) => screen.getByTestId(`summary-card-${id}`);
    expect(card('total')).toHaveAttribute('data-value', '6');
    expect(card('expired')).toHaveTextContent('Expired2');
    expect(card('expiring')).toHaveAttribute('data-value', '1');
    expect(card('blocked')).toHaveAttribute('data-value', '1');
    expect(card('all-models')).toHaveAttribute('data-value', '3');
    expect(card('spend')).toHaveTextContent('$');

    await user.click(card('expired'));
    await waitFor(() => expect(lastParams(api).status).toEqual(['expired']));
    expect(card('expired')).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(card('total')).toHaveAttribute('data-value', '2'));

    // Blocked replaces the status filter; total lifts it again.
    await user.click(card('blocked'));
    await waitFor(() => expect(lastParams(api).status).toEqual(['blocked']));
    expect(card('expired')).toHaveAttribute('aria-pressed', 'false');
    await user.click(card('total'));
    await waitFor(() => expect(location().searchParams.has('status')).toBe(false));
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(6));
    expect(card('blocked')).toHaveAttribute('aria-pressed', 'false');

    await user.click(card('expiring'));
    await waitFor(() => expect(lastParams(api).expires_within_days).toEqual(['30']));
    await user.click(card('all-models'));
    await waitFor(() => expect(lastParams(api).all_models).toEqual(['true']));
    expect(screen.getByTestId('filter-chip-all-models')).toHaveAttribute('aria-pressed', 'true');

    await user.click(card('spend'));
    await waitFor(() => expect(lastParams(api).sort_by).toEqual(['spend']));
    expect(lastParams(api).sort_order).toEqual(['desc']);
  });
});
