/** Normalisers for front-matter fields. Each returns the clean value plus warnings that name the field. */

export interface Normalized<T> {
  value: T;
  warnings: string[];
}

/**
 * Dates without a time zone (`2021-10-28 14:08:07`, `2021-10-28`, `2021-10-28T14:08:07`) are read as
 * China Standard Time (UTC+08:00): the posts come from Chinese sites and Hexo blogs whose authors write
 * local time. Dates with a zone (RFC 2822 `Wed, 15 Sep 2021 00:00:00 GMT`, ISO `…Z` / `…+08:00`) keep it.
 */
export const DEFAULT_TIME_ZONE_OFFSET = '+08:00';

const LOCAL_OR_ISO =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const RFC_2822 =
  /^(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s+(?:GMT|UTC?|[ECMP][SD]T|Z|[+-]\d{4}))?$/i;

/** `date` → ISO 8601 in UTC (`2021-09-15T00:00:00.000Z`), or null with a warning. */
export function normalizeDate(raw: unknown, field = 'date'): Normalized<string | null> {
  if (raw === undefined || raw === null || raw === '') return { value: null, warnings: [] };
  const invalid = (why: string): Normalized<null> => ({
    value: null,
    warnings: [`${field}: ${why} ${JSON.stringify(raw)}; the article has no date`],
  });
  if (raw instanceof Date) {
    return Number.isNaN(raw.getTime()) ? invalid('invalid date') : { value: raw.toISOString(), warnings: [] };
  }
  if (typeof raw !== 'string') return invalid('expected a date string, found');
  const text = raw.trim();

  const local = LOCAL_OR_ISO.exec(text);
  if (local) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '0', zone] = local;
    const iso = `${y}-${pad(mo!)}-${pad(d!)}T${pad(h)}:${pad(mi)}:${pad(s)}.${fraction.padEnd(3, '0').slice(0, 3)}`;
    const time = Date.parse(iso + zoneOffset(zone));
    // Date.parse accepts Feb 30 and hour 24 in some forms; a round trip of the calendar date catches that.
    if (Number.isNaN(time) || !sameCalendarDay(time, zoneOffset(zone), +y!, +mo!, +d!) || +h > 23) {
      return invalid('invalid date');
    }
    return { value: new Date(time).toISOString(), warnings: [] };
  }
  if (RFC_2822.test(text)) {
    const hasZone = /(?:GMT|UTC?|[ECMP][SD]T|Z|[+-]\d{4})$/i.test(text);
    const time = Date.parse(hasZone ? text : `${text} ${DEFAULT_TIME_ZONE_OFFSET.replace(':', '')}`);
    return Number.isNaN(time) ? invalid('invalid date') : { value: new Date(time).toISOString(), warnings: [] };
  }
  return invalid('unrecognised date');
}

function pad(part: string): string {
  return part.padStart(2, '0');
}

/** ISO zone suffix; zone-less dates get China Standard Time. */
function zoneOffset(zone: string | undefined): string {
  if (zone === undefined) return DEFAULT_TIME_ZONE_OFFSET;
  if (zone.toUpperCase() === 'Z') return 'Z';
  const digits = zone.slice(1).replace(':', '').padEnd(4, '0');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2)}`;
}

function sameCalendarDay(time: number, offset: string, year: number, month: number, day: number): boolean {
  const minutes = offset === 'Z' ? 0 : (offset[0] === '-' ? -1 : 1) * (+offset.slice(1, 3) * 60 + +offset.slice(4));
  const local = new Date(time + minutes * 60_000);
  return local.getUTCFullYear() === year && local.getUTCMonth() + 1 === month && local.getUTCDate() === day;
}

/**
 * `categories` / `tags`: a list or a single string. Items are trimmed; numbers become strings;
 * nested lists are flattened (a stray `-  - news` line parses as a nested list `[news]`);
 * empty, null and mapping items are dropped; duplicates are dropped. Every repair gets a warning.
 */
export function normalizeList(raw: unknown, field: string): Normalized<string[]> {
  if (raw === undefined || raw === null) return { value: [], warnings: [] };
  const items = Array.isArray(raw) ? raw : [raw];
  const value: string[] = [];
  const warnings: string[] = [];
  items.forEach((item, index) => {
    const where = `${field}[${index}]`;
    const nested = Array.isArray(item);
    if (nested) warnings.push(`${where}: nested list ${JSON.stringify(item)} flattened`);
    for (const leaf of nested ? item.flat(Infinity) : [item]) {
      const text = scalarText(leaf);
      if (text === null || text === '') {
        warnings.push(`${where}: ${leaf === null ? 'empty' : 'invalid'} item ${JSON.stringify(leaf)} dropped`);
      } else if (!value.includes(text)) {
        value.push(text);
      }
    }
  });
  return { value, warnings };
}

/** A trimmed string for string, number and boolean values; null for anything else. */
export function scalarText(raw: unknown): string | null {
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (raw instanceof Date && !Number.isNaN(raw.getTime())) return raw.toISOString();
  return null;
}

/** Makes parsed YAML safe for JSON.stringify: Maps/Sets/Dates/non-finite numbers/undefined are converted. */
export function toJsonSafe(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value) || value instanceof Set) return [...value].map(toJsonSafe);
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonSafe(v)]));
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSafe(v)]));
  }
  return String(value);
}
