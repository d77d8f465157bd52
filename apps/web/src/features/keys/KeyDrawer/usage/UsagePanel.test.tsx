// The drawer's usage panel: loaded (code and figures) only once a drawer opens, then the
// totals, the chart, the top models and the day-by-day table; "not available" and errors.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  type FakeApi,
  type FakeApiOptions,
  USAGE_NOTE,
  installFakeApi,
} from '../../../../test-utils/fakeApi';
import { makeKey } from '../../../../test-utils/keyFactory';
import { renderApp } from '../../../../test-utils/render';

const KEY = makeKey({ id: 'c0ffee00', description: 'Usage key' });
const USAGE_PATH = '/api/keys/c0ffee00/usage';
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

async function setup(options: Omit<FakeApiOptions, 'keys'> = {}) {
  const api = installFakeApi({ keys: [KEY], ...options });
  const view = renderApp('/keys');
  const [row] = await screen.findAllByTestId('key-row');
  if (!row) throw new Error('no row');
  return { api, ...view, row };
}

async function open(user: { click: (el: Element) => Promise<void> }, row: HTMLElement) {
  await user.click(row);
  const dialog = await screen.findByRole('dialog', { name: 'Key details' });
  return within(within(dialog).getByRole('region', { name: 'Usage, last 30 days' }));
}

function usageRequests(api: FakeApi) {
  return api.requestsTo(USAGE_PATH);
}

describe('usage panel', () => {
  it('asks only once the drawer opens, then shows totals, chart, top models and a table', async () => {
    const { api, user, row } = await setup({
      usage: {
        c0ffee00: {
          days: {
            0: { spend: 1.5, requests: 10, prompt_tokens: 1000, completion_tokens: 500 },
            2: {
              spend: 3.25,
              requests: 20,
              failed_requests: 2,
              prompt_tokens: 2000,
              completion_tokens: 800,
            },
          },
          models: {
            'gpt-4o-mini': { spend: 0.75, requests: 5, prompt_tokens: 300 },
            'gpt-4o': { spend: 4, requests: 25, prompt_tokens: 2700, completion_tokens: 1300 },
          },
        },
      },
    });
    expect(usageRequests(api)).toHaveLength(0);

    const usage = await open(user, row);
    const totals = await usage.findByTestId('usage-totals');
    expect(totals).toHaveTextContent('Spend$4.75');
    expect(totals).toHaveTextContent('Requests302 failed');
    expect(totals).toHaveTextContent('Tokens4,3003,000 in · 1,300 out');
    expect(usage.getByTestId('usage-note')).toHaveTextContent(USAGE_NOTE);
    expect(usageRequests(api)).toHaveLength(1);
    expect(usageRequests(api)[0]?.params.get('days')).toBe('30');

    const chart = usage.getByRole('img', { name: /^Spend per day, .* highest \$3\.25$/ });
    const bars = chart.querySelectorAll('rect');
    expect(bars).toHaveLength(30);
    expect(bars[29]?.querySelector('title')).toHaveTextContent(
      `${day.format(new Date('2026-11-23T00:00:00Z'))}: $1.50`,
    );
    expect(bars[27]?.querySelector('title')).toHaveTextContent(
      `${day.format(new Date('2026-11-21T00:00:00Z'))}: $3.25`,
    );

    const models = usage.getByRole('table', { name: 'Top models' });
    expect(
      within(models)
        .getAllByRole('row')
        .slice(1)
        .map((tr) => tr.textContent),
    ).toEqual(['gpt-4o$4.00254,000', 'gpt-4o-mini$0.755300']);

    const daily = usage.getByRole('table', { name: 'Usage per day' });
    const rows = within(daily).getAllByRole('row');
    expect(rows).toHaveLength(31);
    expect(rows[28]).toHaveTextContent(
      `${day.format(new Date('2026-11-21T00:00:00Z'))}$3.252022,800`,
    );
  });

  it('says when this LiteLLM cannot give usage, and why', async () => {
    const { user, row } = await setup({
      usage: { c0ffee00: { unavailable: 'LiteLLM answered 404 for /user/daily/activity.' } },
    });
    const usage = await open(user, row);
    const unavailable = await usage.findByTestId('usage-unavailable');
    expect(unavailable).toHaveTextContent('Usage not available from this LiteLLM');
    expect(unavailable).toHaveTextContent('LiteLLM answered 404 for /user/daily/activity.');
    expect(usage.queryByRole('img')).not.toBeInTheDocument();
  });

  it.each([
    [502, 'upstream_unavailable', 'LiteLLM is not reachable (connection refused).'],
    [504, 'upstream_timeout', 'LiteLLM did not answer in time.'],
  ])(
    'shows the API error for %i, asks once, and retries on demand',
    async (status, code, message) => {
      const { api, user, row } = await setup();
      api.failNext(USAGE_PATH, { status, code, message });
      const usage = await open(user, row);
      const error = await usage.findByTestId('usage-error');
      expect(error).toHaveAttribute('role', 'alert');
      expect(error).toHaveTextContent(message);
      expect(usageRequests(api)).toHaveLength(1);

      await user.click(within(error).getByRole('button', { name: 'Retry' }));
      expect(await usage.findByTestId('usage-totals')).toHaveTextContent('Spend$0.00');
      expect(usageRequests(api)).toHaveLength(2);
    },
  );

  it('shows a skeleton while the figures load, and keeps them a minute', async () => {
    const { api, user, row } = await setup();
    const release = api.hold(USAGE_PATH);
    let usage = await open(user, row);
    expect(await usage.findByTestId('usage-loading')).toHaveAttribute('aria-busy', 'true');
    release();
    expect(await usage.findByTestId('usage-panel')).toBeInTheDocument();
    expect(usage.queryByTestId('usage-loading')).not.toBeInTheDocument();

    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    usage = await open(user, row);
    expect(await usage.findByTestId('usage-panel')).toBeInTheDocument();
    expect(usageRequests(api)).toHaveLength(1);
  });
});
