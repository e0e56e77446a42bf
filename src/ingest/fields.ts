/** Normalisers for front-matter fields. Each returns the clean value plus warnings that name the field. */
import { DEFAULT_TIME_ZONE, formatInZone, instantOfWallClock } from './timeZone.js';

export interface Normalized<T> {
  value: T;
  warnings: string[];
}

const LOCAL_OR_ISO =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const RFC_2822 =
  /^(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s+(?:GMT|UTC?|[ECMP][SD]T|Z|[+-]\d{4}))?$/i;

/**
 * A front-matter date → `2022-03-01T07:30:00+08:00`: the instant shown in `timeZone` with its offset, or null with a
 * warning. A time without a zone (`2021-10-28 14:08:07`, `2021-10-28`, RFC 2822 without one) is the wall clock of
 * `timeZone` (the site's, as Hexo reads it); a time with a zone (`…Z`, `…+08:00`, `… GMT`) keeps its instant.
 */
export function normalizeDate(raw: unknown, field = 'date', timeZone = DEFAULT_TIME_ZONE): Normalized<string | null> {
  if (raw === undefined || raw === null || raw === '') return { value: null, warnings: [] };
  const invalid = (why: string): Normalized<null> => ({
    value: null,
    warnings: [`${field}：${why} ${JSON.stringify(raw)}，文章没有日期`],
  });
  const valid = (ms: number): Normalized<string> => ({ value: formatInZone(ms, timeZone), warnings: [] });
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? invalid('日期无效') : valid(raw.getTime());
  if (typeof raw !== 'string') return invalid('应为日期字符串，实际是');
  const text = raw.trim();

  const local = LOCAL_OR_ISO.exec(text);
  if (local) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '0', zone] = local;
    const wall = Date.parse(`${y}-${pad(mo!)}-${pad(d!)}T${pad(h)}:${pad(mi)}:${pad(s)}.${fraction.padEnd(3, '0').slice(0, 3)}Z`);
    // Date.parse accepts Feb 30 in some forms; a round trip of the calendar date catches that.
    if (Number.isNaN(wall) || !sameCalendarDay(wall, +y!, +mo!, +d!) || +h > 23) return invalid('日期无效');
    return valid(zone === undefined ? instantOfWallClock(timeZone, wall) : wall - zoneMinutes(zone) * 60_000);
  }
  if (RFC_2822.test(text)) {
    const hasZone = /(?:GMT|UTC?|[ECMP][SD]T|Z|[+-]\d{4})$/i.test(text);
    const time = Date.parse(hasZone ? text : `${text} GMT`);
    if (Number.isNaN(time)) return invalid('日期无效');
    return valid(hasZone ? time : instantOfWallClock(timeZone, time));
  }
  return invalid('无法识别的日期');
}

function pad(part: string): string {
  return part.padStart(2, '0');
}

/** Minutes east of UTC of an ISO zone suffix (`Z`, `+08`, `+0800`, `-05:30`). */
function zoneMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '').padEnd(4, '0');
  return (zone[0] === '-' ? -1 : 1) * (+digits.slice(0, 2) * 60 + +digits.slice(2));
}

function sameCalendarDay(wall: number, year: number, month: number, day: number): boolean {
  const date = new Date(wall);
  return date.getUTCFullYear() === year && date.getUTCMonth() + 1 === month && date.getUTCDate() === day;
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
    if (nested) warnings.push(`${where}：嵌套列表 ${JSON.stringify(item)} 已展开`);
    for (const leaf of nested ? item.flat(Infinity) : [item]) {
      const text = scalarText(leaf);
      if (text === null || text === '') {
        warnings.push(`${where}：${leaf === null ? '空' : '无效'}项 ${JSON.stringify(leaf)} 已忽略`);
      } else if (!value.includes(text)) {
        value.push(text);
      }
    }
  });
  return { value, warnings };
}

/** Joins the levels of a category path (`编程 › 运维 › 笔记`). */
export const CATEGORY_SEPARATOR = ' › ';

/**
 * `categories` (or `category`) as Hexo's Post#setCategories reads it: a list of names is ONE hierarchy
 * (`[编程, 运维, 笔记]`: 笔记 inside 运维 inside 编程); a list holding lists is one hierarchy per item
 * (`[[编程, 运维], [生活]]`). Empty items are dropped, as Hexo drops them; duplicates are dropped.
 */
export function categoryPaths(raw: unknown, field = 'categories'): Normalized<string[][]> {
  if (raw === undefined || raw === null) return { value: [], warnings: [] };
  const warnings: string[] = [];
  const name = (item: unknown, where: string): string[] => {
    const text = scalarText(item);
    if (text) return [text];
    warnings.push(`${where}：${item === null || text === '' ? '空' : '无效'}项 ${JSON.stringify(item)} 已忽略`);
    return [];
  };
  const names = (items: unknown[], where: string): string[] => items.flatMap((item, index) => name(item, `${where}[${index}]`));
  const items = Array.isArray(raw) ? raw : [raw];
  const hierarchies = items.some(Array.isArray)
    ? items.map((item, index) => (Array.isArray(item) ? names(item, `${field}[${index}]`) : name(item, `${field}[${index}]`)))
    : [names(items, field)];
  const value: string[][] = [];
  const seen = new Set<string>();
  for (const hierarchy of hierarchies) {
    const key = hierarchy.join(CATEGORY_SEPARATOR);
    if (hierarchy.length > 0 && !seen.has(key)) {
      seen.add(key);
      value.push(hierarchy);
    }
  }
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
