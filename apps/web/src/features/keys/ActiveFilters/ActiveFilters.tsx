import { Button, Group, Text } from '@mantine/core';
import { useId } from 'react';
import { IconX } from '../../../components/icons';
import { type KeyFilters, NO_FILTERS, describeFilters } from '../filters';

interface ActiveFiltersProps {
  filters: KeyFilters;
  onChange: (filters: KeyFilters) => void;
}

/** Every active filter value as a removable pill (ids from describeFilters), and "Clear". */
export function ActiveFilters({ filters, onChange }: ActiveFiltersProps) {
  const active = describeFilters(filters);
  const id = useId();
  if (active.length === 0) return null;
  return (
    <Group gap={6} wrap="wrap" data-testid="active-filters">
      <Text id={id} size="sm" fw={600}>
        Active filters
      </Text>
      <Group
        gap={6}
        wrap="wrap"
        component="ul"
        aria-labelledby={id}
        m={0}
        p={0}
        style={{ listStyle: 'none' }}
      >
        {active.map((filter) => (
          <li key={filter.id}>
            <Button
              size="compact-sm"
              radius="xl"
              variant="light"
              rightSection={<IconX size={12} />}
              aria-label={`Remove filter ${filter.label}`}
              data-testid={`active-filter-${filter.id}`}
              onClick={() => onChange(filter.without)}
            >
              {filter.label}
            </Button>
          </li>
        ))}
      </Group>
      <Button
        variant="subtle"
        size="compact-sm"
        data-testid="clear-filters"
        onClick={() => onChange(NO_FILTERS)}
      >
        Clear filters
      </Button>
    </Group>
  );
}
