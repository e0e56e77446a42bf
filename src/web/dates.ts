/**
 * Dates as the articles' readers expect them: in the articles' own time zone, never the browser's.
 * The API gives either a local time with its offset (`2022-03-01T07:30:00+08:00`: shown as written) or
 * a UTC instant (`2021-05-18T16:15:00.000Z`: shown in China Standard Time, the corpus default).
 */

/** Offset of the articles' zone when the API gives UTC instants (Asia/Shanghai has no DST). */
const DEFAULT_OFFSET_MINUTES = 8 * 60;

export interface LocalDateTime {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM */
  time: string;
}

/** The date and time as written in the article's zone, or null for a string that is no date. */
export function localDateTime(value: string): LocalDateTime | null {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!match) return null;
  const [, date, time = '00:00', zone] = match;
  if (zone !== 'Z') return { date: date!, time };
  const shifted = new Date(Date.parse(`${date}T${time}:00Z`) + DEFAULT_OFFSET_MINUTES * 60_000).toISOString();
  return { date: shifted.slice(0, 10), time: shifted.slice(11, 16) };
}

/** YYYY-MM-DD of an API date for display ('' when absent or unreadable). */
export function displayDate(value: string | null): string {
  return value ? (localDateTime(value)?.date ?? '') : '';
}

/** Today's date in the articles' zone, YYYY-MM-DD. */
export function today(now = Date.now()): string {
  return new Date(now + DEFAULT_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}
