import { CLIENT_ERROR_CODES, isApiError } from '../../api/client';

const MESSAGES: Record<string, string> = {
  upstream_unavailable: 'LiteLLM is not reachable.',
  upstream_timeout: 'LiteLLM took too long to answer.',
  upstream_auth_failed: "LiteLLM rejected Keydash's API key. Check LITELLM_API_KEY.",
  upstream_bad_response: 'LiteLLM sent an answer Keydash could not read.',
  [CLIENT_ERROR_CODES.network]: 'Keydash server is not reachable.',
  [CLIENT_ERROR_CODES.unreachable]: 'Keydash server is not reachable.',
};

export function keysErrorMessage(error: unknown): string {
  if (!isApiError(error)) return 'Something went wrong while loading the keys.';
  return MESSAGES[error.code] ?? error.message;
}
