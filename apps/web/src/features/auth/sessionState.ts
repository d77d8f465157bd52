/** Router state handed to /login when a session ended under the user. */
export interface LoginLocationState {
  sessionExpired?: boolean;
}

export function isSessionExpiredState(state: unknown): boolean {
  return (
    typeof state === 'object' &&
    state !== null &&
    'sessionExpired' in state &&
    state.sessionExpired === true
  );
}
