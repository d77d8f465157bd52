import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';

export const SEARCH_DEBOUNCE_MS = 300;

/**
 * The search box's text, committed to the table state once typing pauses. A committed value
 * that changes from elsewhere (Back, a shared link, "Clear search") is copied into the box,
 * but our own commits are not, so a slow commit never overwrites what is still being typed.
 */
export function useSearchInput(committed: string, commit: (value: string) => void) {
  const [value, setValue] = useState(committed);
  const [debounced] = useDebouncedValue(value, SEARCH_DEBOUNCE_MS);
  const lastCommitted = useRef(committed);

  useEffect(() => {
    const next = debounced.trim();
    if (next === lastCommitted.current) return;
    lastCommitted.current = next;
    commit(next);
    // Only a settled value triggers a commit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);

  useEffect(() => {
    if (committed === lastCommitted.current) return;
    lastCommitted.current = committed;
    setValue(committed);
  }, [committed]);

  const clear = () => {
    lastCommitted.current = '';
    setValue('');
    commit('');
  };

  return { value, setValue, clear };
}
