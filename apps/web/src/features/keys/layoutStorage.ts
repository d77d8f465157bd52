// How the page is laid out, apart from the view: row density and whether the filter panel is
// folded away. Remembered in localStorage like the view (viewStorage.ts), read defensively.
import { useCallback, useState } from 'react';

export const LAYOUT_STORAGE_KEY = 'keydash.keys.layout';

export type Density = 'comfortable' | 'compact';

export interface StoredLayout {
  density: Density;
  filtersCollapsed: boolean;
}

export const DEFAULT_LAYOUT: StoredLayout = { density: 'comfortable', filtersCollapsed: false };

export function parseStoredLayout(raw: unknown): StoredLayout {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return {
    density: value.density === 'compact' ? 'compact' : DEFAULT_LAYOUT.density,
    filtersCollapsed: value.filtersCollapsed === true,
  };
}

export function readStoredLayout(): StoredLayout {
  try {
    const raw = window.localStorage.getItem(LAYOUT_STORAGE_KEY);
    return parseStoredLayout(raw ? JSON.parse(raw) : null);
  } catch {
    // Private mode or a hand-edited value: the defaults are a fine fallback.
    return DEFAULT_LAYOUT;
  }
}

export function writeStoredLayout(layout: StoredLayout): void {
  try {
    window.localStorage.setItem(LAYOUT_STORAGE_KEY, JSON.stringify(layout));
  } catch {
    // Quota or privacy settings: persistence is a convenience, not a requirement.
  }
}

/** The layout, read once on mount and saved on every change. */
export function useLayout() {
  const [layout, setLayout] = useState(readStoredLayout);
  const update = useCallback((patch: Partial<StoredLayout>) => {
    setLayout((current) => {
      const next = { ...current, ...patch };
      writeStoredLayout(next);
      return next;
    });
  }, []);
  return {
    layout,
    setDensity: useCallback((density: Density) => update({ density }), [update]),
    setFiltersCollapsed: useCallback(
      (filtersCollapsed: boolean) => update({ filtersCollapsed }),
      [update],
    ),
  };
}
