import { screen } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../../test-utils/render';
import { SyncBanner } from './SyncBanner';
import { SyncProgressPanel } from './SyncProgressPanel';

describe('sync progress', () => {
  it('is determinate with a total and says the counts to assistive tech', () => {
    renderWithProviders(
      <SyncProgressPanel progress={{ loaded: 4200, total: 10000, eta_seconds: null }} />,
    );
    const bar = screen.getByRole('progressbar', { name: 'Keys loaded from LiteLLM' });
    expect(bar).toHaveAttribute('aria-valuenow', '42');
    expect(bar).toHaveAttribute('aria-valuetext', '4,200 of 10,000 keys (42%)');
    expect(screen.getByTestId('sync-progress-text')).toHaveTextContent(
      'Loading keys from LiteLLM: 4,200 of 10,000',
    );
  });

  it('is indeterminate while the total is unknown', () => {
    renderWithProviders(<SyncBanner progress={{ loaded: 300, total: null, eta_seconds: null }} />);
    const bar = screen.getByRole('progressbar', { name: 'Keys loaded from LiteLLM' });
    expect(bar).not.toHaveAttribute('aria-valuenow');
    expect(screen.getByTestId('sync-progress')).toHaveTextContent('(300 so far)');
  });

  it('has no axe violations (contrast is checked in the browser)', async () => {
    const progress = { loaded: 4200, total: 10000, eta_seconds: 12 };
    const { container } = renderWithProviders(
      <>
        <SyncProgressPanel progress={progress} />
        <SyncBanner progress={{ ...progress, total: null }} />
      </>,
    );
    const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
    expect(result.violations.map((violation) => violation.id)).toEqual([]);
  });
});
