// Wording shared by the sync notices: progress, time left, "Updated … ago" and clock times.
import type { SyncProgress } from '../../api/syncTypes';
import { formatCount, formatDateTime } from '../keys/format';

/** "4,200 of 10,000", or "4,200 so far" while LiteLLM has not said how many there are. */
export function formatLoaded({ loaded, total }: SyncProgress): string {
  return total === null
    ? `${formatCount(loaded)} so far`
    : `${formatCount(loaded)} of ${formatCount(total)}`;
}

/** "about 12 s left", "about 3 min left"; null when unknown. */
export function formatEta(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 1) return 'almost done';
  if (seconds < 90) return `about ${Math.round(seconds)} s left`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${Math.round(seconds / 3600)} h left`;
}

/** 0–100 for a determinate bar, or null when the total is unknown. */
export function progressPercent({ loaded, total }: SyncProgress): number | null {
  if (total === null) return null;
  if (total <= 0) return 100;
  return Math.min(100, Math.max(0, Math.round((loaded / total) * 100)));
}

/** "just now", "12 s ago", "4 min ago", "3 h ago", "2 d ago". */
export function formatAgo(date: Date, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - date.getTime()) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

const hourMinute = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Local HH:MM for a time today; with the date for any other day. */
export function formatShortTime(date: Date, now: Date = new Date()): string {
  return date.toDateString() === now.toDateString()
    ? hourMinute.format(date)
    : formatDateTime(date);
}
