export const DEFAULT_AFTER_LOGIN = '/keys';

/**
 * Only same-origin relative paths are allowed as a post-login target, so a crafted
 * `/login?next=https://evil.example` link cannot bounce a user off-site.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return DEFAULT_AFTER_LOGIN;
  }
  try {
    const base = 'http://keydash.invalid';
    const url = new URL(next, base);
    if (url.origin !== base || url.pathname === '/login') return DEFAULT_AFTER_LOGIN;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return DEFAULT_AFTER_LOGIN;
  }
}

export function loginPathFor(wanted: string): string {
  return `/login?${new URLSearchParams({ next: wanted }).toString()}`;
}
