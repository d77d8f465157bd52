// Formatting helpers. They use the browser's locale so numbers and dates read naturally.

const numberFormat = new Intl.NumberFormat();
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});
const clockFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatCount(value: number): string {
  return numberFormat.format(value);
}

export function parseDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDate(date: Date): string {
  return dateFormat.format(date);
}

export function formatDateTime(date: Date): string {
  return dateTimeFormat.format(date);
}

/** HH:MM:SS in local time, for "Updated …". */
export function formatClock(date: Date): string {
  return clockFormat.format(date);
}

/** The exact instant, unambiguous for anyone comparing with server logs. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatMoney(value: number): string {
  return money.format(value);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 months ago", "in 2 days": the largest unit that fits, rounded down. */
export function formatRelative(date: Date, now: Date = new Date()): string {
  const seconds = (date.getTime() - now.getTime()) / 1000;
  const magnitude = Math.abs(seconds);
  for (const [unit, size] of UNITS) {
    if (magnitude >= size || unit === 'second') {
      const amount = Math.trunc(seconds / size);
      return relative.format(amount === 0 ? 0 : amount, unit);
    }
  }
  return relative.format(0, 'second');
}

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A calendar day the API sends as YYYY-MM-DD (a UTC day), e.g. "Nov 3, 2026". */
export function formatDay(isoDate: string): string {
  const date = parseDate(`${isoDate}T00:00:00Z`);
  return date ? dayFormat.format(date) : isoDate;
}
