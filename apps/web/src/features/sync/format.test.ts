import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { formatAgo, formatEta, formatLoaded, progressPercent } from './format';
import { isMirrorLoading, mirrorPollDelay, mirrorProgress } from './mirrorLoading';
import { staleSentence } from './StaleWarning/StaleWarning';
import { loadingSentence } from './SyncProgress/SyncProgressPanel';

const now = new Date('2026-11-23T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

function loadingError(retryAfter: number | null, progress: unknown = undefined) {
  return new ApiError({
    status: 503,
    code: 'mirror_loading',
    message: 'Keydash is still loading keys from LiteLLM.',
    retryAfter,
    body: progress === undefined ? {} : { progress },
  });
}

describe('sync wording', () => {
  it('says how long ago, coarsely', () => {
    expect(formatAgo(ago(2), now)).toBe('just now');
    expect(formatAgo(ago(12), now)).toBe('12 s ago');
    expect(formatAgo(ago(9 * 60 + 5), now)).toBe('9 min ago');
    expect(formatAgo(ago(3 * 3600), now)).toBe('3 h ago');
    expect(formatAgo(ago(2 * 86_400), now)).toBe('2 d ago');
    // A clock slightly behind the server's never says "in 3 s".
    expect(formatAgo(ago(-3), now)).toBe('just now');
  });

  it('counts progress and the time left', () => {
    expect(formatLoaded({ loaded: 4200, total: 10000, eta_seconds: null })).toBe('4,200 of 10,000');
    expect(formatLoaded({ loaded: 4200, total: null, eta_seconds: null })).toBe('4,200 so far');
    expect(formatEta(12)).toBe('about 12 s left');
    expect(formatEta(300)).toBe('about 5 min left');
    expect(formatEta(null)).toBeNull();
    expect(progressPercent({ loaded: 4200, total: 10000, eta_seconds: null })).toBe(42);
    expect(progressPercent({ loaded: 5, total: 0, eta_seconds: null })).toBe(100);
    expect(progressPercent({ loaded: 5, total: null, eta_seconds: null })).toBeNull();
    expect(loadingSentence({ loaded: 4200, total: 10000, eta_seconds: 12 })).toBe(
      'Loading keys from LiteLLM: 4,200 of 10,000 (about 12 s left)',
    );
    expect(loadingSentence(null)).toBe('Loading keys from LiteLLM…');
  });

  it('explains staleness even without an error time or an as-of', () => {
    const hm = new Intl.DateTimeFormat(undefined, {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    expect(
      staleSentence(
        { as_of: '2026-11-23T11:59:00Z', stale: true, last_error: null, source: 'mirror' },
        now,
      ),
    ).toBe(
      `LiteLLM has not answered the last refresh; showing keys as of ${hm.format(new Date('2026-11-23T11:59:00Z'))}.`,
    );
    expect(
      staleSentence({ as_of: null, stale: true, last_error: null, source: 'mirror' }, now),
    ).toBe('LiteLLM has not answered the last refresh; showing the keys read before.');
  });
});

describe('mirror_loading answers', () => {
  it('are recognised by status and code, with their progress', () => {
    const error = loadingError(3, { loaded: 4200, total: 10000, eta_seconds: 12 });
    expect(isMirrorLoading(error)).toBe(true);
    expect(mirrorProgress(error)).toEqual({ loaded: 4200, total: 10000, eta_seconds: 12 });
    expect(mirrorProgress(loadingError(3, { loaded: 'many' }))).toBeNull();
    expect(mirrorProgress(loadingError(3, { loaded: 7, total: -1 }))).toEqual({
      loaded: 7,
      total: null,
      eta_seconds: null,
    });
    const other = new ApiError({ status: 502, code: 'upstream_error', message: 'x' });
    expect(isMirrorLoading(other)).toBe(false);
    expect(isMirrorLoading(new Error('mirror_loading'))).toBe(false);
  });

  it('are asked again every 2 s, or per Retry-After within 1–10 s', () => {
    expect(mirrorPollDelay(loadingError(null))).toBe(2000);
    expect(mirrorPollDelay(loadingError(4))).toBe(4000);
    expect(mirrorPollDelay(loadingError(0))).toBe(1000);
    expect(mirrorPollDelay(loadingError(120))).toBe(10_000);
  });
});
