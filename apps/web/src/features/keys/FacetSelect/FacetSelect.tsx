import { Group, MultiSelect } from '@mantine/core';
import type { KeyFacets } from '../../../api/types';
import { formatCount } from '../format';
import classes from '../KeyHygiene.module.css';

interface FacetSelectProps {
  /** The filter's URL name: test id `filter-<name>-select`. */
  name: string;
  label: string;
  noun: string;
  selected: string[];
  /** The facet's most used values with their counts; absent while loading or unavailable. */
  facet: KeyFacets['tags'] | undefined;
  /** The API's most values for the filter. */
  maxValues: number | undefined;
  onChange: (values: string[]) => void;
}

/** A searchable multi-select of a facet's values, each option with its count. */
export function FacetSelect({
  name,
  label,
  noun,
  selected,
  facet,
  maxValues,
  onChange,
}: FacetSelectProps) {
  const counts = new Map(facet?.values.map((item) => [item.value, item.count]));
  // Selected values stay options even when the counts are missing, or the pills would vanish.
  const options = [...new Set([...(facet?.values.map((item) => item.value) ?? []), ...selected])];
  const listed = facet?.values.length ?? 0;
  return (
    <MultiSelect
      label={label}
      size="sm"
      w={{ base: 'calc(50% - var(--mantine-spacing-sm) / 2)', sm: 220 }}
      data={options}
      value={selected}
      onChange={onChange}
      searchable
      clearable
      maxValues={maxValues}
      placeholder={selected.length ? undefined : `Any ${noun}`}
      nothingFoundMessage={`No ${noun} in this view`}
      description={
        facet && facet.distinct > listed
          ? `The ${formatCount(listed)} most used of ${formatCount(facet.distinct)}`
          : undefined
      }
      clearButtonProps={{ 'aria-label': `Clear ${label.toLowerCase()}` }}
      comboboxProps={{ shadow: 'md' }}
      data-testid={`filter-${name}-select`}
      renderOption={({ option }) => {
        const count = counts.get(option.value);
        return (
          <Group justify="space-between" wrap="nowrap" gap="xs" w="100%">
            <span>{option.label}</span>
            {count !== undefined && <span className={classes.count}>{formatCount(count)}</span>}
          </Group>
        );
      }}
    />
  );
}
