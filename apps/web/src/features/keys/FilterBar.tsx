import { Button, Group, MultiSelect, Paper, Stack, Text } from '@mantine/core';
import { type ReactNode, useId } from 'react';
import type { KeyFacets } from '../../api/types';
import { IconCheck, IconX } from '../../components/icons';
import {
  EXPIRY_PRESETS,
  type KeyFilters,
  type ListFilter,
  NO_FILTERS,
  SPEND_PRESETS,
  STATUSES,
  STATUS_LABELS,
  describeFilters,
} from './filters';
import { formatCount } from './format';
import classes from './KeyHygiene.module.css';

// Test ids (stable, for the browser journeys):
//   filter-bar                                the whole bar
//   filter-chip-status-{active|expired|blocked}
//   filter-chip-expires-{7|30|90}, filter-chip-never-expires
//   filter-chip-all-models, filter-chip-owner-missing
//   filter-chip-spend-{80|100}                spend >= 80% of budget, budget used up
//   filter-{tag|model|team|owner}-select      the multi-selects' inputs
//   active-filters, active-filter-<id>        the removable list (ids from describeFilters)
//   clear-filters, facets-unavailable
// Toggle chips are buttons with aria-pressed; each carries its count in data-count (absent
// while the counts are loading or unavailable).

interface FilterBarProps {
  filters: KeyFilters;
  facets: KeyFacets | undefined;
  /** The facets request failed: the chips still filter, without counts. */
  countsUnavailable: boolean;
  retryingCounts: boolean;
  onRetryCounts: () => void;
  onChange: (filters: KeyFilters) => void;
}

function FilterChip({
  label,
  count,
  pressed,
  onToggle,
  testId,
}: {
  label: string;
  count: number | undefined;
  pressed: boolean;
  onToggle: () => void;
  testId: string;
}) {
  return (
    <Button
      size="xs"
      radius="xl"
      variant={pressed ? 'light' : 'default'}
      className={classes.chip}
      aria-pressed={pressed}
      data-testid={testId}
      data-count={count}
      leftSection={pressed ? <IconCheck size={12} /> : undefined}
      onClick={onToggle}
    >
      {label}
      {count !== undefined && <span className={classes.count}>{formatCount(count)}</span>}
    </Button>
  );
}

function ChipGroup({ label, children }: { label: string; children: ReactNode }) {
  const id = useId();
  return (
    <Group gap={6} wrap="wrap" role="group" aria-labelledby={id}>
      <Text id={id} size="xs" fw={700} c="dimmed" tt="uppercase" mr={2}>
        {label}
      </Text>
      {children}
    </Group>
  );
}

type ValueFacet = 'tags' | 'models' | 'teams' | 'owners';

const SELECTS: { name: ListFilter; label: string; noun: string; facet: ValueFacet }[] = [
  { name: 'tag', label: 'Tags', noun: 'tag', facet: 'tags' },
  { name: 'model', label: 'Models', noun: 'model', facet: 'models' },
  { name: 'team', label: 'Teams', noun: 'team', facet: 'teams' },
  { name: 'owner', label: 'Owners', noun: 'owner', facet: 'owners' },
];

