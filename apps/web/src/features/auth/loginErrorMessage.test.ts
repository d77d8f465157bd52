import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { keysErrorMessage } from '../keys/errorMessage';
import { loginErrorMessage } from './loginErrorMessage';

const error = (status: number, code: string, retryAfter: number | null = null) =>
  new ApiError({ status, code, message: `server says ${code}`, retryAfter });

describe('error messages', () => {
  it('explains login failures', () => {
    expect(loginErrorMessage(error(401, 'invalid_credentials'))).toBe(
      'Wrong username or password.',
    );
    expect(loginErrorMessage(error(429, 'too_many_attempts', 1))).toBe(
      'Too many attempts. Try again in 1 second.',
    );
    expect(loginErrorMessage(error(429, 'too_many_attempts'))).toBe(
      'Too many attempts. Try again later.',
    );
    expect(loginErrorMessage(error(503, 'server_unreachable'))).toBe(
      'Keydash server is not reachable.',
    );
    expect(loginErrorMessage(error(504, 'whatever'))).toBe('Keydash server is not reachable.');
    expect(loginErrorMessage(error(0, 'network_error'))).toBe('Keydash server is not reachable.');
    expect(loginErrorMessage(error(403, 'forbidden_origin'))).toBe('server says forbidden_origin');
  });

  it('falls back to the server message for unknown key-list errors', () => {
    expect(keysErrorMessage(error(500, 'internal_error'))).toBe('server says internal_error');
    expect(keysErrorMessage(new Error('boom'))).toBe(
      'Something went wrong while loading the keys.',
    );
  });
});
