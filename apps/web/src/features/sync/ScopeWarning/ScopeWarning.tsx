import { Alert } from '@mantine/core';
import { useState } from 'react';
import type { KeyScope } from '../../../api/syncTypes';
import { IconAlert } from '../../../components/icons';

export const SCOPE_DISMISSED_KEY = 'keydash.scopeWarning.dismissed';

/** A dismissal holds for this warning, in this tab, until the browser session ends. */
function dismissalId(scope: KeyScope): string {
  return `${scope.scope}:${scope.warning ?? ''}`;
}

function readDismissed(): string | null {
  try {
    return window.sessionStorage.getItem(SCOPE_DISMISSED_KEY);
  } catch {
    return null;
  }
}

function writeDismissed(id: string): void {
  try {
    window.sessionStorage.setItem(SCOPE_DISMISSED_KEY, id);
  } catch {
    // Storage refused (private mode, quota): the banner still hides until the next load.
  }
}

/**
 * Keydash reads LiteLLM with a key that sees only some keys ("own"): every number on the page
 * is about those keys only, which an admin must know before trusting them. Prominent for
 * "own", quieter for "unknown" (when the backend has something to say); nothing for "all".
 */
export function ScopeWarning({ scope }: { scope: KeyScope | undefined }) {
  const [dismissed, setDismissed] = useState(readDismissed);
  if (!scope || scope.scope === 'all' || !scope.warning) return null;
  const id = dismissalId(scope);
  if (dismissed === id) return null;
  const own = scope.scope === 'own';
  return (
    <Alert
      color={own ? 'orange' : 'yellow'}
      variant="light"
      role={own ? 'alert' : 'status'}
      icon={<IconAlert size={20} />}
      title={own ? "Keydash sees only some of LiteLLM's keys" : undefined}
      withCloseButton
      closeButtonLabel="Dismiss for this session"
      onClose={() => {
        writeDismissed(id);
        setDismissed(id);
      }}
      data-testid="scope-warning"
      data-scope={scope.scope}
      style={own ? { borderLeft: '4px solid var(--mantine-color-orange-8)' } : undefined}
    >
      {scope.warning}
    </Alert>
  );
}
