import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';

// The first test of a file also pays for transforming the lazily loaded page modules.
configure({ asyncUtilTimeout: 4000 });

/** Media queries the current test wants to match (besides the empty query). */
export const mediaState = { reducedMotion: false };

function matches(query: string): boolean {
  // mantine-datatable hides every column whose visibleMediaQuery does not match, and asks
  // with an empty query for columns that have none.
  if (query.trim() === '') return true;
  if (query.includes('prefers-reduced-motion')) return mediaState.reducedMotion;
  return false;
}

Object.defineProperty(window, 'matchMedia', {
  writable: true,
  configurable: true,
  value: (query: string): MediaQueryList => ({
    matches: matches(query),
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
window.ResizeObserver = ResizeObserverStub;

// jsdom does no layout; mantine-datatable scrolls its viewport back to the top on page change.
window.HTMLElement.prototype.scrollIntoView = function scrollIntoView() {};
window.HTMLElement.prototype.scrollTo = function scrollTo() {};
window.scrollTo = () => {};

beforeEach(() => {
  window.localStorage.clear();
  window.sessionStorage.clear();
  mediaState.reducedMotion = false;
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
