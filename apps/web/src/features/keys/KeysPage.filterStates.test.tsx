// Loading, error and no-match states of the page while filters are on.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeApi } from '../../test-utils/fakeApi';
import { renderApp } from '../../test-utils/render';
import { fleet, lastParams } from './keysPageTestKit';

describe('states with filters', () => {
  it('keeps the table usable when the counts fail, and retries them', async () => {
    const api = installFakeApi({ keys: fleet() });
    api.failNext('/api/keys/facets', {
      status: 502,
      code: 'upstream_unavailable',
      message: 'down',
    });
    const { user } = renderApp('/keys');
    expect(await screen.findAllByTestId('key-row')).toHaveLength(6);
    expect(await screen.findByTestId('facets-unavailable')).toBeInTheDocument();
    expect(screen.getByTestId('filter-chip-status-expired')).not.toHaveAttribute('data-count');
    expect(screen.getByTestId('summary-card-expired')).toHaveTextContent('unavailable');
    expect(screen.getByTestId('summary-card-total')).toHaveAttribute('data-value', '6');
    expect(screen.queryByTestId('keys-error')).not.toBeInTheDocument();

    await user.click(screen.getByTestId('filter-chip-status-expired'));
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(2));
    await waitFor(() => expect(screen.queryByTestId('facets-unavailable')).not.toBeInTheDocument());
    expect(screen.getByTestId('filter-chip-status-expired')).toHaveAttribute('data-count', '2');

    api.failNext('/api/keys/facets', { status: 504, code: 'upstream_timeout', message: 'slow' });
    await user.click(screen.getByTestId('filter-chip-status-active'));
    await user.click(await screen.findByRole('button', { name: 'Retry counts' }));
    await waitFor(() =>
      expect(screen.getByTestId('filter-chip-status-active')).toHaveAttribute('data-count', '3'),
    );
    expect(screen.getAllByTestId('key-row')).toHaveLength(5);
  });

  it('says when no key matches the filters, and clears them', async () => {
    const api = installFakeApi({ keys: fleet() });
    const { user, location } = renderApp('/keys?status=blocked&owner_missing=true');
    const noMatch = await screen.findByTestId('keys-no-match');
    expect(noMatch).toHaveTextContent('No keys match these filters');
    expect(within(noMatch).queryByRole('button', { name: 'Clear search' })).not.toBeInTheDocument();
    expect(screen.getByTestId('match-count')).toHaveTextContent('0 keys match');

    await user.click(within(noMatch).getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findAllByTestId('key-row')).toHaveLength(6);
    await waitFor(() => expect(location().search).toBe(''));
    expect(lastParams(api).status).toBeUndefined();
  });

  it('offers both ways out when a search and filters together match nothing', async () => {
    installFakeApi({ keys: fleet() });
    const { user } = renderApp('/keys?search=zebra&tag=prod');
    const noMatch = await screen.findByTestId('keys-no-match');
    expect(noMatch).toHaveTextContent('No keys match these filters');
    expect(noMatch).toHaveTextContent('zebra');
    await user.click(within(noMatch).getByRole('button', { name: 'Clear search' }));
    // The filter stays: three keys carry the tag.
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(3));
    expect(screen.getByTestId('active-filter-tag-prod')).toBeInTheDocument();
  });

  it('offers to clear the filters when the keys cannot load', async () => {
    const api = installFakeApi({ keys: fleet() });
    api.failNext('/api/keys', { status: 422, code: 'invalid_query', message: 'tag: too long' });
    const { user } = renderApp('/keys?tag=prod');
    const error = await screen.findByTestId('keys-error');
    await user.click(within(error).getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findAllByTestId('key-row')).toHaveLength(6);
    expect(lastParams(api).tag).toBeUndefined();
  });

  it('shows the filter bar while the first page loads', async () => {
    const api = installFakeApi({ keys: fleet() });
    const release = api.hold('/api/keys');
    renderApp('/keys?status=expired');
    expect(await screen.findByTestId('keys-loading')).toBeInTheDocument();
    expect(screen.getByTestId('filter-chip-status-expired')).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    release();
    expect(await screen.findAllByTestId('key-row')).toHaveLength(2);
  });
});
