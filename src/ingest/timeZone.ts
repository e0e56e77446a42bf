/**
 * Wall-clock times in an IANA time zone, with Node's ICU (Intl): the offset of a zone at an instant, the instant of
 * a zone's wall-clock time, and the `2022-03-01T07:30:00+08:00` form articles carry their dates in.
 */

/** Hexo's `timezone` when a site sets none, and the zone of plain corpora: the posts are Chinese. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether Node knows the zone (`Asia/Shanghai`, `UTC`, `Europe/Berlin`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

const DAY_MS = 86_400_000;
/** Per zone, per UTC day: the zone's offset in ms all that day, or NaN for a day with an offset change in it. */
const dayOffsets = new Map<string, Map<number, number>>();

/**
 * The wall clock of `timeZone` at `ms`, as the UTC milliseconds of the same calendar fields. Asking Intl is the
 * costly part of reading a post's dates, and a zone's offset changes a few times a year at most: it is asked at the
 * start and end of each UTC day once, and a day with the same offset at both ends uses it throughout.
 */
export function wallClockMs(timeZone: string, ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  let offsets = dayOffsets.get(timeZone);
  if (offsets === undefined) dayOffsets.set(timeZone, (offsets = new Map()));
  let offset = offsets.get(day);
  if (offset === undefined) {
    const start = day * DAY_MS;
    const end = start + DAY_MS - 1;
    const atStart = askedWallClockMs(timeZone, start) - start;
    offset = askedWallClockMs(timeZone, end) - end === atStart ? atStart : NaN;
    offsets.set(day, offset);
  }
  return Number.isNaN(offset) ? askedWallClockMs(timeZone, ms) : ms + offset;
}

/** wallClockMs from Intl's calendar fields at `ms`. */
function askedWallClockMs(timeZone: string, ms: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  // Years before 1 AD do not occur in posts; Date.UTC maps 0–99 to 1900–1999, so set the year explicitly.
  const wall = new Date(Date.UTC(2000, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!));
  wall.setUTCFullYear(fields.year!);
  return wall.getTime() + (((ms % 1000) + 1000) % 1000);
}

/** Minutes east of UTC of `timeZone` at the instant `ms` (480 for Asia/Shanghai). */
export function zoneOffsetMinutes(timeZone: string, ms: number): number {
  return Math.round((wallClockMs(timeZone, ms) - ms) / 60_000);
}

/**
 * The instant at which `timeZone`'s clock shows `wall` (calendar fields as UTC milliseconds). Two passes settle
 * the offset across a DST change; a wall time skipped by a change maps to the instant after the gap.
 */
export function instantOfWallClock(timeZone: string, wall: number): number {
  let ms = wall - zoneOffsetMinutes(timeZone, wall) * 60_000;
  ms = wall - zoneOffsetMinutes(timeZone, ms) * 60_000;
  return ms;
}

/** `2022-03-01T07:30:00+08:00`: the instant in `timeZone`, seconds precision, with the zone's offset then. */
export function formatInZone(ms: number, timeZone: string): string {
  const offset = zoneOffsetMinutes(timeZone, ms);
  const wall = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The wall-clock part of a date in the `formatInZone` form, as UTC milliseconds of those calendar fields: what
 * day and year filters compare, so they follow the site's calendar. NaN for null or another form.
 */
export function wallClockOf(date: string | null): number {
  if (date === null || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(date)) return NaN;
  return Date.parse(date.slice(0, 19) + 'Z');
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
