import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test-utils/render';
import { NO_FILTERS } from '../filters';
import { ActiveFilters } from './ActiveFilters';

describe('ActiveFilters', () => {
  it('removes one value, or clears them all', async () => {
    const filters = { ...NO_FILTERS, tag: ['dev', 'prod'], neverExpires: true };
    const onChange = vi.fn();
    const { user } = renderWithProviders(<ActiveFilters filters={filters} onChange={onChange} />);
    expect(screen.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'Never expires',
      'Tag: dev',
      'Tag: prod',
    ]);
    await user.click(screen.getByRole('button', { name: 'Remove filter Tag: dev' }));
    expect(onChange).toHaveBeenLastCalledWith({ ...filters, tag: ['prod'] });
    await user.click(screen.getByTestId('clear-filters'));
    expect(onChange).toHaveBeenLastCalledWith(NO_FILTERS);
  });

  it('shows nothing without filters', () => {
    renderWithProviders(<ActiveFilters filters={NO_FILTERS} onChange={vi.fn()} />);
    expect(screen.queryByTestId('active-filters')).not.toBeInTheDocument();
  });
});
