// The answers' envelope: JSON with a request id, and the API's error shape (docs/api.md).

let requestSeq = 0;

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  requestSeq += 1;
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/json',
      'X-Request-ID': `req-${requestSeq}`,
      ...headers,
    },
  });
}

/** The id the next answer will carry, for error bodies that repeat it. */
export function nextRequestId(): string {
  return `req-${requestSeq + 1}`;
}

export function error(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): Response {
  return json(status, { error: { code, message, request_id: nextRequestId() } }, headers);
}

/** 422 invalid_query naming the field, as the API answers a parameter it refuses. */
export function invalid(field: string, message: string): Response {
  return json(422, {
    error: {
      code: 'invalid_query',
      message: `${field}: ${message}`,
      request_id: 'req-x',
      details: [{ field, message }],
    },
  });
}

export class InvalidFilter extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Runs `read`, answering 422 for the parameter it refuses. */
export function readOr422<T>(read: () => T): T | Response {
  try {
    return read();
  } catch (cause) {
    if (cause instanceof InvalidFilter) return invalid(cause.field, cause.message);
    throw cause;
  }
}
