// The "No team" filter, declared once in declarations.ts: its chip sits with "No owner", shows
// the facets' team_missing count, and narrows the table through the team_missing parameter.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '../../../test-utils/fakeApi';
import { makeKey } from '../../../test-utils/keyFactory';
import { renderApp } from '../../../test-utils/render';

function fleet() {
  return [
    makeKey({ alias: 'finance-bot', team_id: 'finance', owner: 'Dana' }),
    makeKey({ alias: 'research-bot', team_id: 'research', owner: null }),
    makeKey({ alias: 'loose', team_id: null, owner: 'Ari' }),
    makeKey({ alias: 'loose-blocked', team_id: null, owner: 'Bo', status: 'blocked' }),
  ];
}

describe('the No team chip', () => {
  it('counts keys without a team and filters the table to them', async () => {
    const api = installFakeApi({ keys: fleet() });
    const { user, location } = renderApp('/keys');
    const chip = await screen.findByTestId('filter-chip-team-missing', {}, { timeout: 10_000 });
    await waitFor(() => expect(chip).toHaveAttribute('data-count', '2'));
    expect(chip).toHaveTextContent('No team');
    const access = screen.getByRole('group', { name: 'Access' });
    const chips = within(access)
      .getAllByRole('button')
      .map((button) => button.dataset.testid);
    expect(chips.indexOf('filter-chip-team-missing')).toBe(
      chips.indexOf('filter-chip-owner-missing') + 1,
    );

    await user.click(chip);
    await waitFor(() =>
      expect(api.lastRequestTo('/api/keys')?.params.get('team_missing')).toBe('true'),
    );
    expect(location().searchParams.get('team_missing')).toBe('true');
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(2));
    expect(screen.getByTestId('active-filter-team-missing')).toHaveTextContent('No team');
  });
});
