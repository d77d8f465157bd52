import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import type { KeyFacets } from '../../../api/types';
import { ActiveFilters } from '../ActiveFilters';
import { FacetSelect } from '../FacetSelect';
import { ChipGroup, FilterChip } from '../FilterChip';
import {
  type ChipsUi,
  FILTER_LIST,
  type FilterDecl,
  type FilterKey,
  type KeyFilters,
} from '../filters';

// Test ids (stable, for the browser journeys):
//   filter-bar                                the whole bar
//   filter-chip-status-{active|expired|blocked}
//   filter-chip-expires-{days}, filter-chip-never-expires   days: the facets answer's presets
//   filter-chip-all-models, filter-chip-owner-missing
//   filter-chip-spend-{percent}               e.g. spend-80; spend-100 is "Budget used up"
//   filter-chip-unused-{days}                 days: the facets answer's presets (30, 90)
//   filter-chip-{never-used|last-use-unknown|zombie|rotation-overdue|no-rotation-policy|
//                budget-at-risk}
//   filter-{tag|model|team|owner}-select      the multi-selects' inputs
//   active-filters, active-filter-<id>        the removable list (ids from describeFilters)
//   clear-filters, facets-unavailable
// Toggle chips are buttons with aria-pressed; each carries its count in data-count (absent
// while the counts are loading or unavailable). Every chip and select comes from one filter
// declaration (../filters/declarations.ts); the preset chips (days, spend) are the ones the
// facets answer counts, so they appear with the counts.

interface FilterBarProps {
  filters: KeyFilters;
  facets: KeyFacets | undefined;
  /** The facets request failed: the chips still filter, without counts. */
  countsUnavailable: boolean;
  retryingCounts: boolean;
  onRetryCounts: () => void;
  onChange: (filters: KeyFilters) => void;
}

type ChipFilter = FilterDecl<FilterKey> & { ui: ChipsUi<unknown> };

/** The chip filters by group, groups in the order of their first filter. */
function chipGroups(): [string, ChipFilter[]][] {
  const groups = new Map<string, ChipFilter[]>();
  for (const d of FILTER_LIST) {
    if (d.ui.type !== 'chips') continue;
    const group = groups.get(d.ui.group) ?? [];
    group.push({ ...d, ui: d.ui });
    groups.set(d.ui.group, group);
  }
  return [...groups];
}

const CHIP_GROUPS = chipGroups();

export function FilterBar({
  filters,
  facets,
  countsUnavailable,
  retryingCounts,
  onRetryCounts,
  onChange,
}: FilterBarProps) {
  const set = (key: FilterKey, value: unknown) => onChange({ ...filters, [key]: value });

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
          {CHIP_GROUPS.map(([group, decls]) => {
            const chips = decls.flatMap((d) =>
              d.ui.chips(filters[d.key], facets).map((chip) => ({ ...chip, key: d.key })),
            );
            if (chips.length === 0) return null;
            return (
              <ChipGroup key={group} label={group}>
                {chips.map((chip) => (
                  <FilterChip
                    key={chip.id}
                    label={chip.label}
                    count={chip.count}
                    pressed={chip.pressed}
                    testId={`filter-chip-${chip.id}`}
                    onToggle={() => set(chip.key, chip.next)}
                  />
                ))}
              </ChipGroup>
            );
          })}
        </Group>
        <Group gap="sm" align="flex-start" wrap="wrap">
          {FILTER_LIST.map((d) => {
            const ui = d.ui;
            if (ui.type !== 'select') return null;
            return (
              <FacetSelect
                key={d.key}
                name={d.param}
                label={ui.label}
                noun={ui.noun}
                selected={ui.selected(filters[d.key])}
                facet={facets?.[ui.facet]}
                maxValues={ui.maxValues}
                onChange={(values) => set(d.key, ui.choose(values))}
              />
            );
          })}
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
        <ActiveFilters filters={filters} onChange={onChange} />
      </Stack>
    </Paper>
  );
}
