import { describe, expect, it } from 'vitest';
import { formatRelative, formatUtc, parseDate } from './format';

const now = new Date('2026-11-23T09:00:00Z');

describe('formatRelative', () => {
  it.each([
    ['2026-08-20T09:00:00Z', '3 months ago'],
    ['2025-10-01T09:00:00Z', 'last year'],
    ['2026-11-22T09:00:00Z', 'yesterday'],
    ['2026-11-23T08:59:30Z', '30 seconds ago'],
    ['2026-11-23T09:00:00Z', 'now'],
    ['2026-12-03T09:00:00Z', 'next week'],
  ])('%s is %s', (iso, expected) => {
    expect(formatRelative(new Date(iso), now)).toBe(expected);
  });
});

describe('dates', () => {
  it('gives the exact UTC instant and ignores unreadable values', () => {
    expect(formatUtc(new Date('2026-09-14T08:21:45.061Z'))).toBe('2026-09-14 08:21:45 UTC');
    expect(parseDate(null)).toBeNull();
    expect(parseDate('not a date')).toBeNull();
  });
});
