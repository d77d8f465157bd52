import { Text } from '@mantine/core';
import type { KeyFacets } from '../../api/types';
import { ActiveFilters } from './ActiveFilters';
import { FilterBar } from './FilterBar';
import type { KeyFilters } from './filters';

interface FilterPanelProps {
  id: string;
  collapsed: boolean;
  filters: KeyFilters;
  facets: KeyFacets | undefined;
  countsUnavailable: boolean;
  retryingCounts: boolean;
  /** The mirror is still loading: the counts come once it has every key. */
  countsWaiting: boolean;
  onRetryCounts: () => void;
  onChange: (filters: KeyFilters) => void;
}

/** The filter bar, which folds away; folded, the active filters stay in sight, removable. */
export function FilterPanel({ id, collapsed, countsWaiting, ...bar }: FilterPanelProps) {
  return (
    <>
      {/* Folded, the bar is not rendered at all: its active filters show below instead. */}
      <div id={id} hidden={collapsed}>
        {!collapsed && <FilterBar {...bar} />}
      </div>
      {collapsed && <ActiveFilters filters={bar.filters} onChange={bar.onChange} />}
      {!collapsed && countsWaiting && (
        <Text size="sm" c="dimmed" data-testid="facets-loading">
          Counts appear once all keys are loaded.
        </Text>
      )}
    </>
  );
}
