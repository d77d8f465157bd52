import { describe, expect, it, vi } from 'vitest';
import { ApiError, apiRequest, buildUrl, parseRetryAfter } from './client';

function stubFetch(response: Response | Error) {
  const fetchMock = vi.fn<typeof fetch>(() =>
    response instanceof Error ? Promise.reject(response) : Promise.resolve(response),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('apiRequest', () => {
  it('sends same-origin credentials and JSON, and never an Authorization header', async () => {
    const fetchMock = stubFetch(new Response(JSON.stringify({ ok: true }), { status: 200 }));
    await expect(apiRequest('/api/x', { method: 'POST', body: { a: 1 } })).resolves.toEqual({
      ok: true,
    });
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('/api/x');
    expect(init?.credentials).toBe('same-origin');
    expect(init?.body).toBe('{"a":1}');
    expect(init?.headers).toMatchObject({ 'Content-Type': 'application/json' });
    expect(JSON.stringify(init?.headers)).not.toMatch(/authorization/i);
  });

  it('returns nothing for 204', async () => {
    stubFetch(new Response(null, { status: 204 }));
    await expect(apiRequest('/api/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
  });

  it('parses the error envelope with status, code, message, request id and Retry-After', async () => {
    stubFetch(
      new Response(
        JSON.stringify({
          error: {
            code: 'invalid_query',
            message: 'size: must be between 1 and 100',
            request_id: 'abc',
            details: [{ field: 'size', message: 'must be between 1 and 100' }],
          },
        }),
        { status: 422, headers: { 'Retry-After': '5' } },
      ),
    );
    const error = await caught(apiRequest('/api/keys'));
    expect(error).toMatchObject({
      status: 422,
      code: 'invalid_query',
      message: 'size: must be between 1 and 100',
      requestId: 'abc',
      retryAfter: 5,
      details: [{ field: 'size', message: 'must be between 1 and 100' }],
    });
  });

  it('treats a proxy 502 page without an envelope as an unreachable server', async () => {
    stubFetch(new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    const error = await caught(apiRequest('/api/keys'));
    expect(error.status).toBe(502);
    expect(error.code).toBe('server_unreachable');
  });

  it('turns a failed fetch into a network error', async () => {
    stubFetch(new TypeError('Failed to fetch'));
    const error = await caught(apiRequest('/api/keys'));
    expect(error.status).toBe(0);
    expect(error.code).toBe('network_error');
  });

  it('reports a 200 that is not JSON', async () => {
    stubFetch(new Response('not json', { status: 200 }));
    expect((await caught(apiRequest('/api/keys'))).code).toBe('bad_response');
  });
});

describe('buildUrl', () => {
  it('drops empty values and encodes the rest', () => {
    expect(buildUrl('/api/keys', { page: 2, search: 'a b', sort_by: undefined, x: '' })).toBe(
      '/api/keys?page=2&search=a+b',
    );
    expect(buildUrl('/api/keys')).toBe('/api/keys');
  });

  it('repeats a parameter for each value of a list, and sends true flags only', () => {
    expect(
      buildUrl('/api/keys', {
        tag: ['prod', 'finance & ops'],
        status: ['expired'],
        model: [],
        never_expires: true,
        all_models: false,
        spend_share_at_least: 0.8,
      }),
    ).toBe(
      '/api/keys?tag=prod&tag=finance+%26+ops&status=expired&never_expires=true&spend_share_at_least=0.8',
    );
    expect(buildUrl('/api/keys', { tag: ['', 'a', null, undefined] })).toBe('/api/keys?tag=a');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    const now = Date.parse('2026-11-23T09:00:00Z');
    expect(parseRetryAfter('Mon, 23 Nov 2026 09:01:00 GMT', now)).toBe(60);
  });
});
