import { type StoredView, parseStoredView } from './tableState';

export const VIEW_STORAGE_KEY = 'keydash.keys.view';

export function readStoredView(): StoredView {
  try {
    const raw = window.localStorage.getItem(VIEW_STORAGE_KEY);
    return parseStoredView(raw ? JSON.parse(raw) : null);
  } catch {
    // Private mode or a hand-edited value: the defaults are a fine fallback.
    return parseStoredView(null);
  }
}

export function writeStoredView(view: StoredView): void {
  try {
    window.localStorage.setItem(VIEW_STORAGE_KEY, JSON.stringify(view));
  } catch {
    // Quota or privacy settings: persistence is a convenience, not a requirement.
  }
}
