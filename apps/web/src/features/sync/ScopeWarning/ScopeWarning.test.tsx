import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { KeyScope } from '../../../api/syncTypes';
import { renderWithProviders } from '../../../test-utils/render';
import { SCOPE_DISMISSED_KEY, ScopeWarning } from './ScopeWarning';

const scope = (patch: Partial<KeyScope>): KeyScope => ({
  scope: 'own',
  role: 'internal_user',
  user_id: 'alice',
  visible_keys: 168,
  warning: 'Keydash reads LiteLLM with a key that only sees 168 keys of user alice.',
  ...patch,
});

describe('ScopeWarning', () => {
  it('remembers the dismissal in sessionStorage, for this warning only', async () => {
    const { user, rerender } = renderWithProviders(<ScopeWarning scope={scope({})} />);
    await user.click(screen.getByRole('button', { name: 'Dismiss for this session' }));
    expect(screen.queryByTestId('scope-warning')).not.toBeInTheDocument();
    expect(window.sessionStorage.getItem(SCOPE_DISMISSED_KEY)).toContain('own:');

    // A different warning (say, another user's key after a config change) shows again.
    rerender(<ScopeWarning scope={scope({ warning: 'Only 3 keys of user bob.' })} />);
    expect(screen.getByTestId('scope-warning')).toHaveTextContent('Only 3 keys of user bob.');
  });

  it('is a quieter status note when the scope is unknown, and nothing without a warning', () => {
    const { rerender } = renderWithProviders(
      <ScopeWarning scope={scope({ scope: 'unknown', warning: 'Keydash could not tell.' })} />,
    );
    expect(screen.getByTestId('scope-warning')).toHaveAttribute('role', 'status');
    rerender(<ScopeWarning scope={scope({ scope: 'unknown', warning: null })} />);
    expect(screen.queryByTestId('scope-warning')).not.toBeInTheDocument();
    rerender(<ScopeWarning scope={scope({ scope: 'all', warning: 'ignored' })} />);
    expect(screen.queryByTestId('scope-warning')).not.toBeInTheDocument();
  });
});
