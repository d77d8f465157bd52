import { CLIENT_ERROR_CODES, isApiError } from '../../api/client';

export function loginErrorMessage(error: unknown): string {
  if (!isApiError(error)) return 'Something went wrong. Please try again.';
  if (error.status === 401) return 'Wrong username or password.';
  if (error.status === 429) {
    const seconds = error.retryAfter;
    return seconds === null
      ? 'Too many attempts. Try again later.'
      : `Too many attempts. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`;
  }
  if (
    error.code === CLIENT_ERROR_CODES.network ||
    error.code === CLIENT_ERROR_CODES.unreachable ||
    [502, 503, 504].includes(error.status)
  ) {
    return 'Keydash server is not reachable.';
  }
  return error.message;
}
