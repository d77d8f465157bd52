import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test-utils/render';
import { FacetSelect } from './FacetSelect';

const facet = {
  values: [
    { value: 'prod', count: 3 },
    { value: 'dev', count: 2 },
  ],
  distinct: 5,
};

describe('FacetSelect', () => {
  it('lists the facet values with counts and says when more exist', async () => {
    const onChange = vi.fn();
    const { user } = renderWithProviders(
      <FacetSelect
        name="tag"
        label="Tags"
        noun="tag"
        selected={[]}
        facet={facet}
        maxValues={50}
        onChange={onChange}
      />,
    );
    expect(screen.getByText('The 2 most used of 5')).toBeInTheDocument();
    const input = screen.getByTestId('filter-tag-select');
    expect(input).toHaveAttribute('placeholder', 'Any tag');
    await user.click(input);
    const listbox = await screen.findByRole('listbox');
    expect(
      within(listbox)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['prod3', 'dev2']);
    await user.click(within(listbox).getByRole('option', { name: /prod/ }));
    expect(onChange).toHaveBeenCalledWith(['prod']);
  });

  it('keeps a selected value as an option without counts', () => {
    renderWithProviders(
      <FacetSelect
        name="team"
        label="Teams"
        noun="team"
        selected={['team-a']}
        facet={undefined}
        maxValues={undefined}
        onChange={vi.fn()}
      />,
    );
    expect(screen.getByTestId('filter-team-select')).not.toHaveAttribute('placeholder');
    // The chosen value shows as a pill in the input, though no count lists it.
    expect(document.querySelector('.mantine-Pill-label')).toHaveTextContent('team-a');
  });
});
