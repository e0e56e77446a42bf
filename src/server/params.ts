/** Validation of query-string parameters: every rejection names the parameter. */
import { MAX_QUERY_CHARS, type SearchRequest, type SortOrder, type TopicFilter } from '../search/index.js';
import { HttpError } from './errors.js';

/** Query strings as express's simple parser gives them: repeated keys become arrays. */
export type RawQuery = Record<string, unknown>;

export const MAX_PAGE_SIZE = 100;
/** Deeper pages cost a full ranking for nothing useful; 1000 × 100 hits is plenty. */
export const MAX_PAGE = 1000;
const MAX_FILTER_CHARS = 100;
/** Values of one repeatable filter (category=a&category=b…). */
const MAX_VALUES = 20;
const SORT_ORDERS: readonly SortOrder[] = ['relevance', 'date'];

/**
 * `q[]=x` or `q[a]=x` (PHP/Rails array syntax) is a 400 naming `q`, like `q=a&q=b`: read as absent, it would
 * silently become an empty query.
 */
function refuseBracketed(query: RawQuery, name: string): void {
  const key = Object.keys(query).find((k) => k.startsWith(`${name}[`));
  if (key !== undefined) {
    throw new HttpError(400, 'invalid_parameter', `参数 "${name}" 写成了 "${key}"：请用 ${name}=值`, name);
  }
}

/** One value of a parameter, or undefined when absent; an array (repeated key) is a 400. */
export function single(query: RawQuery, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) {
    refuseBracketed(query, name);
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new HttpError(400, 'repeated_parameter', `参数 "${name}" 只能给一次，请去掉重复的 ${name}=`, name);
  }
  return value;
}

export function text(query: RawQuery, name: string, maxChars: number): string | undefined {
  const value = single(query, name);
  if (value !== undefined && [...value].length > maxChars) {
    throw new HttpError(400, 'parameter_too_long', `参数 "${name}" 超过 ${maxChars} 个字符，请缩短后再试`, name);
  }
  return value;
}

export function positiveInteger(query: RawQuery, name: string, max: number): number | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,9}$/.test(value) || Number(value) < 1) {
    throw new HttpError(400, 'invalid_parameter', `参数 "${name}" 应为正整数（如 1、2、3），收到 ${quote(value)}`, name);
  }
  const n = Number(value);
  if (n > max) {
    throw new HttpError(400, 'invalid_parameter', `参数 "${name}" 最大为 ${max}，收到 ${n}，请改用不超过 ${max} 的值`, name);
  }
  return n;
}

/** Every non-empty value of a repeatable parameter (`category=a&category=b`), at most MAX_VALUES. */
export function list(query: RawQuery, name: string, maxChars: number): string[] {
  const raw = query[name];
  if (raw === undefined) {
    refuseBracketed(query, name);
    return [];
  }
  const values = (Array.isArray(raw) ? raw : [raw]).map(String);
  if (values.length > MAX_VALUES) {
    throw new HttpError(400, 'invalid_parameter', `参数 "${name}" 最多给 ${MAX_VALUES} 个值，请减少筛选条件`, name);
  }
  for (const value of values) {
    if ([...value].length > maxChars) {
      throw new HttpError(400, 'parameter_too_long', `参数 "${name}" 超过 ${maxChars} 个字符，请缩短后再试`, name);
    }
  }
  return values.filter((value) => value !== '');
}

/** `true`/`1` or `false`/`0`; undefined when absent. */
export function flag(query: RawQuery, name: string): boolean | undefined {
  const value = single(query, name);
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new HttpError(400, 'invalid_parameter', `参数 "${name}" 应为 true、false、1 或 0，收到 ${quote(value)}`, name);
}

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, and a real calendar date. */
export function dateBound(query: RawQuery, name: string): string | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  const valid = match !== null && isCalendarDate(Number(match[1]), match[2] ? Number(match[2]) : 1, match[3] ? Number(match[3]) : 1);
  if (!valid) {
    throw new HttpError(400, 'invalid_parameter', `参数 "${name}" 应为真实存在的日期，格式 YYYY、YYYY-MM 或 YYYY-MM-DD（如 2021、2021-05、2021-05-19），收到 ${quote(value)}`, name);
  }
  return value;
}

/** The offending value for a message, shortened so errors stay small. */
function quote(value: string): string {
  const chars = [...value];
  return JSON.stringify(chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : value);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** GET /api/topics parameters `since` and `category` → TopicFilter (only the fields given). */
export function parseTopicFilter(query: RawQuery): TopicFilter {
  const filter: TopicFilter = {};
  const since = dateBound(query, 'since');
  const category = text(query, 'category', MAX_FILTER_CHARS);
  if (since !== undefined) filter.since = since;
  if (category !== undefined && category !== '') filter.category = category;
  return filter;
}

/** GET /api/search parameters → SearchRequest (only the fields given). */
export function parseSearchRequest(query: RawQuery): SearchRequest {
  const request: SearchRequest = { q: text(query, 'q', MAX_QUERY_CHARS) ?? '' };
  const page = positiveInteger(query, 'page', MAX_PAGE);
  const size = positiveInteger(query, 'size', MAX_PAGE_SIZE);
  if (page !== undefined) request.page = page;
  if (size !== undefined) request.size = size;
  for (const name of ['category', 'tag', 'author'] as const) {
    const values = list(query, name, MAX_FILTER_CHARS);
    if (values.length > 0) request[name] = values.length === 1 ? values[0] : values;
  }
  const from = dateBound(query, 'from');
  const to = dateBound(query, 'to');
  if (from !== undefined) request.from = from;
  if (to !== undefined) request.to = to;
  if (from !== undefined && to !== undefined && from.slice(0, Math.min(from.length, to.length)) > to.slice(0, Math.min(from.length, to.length))) {
    throw new HttpError(400, 'invalid_parameter', `参数 "from"（${from}）晚于 "to"（${to}），请交换两个日期或改正其中一个`, 'from');
  }
  const sort = single(query, 'sort');
  if (sort !== undefined && sort !== '') {
    if (!(SORT_ORDERS as readonly string[]).includes(sort)) {
      throw new HttpError(400, 'invalid_parameter', `参数 "sort" 只能是 "relevance"（按相关度）或 "date"（按日期），收到 ${quote(sort)}`, 'sort');
    }
    request.sort = sort as SortOrder;
  }
  for (const name of ['facets', 'snippets'] as const) {
    const value = flag(query, name);
    if (value !== undefined) request[name] = value;
  }
  return request;
}
