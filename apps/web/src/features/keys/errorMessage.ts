import { CLIENT_ERROR_CODES, isApiError } from '../../api/client';

/**
 * Said when an answer carries no message of its own. The backend's messages name the cause
 * ("LiteLLM is not reachable (connection refused).", "LiteLLM answered with an error (HTTP
 * 500: …)."), so they are shown as sent; these cover an empty one, and the failures the
 * client itself detects (no envelope at all).
 */
const FALLBACK: Record<string, string> = {
  upstream_unavailable: 'LiteLLM is not reachable.',
  upstream_timeout: 'LiteLLM did not answer in time.',
  upstream_error: 'LiteLLM answered with an error.',
  upstream_auth_failed: "LiteLLM rejected Keydash's API key. Check LITELLM_API_KEY.",
  upstream_bad_response: 'LiteLLM sent an answer Keydash could not read.',
};

const CLIENT_MESSAGES: Record<string, string> = {
  [CLIENT_ERROR_CODES.network]: 'Keydash server is not reachable.',
  [CLIENT_ERROR_CODES.unreachable]: 'Keydash server is not reachable.',
};

export function keysErrorMessage(error: unknown): string {
  if (!isApiError(error)) return 'Something went wrong while loading the keys.';
  const client = CLIENT_MESSAGES[error.code];
  if (client) return client;
  const message = error.message.trim();
  return message || (FALLBACK[error.code] ?? 'Something went wrong while loading the keys.');
}
