import { useLocalStorage } from '@mantine/hooks';
import { useCallback } from 'react';
import { COLUMNS, type ColumnVisibility, defaultVisibility, isVisible } from './columns';

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
