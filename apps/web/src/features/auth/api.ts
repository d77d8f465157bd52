import { apiRequest } from '../../api/client';
import type { LoginRequest, LoginResponse, MeResponse } from '../../api/types';

export const ME_QUERY_KEY = ['auth', 'me'] as const;

/** What the app keeps about the signed-in user: never the token itself. */
export type Session = MeResponse;

export async function login(credentials: LoginRequest): Promise<Session> {
  const response = await apiRequest<LoginResponse>('/api/auth/login', {
    method: 'POST',
    body: credentials,
  });
  // The access token is for non-browser clients; the browser session is the HttpOnly cookie,
  // so the token is dropped here and never reaches state, storage or the query cache.
  return { username: response.username, expires_at: response.expires_at };
}

export function logout(): Promise<void> {
  return apiRequest<void>('/api/auth/logout', { method: 'POST' });
}

export function fetchMe(signal?: AbortSignal): Promise<Session> {
  return apiRequest<MeResponse>('/api/auth/me', signal ? { signal } : {});
}
