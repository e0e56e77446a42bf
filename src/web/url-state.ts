/**
 * The search page's state lives in the URL query (q, page, sort, category…, tag…, author…, from, to,
 * within), so a search can be shared and the back button restores it. Pure functions over plain data.
 */
import type { SearchRequest, SortOrder } from '../search/types.js';

export const LIST_FILTERS = ['category', 'tag', 'author'] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

/** Relative date windows offered beside a custom range; `from` is computed when the search runs. */
export const WITHIN = { week: 7, month: 30, year: 365 } as const;
export type Within = keyof typeof WITHIN;

export interface SearchState {
  q: string;
  page: number;
  sort: SortOrder | null;
  category: string[];
  tag: string[];
  author: string[];
  /** Custom range bounds, YYYY, YYYY-MM or YYYY-MM-DD. */
  from: string | null;
  to: string | null;
  within: Within | null;
}

export function emptyState(): SearchState {
  return { q: '', page: 1, sort: null, category: [], tag: [], author: [], from: null, to: null, within: null };
}

export function readState(search: string): SearchState {
  const params = new URLSearchParams(search);
  const state = emptyState();
  state.q = params.get('q') ?? '';
  const page = Number(params.get('page'));
  state.page = Number.isInteger(page) && page > 1 ? page : 1;
  const sort = params.get('sort');
  state.sort = sort === 'relevance' || sort === 'date' ? sort : null;
  for (const key of LIST_FILTERS) state[key] = unique(params.getAll(key).filter((v) => v !== ''));
  state.from = params.get('from') || null;
  state.to = params.get('to') || null;
  const within = params.get('within');
  state.within = within !== null && within in WITHIN ? (within as Within) : null;
  return state;
}

/** The query string of a state (`?…`, or '' for the home page); defaults are left out. */
export function stateQuery(state: SearchState): string {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  for (const key of LIST_FILTERS) for (const value of state[key]) params.append(key, value);
  if (state.within) params.set('within', state.within);
  else {
    if (state.from) params.set('from', state.from);
    if (state.to) params.set('to', state.to);
  }
  if (state.sort) params.set('sort', state.sort);
  if (state.page > 1) params.set('page', String(state.page));
  const query = params.toString();
  return query ? `?${query}` : '';
}

export function sameState(a: SearchState, b: SearchState): boolean {
  return stateQuery(a) === stateQuery(b);
}

/** A changed copy; any change but the page returns to page 1. */
export function withChange(state: SearchState, change: Partial<SearchState>): SearchState {
  return { ...state, page: 1, ...change };
}

export function hasFilters(state: SearchState): boolean {
  return LIST_FILTERS.some((key) => state[key].length > 0) || state.from !== null || state.to !== null || state.within !== null;
}

export function withoutFilters(state: SearchState): SearchState {
  return withChange(state, { category: [], tag: [], author: [], from: null, to: null, within: null });
}

/** `value` added to or removed from a list filter. */
export function toggled(state: SearchState, key: ListFilter, value: string): SearchState {
  const values = state[key].includes(value) ? state[key].filter((v) => v !== value) : [...state[key], value];
  return withChange(state, { [key]: values });
}

/** The API request of a state; `today` (YYYY-MM-DD in the articles' zone) anchors the `within` windows. */
export function toRequest(state: SearchState, size: number, today: string): SearchRequest {
  const request: SearchRequest = { q: state.q, size };
  if (state.page > 1) request.page = state.page;
  if (state.sort) request.sort = state.sort;
  for (const key of LIST_FILTERS) if (state[key].length > 0) request[key] = state[key];
  if (state.within) request.from = daysBefore(today, WITHIN[state.within]);
  else {
    if (state.from) request.from = state.from;
    if (state.to) request.to = state.to;
  }
  return request;
}

/** YYYY-MM-DD `days` days before the date `day` (calendar arithmetic, no time zone involved). */
export function daysBefore(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! - days)).toISOString().slice(0, 10);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