function FacetSelect({
  label,
  noun,
  name,
  selected,
  facet,
  onChange,
}: {
  label: string;
  noun: string;
  name: ListFilter;
  selected: string[];
  facet: KeyFacets['tags'] | undefined;
  onChange: (values: string[]) => void;
}) {
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
      maxValues={50}
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

export function FilterBar({
  filters,
  facets,
  countsUnavailable,
  retryingCounts,
  onRetryCounts,
  onChange,
}: FilterBarProps) {
  const set = (patch: Partial<KeyFilters>) => onChange({ ...filters, ...patch });
  const active = describeFilters(filters);
  const activeId = useId();
  const expiring = (days: number) =>
    facets?.expires_within_days.find((item) => item.days === days)?.count;
  const spending = (share: number) =>
    facets?.spend_share_at_least.find((item) => item.share === share)?.count;

  return (
    <Paper
      component="section"
      aria-label="Filters"
      withBorder
      radius="md"
      p="sm"
      data-testid="filter-bar"
    >
      <Stack gap="sm">
        <Group gap="lg" wrap="wrap" style={{ rowGap: 'var(--mantine-spacing-xs)' }}>
          <ChipGroup label="Status">
            {STATUSES.map((status) => {
              const pressed = filters.status.includes(status);
              return (
                <FilterChip
                  key={status}
                  label={STATUS_LABELS[status]}
                  count={facets?.status[status]}
                  pressed={pressed}
                  testId={`filter-chip-status-${status}`}
                  onToggle={() =>
                    set({
                      status: pressed
                        ? filters.status.filter((s) => s !== status)
                        : [...filters.status, status],
                    })
                  }
                />
              );
            })}
          </ChipGroup>
          <ChipGroup label="Expires within">
            {EXPIRY_PRESETS.map((days) => {
              const pressed = filters.expiresWithinDays === days;
              return (
                <FilterChip
                  key={days}
                  label={`${days} days`}
                  count={expiring(days)}
                  pressed={pressed}
                  testId={`filter-chip-expires-${days}`}
                  onToggle={() => set({ expiresWithinDays: pressed ? null : days })}
                />
              );
            })}
            <FilterChip
              label="Never expires"
              count={facets?.never_expires}
              pressed={filters.neverExpires}
              testId="filter-chip-never-expires"
              onToggle={() => set({ neverExpires: !filters.neverExpires })}
            />
          </ChipGroup>
          <ChipGroup label="Access">
            <FilterChip
              label="All-model keys"
              count={facets?.all_models}
              pressed={filters.allModels}
              testId="filter-chip-all-models"
              onToggle={() => set({ allModels: !filters.allModels })}
            />
            <FilterChip
              label="No owner"
              count={facets?.owner_missing}
              pressed={filters.ownerMissing}
              testId="filter-chip-owner-missing"
              onToggle={() => set({ ownerMissing: !filters.ownerMissing })}
            />
          </ChipGroup>
          <ChipGroup label="Budget">
            {SPEND_PRESETS.map((share) => {
              const pressed = filters.spendShareAtLeast === share;
              return (
                <FilterChip
                  key={share}
                  label={share === 1 ? 'Budget used up' : `Spend ≥ ${Math.round(share * 100)}%`}
                  count={spending(share)}
                  pressed={pressed}
                  testId={`filter-chip-spend-${Math.round(share * 100)}`}
                  onToggle={() => set({ spendShareAtLeast: pressed ? null : share })}
                />
              );
            })}
          </ChipGroup>
        </Group>
        <Group gap="sm" align="flex-start" wrap="wrap">
          {SELECTS.map(({ name, label, noun, facet }) => (
            <FacetSelect
              key={name}
              name={name}
              label={label}
              noun={noun}
              selected={filters[name]}
              facet={facets?.[facet]}
              onChange={(values) => set({ [name]: values })}
            />
          ))}
        </Group>
        {countsUnavailable && (
          <Group gap="xs" data-testid="facets-unavailable" role="status">
            <Text size="sm" c="dimmed">
              Counts are unavailable right now; the filters still work.
            </Text>
            <Button
              variant="subtle"
              size="compact-sm"
              loading={retryingCounts}
              onClick={onRetryCounts}
            >
              Retry counts
            </Button>
          </Group>
        )}
        {active.length > 0 && (
          <Group gap={6} wrap="wrap" data-testid="active-filters">
            <Text id={activeId} size="sm" fw={600}>
              Active filters
            </Text>
            <Group
              gap={6}
              wrap="wrap"
              component="ul"
              aria-labelledby={activeId}
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
        )}
      </Stack>
    </Paper>
  );
}
