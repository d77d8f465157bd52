import { useLocalStorage } from '@mantine/hooks';
import { useCallback } from 'react';
import { COLUMNS, type ColumnVisibility, defaultVisibility, isVisible } from './columns';

// Why not mantine-datatable's own `useDataTableColumns({ key })` (checked against 9.4): it keeps
// the toggles under `${key}-columns-toggle` as an array of { accessor, defaultToggle,
// toggleable, toggled } (next to `-columns-order`, `-columns-pinning` and `-columns-width`), and
// its reset writes the default array back. The requirement it misses is our stored value:
// `keydash.keys.columns`, one map of accessor -> visible (a partial map reads fine), removed
// again by "Reset columns": what browsers already hold, and what the column tests read. Its
// only toggle UI is a right-click popover on the header, so the Columns menu (which never lets
// the last column go) would stay ours anyway. See apps/web/README.md, "Column visibility".
export const COLUMNS_STORAGE_KEY = 'keydash.keys.columns';

function sanitize(value: unknown): ColumnVisibility {
  const known = defaultVisibility();
  if (typeof value !== 'object' || value === null) return known;
  for (const [accessor, visible] of Object.entries(value)) {
    if (accessor in known && typeof visible === 'boolean') known[accessor] = visible;
  }
  return known;
}

export function useColumnVisibility() {
  const [stored, setStored, removeStored] = useLocalStorage<ColumnVisibility>({
    key: COLUMNS_STORAGE_KEY,
    defaultValue: defaultVisibility(),
    // Read synchronously: there is no server render, and it avoids a flash of default columns.
    getInitialValueInEffect: false,
  });
  const visibility = sanitize(stored);

  const setVisible = useCallback(
    (accessor: string, visible: boolean) => {
      setStored((current) => ({ ...sanitize(current), [accessor]: visible }));
    },
    [setStored],
  );

  const visibleCount = COLUMNS.filter((column) => isVisible(visibility, column)).length;

  return { visibility, setVisible, reset: removeStored, visibleCount };
}
