import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test-utils/render';
import { ChipGroup } from './ChipGroup';
import { FilterChip } from './FilterChip';

describe('FilterChip', () => {
  it('is a toggle button with its count, inside a group named by its title', async () => {
    const onToggle = vi.fn();
    const { user } = renderWithProviders(
      <ChipGroup label="Access">
        <FilterChip label="No owner" count={1234} pressed testId="chip" onToggle={onToggle} />
      </ChipGroup>,
    );
    const chip = screen.getByRole('button', { name: /No owner/ });
    expect(chip).toHaveTextContent('No owner1,234');
    expect(chip).toHaveAttribute('aria-pressed', 'true');
    expect(chip).toHaveAttribute('data-count', '1234');
    expect(screen.getByRole('group', { name: 'Access' })).toContainElement(chip);
    await user.click(chip);
    expect(onToggle).toHaveBeenCalledOnce();
  });

  it('has no count while the counts are missing', () => {
    renderWithProviders(
      <FilterChip
        label="Active"
        count={undefined}
        pressed={false}
        testId="chip"
        onToggle={vi.fn()}
      />,
    );
    expect(screen.getByTestId('chip')).not.toHaveAttribute('data-count');
    expect(screen.getByTestId('chip')).toHaveAttribute('aria-pressed', 'false');
  });
});
