import { Button } from '@mantine/core';
import { IconFilter } from '../../components/icons';
import type { Density } from './layoutStorage';

interface ViewTogglesProps {
  /** The filter panel's element id, for aria-controls; absent when there is no panel. */
  filterPanelId: string | undefined;
  filtersCollapsed: boolean;
  activeFilters: number;
  onFiltersCollapsed: (collapsed: boolean) => void;
  density: Density;
  onDensity: (density: Density) => void;
}

/** "Hide filters" / "Show filters" and "Compact rows": more rows on screen, remembered. */
export function ViewToggles({
  filterPanelId,
  filtersCollapsed,
  activeFilters,
  onFiltersCollapsed,
  density,
  onDensity,
}: ViewTogglesProps) {
  const compact = density === 'compact';
  const folded = filtersCollapsed && activeFilters > 0;
  return (
    <>
      {filterPanelId && (
        <Button
          variant="default"
          leftSection={<IconFilter size={16} />}
          aria-expanded={!filtersCollapsed}
          aria-controls={filterPanelId}
          data-testid="toggle-filters"
          // While folded, the button says how many filters still apply.
          aria-label={folded ? `Show filters (${activeFilters} active)` : undefined}
          rightSection={folded ? <span aria-hidden="true">{activeFilters}</span> : undefined}
          onClick={() => onFiltersCollapsed(!filtersCollapsed)}
        >
          {filtersCollapsed ? 'Show filters' : 'Hide filters'}
        </Button>
      )}
      <Button
        variant={compact ? 'light' : 'default'}
        aria-pressed={compact}
        data-testid="toggle-density"
        onClick={() => onDensity(compact ? 'comfortable' : 'compact')}
      >
        Compact rows
      </Button>
    </>
  );
}
