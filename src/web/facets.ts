/**
 * Filters beside the results: categories as a tree (values are paths `新媒体 › 36kr › 快讯`), tags and
 * authors, several values per facet at once, "more" beyond the first ten; a date control (a week, a
 * month, a year, a year of the facet, or a custom range). Every control carries a data-focus key so
 * the page can give focus back to it after re-rendering.
 */
import type { FacetValue, SearchResult } from '../search/types.js';
import { button, el } from './dom.js';
import { toggled, withChange, type ListFilter, type SearchState, type Within } from './url-state.js';

export const FACET_LABELS: Record<ListFilter, string> = { category: '分类', tag: '标签', author: '作者' };
const WITHIN_LABELS: Record<Within, string> = { week: '一周内', month: '一月内', year: '一年内' };
const SHOWN = 10;
export const PATH_SEPARATOR = '›';

export type Navigate = (state: SearchState) => void;

export function renderFacets(root: HTMLElement, state: SearchState, facets: SearchResult['facets'], navigate: Navigate): void {
  const wide = window.matchMedia('(min-width: 48rem)').matches;
  const groups: HTMLElement[] = [];
  for (const key of ['category', 'tag', 'author'] as const) {
    const values = facets[key];
    if (values.length === 0 && state[key].length === 0) continue;
    const items = key === 'category' ? categoryTree(values, state, navigate) : flatItems(key, values, state, navigate);
    groups.push(group(key, FACET_LABELS[key], items, wide || state[key].length > 0));
  }
  groups.push(dateGroup(state, facets.year, navigate, wide || state.within !== null || state.from !== null || state.to !== null));
  root.replaceChildren(...groups);
}

function group(key: string, label: string, items: HTMLLIElement[], open: boolean): HTMLDetailsElement {
  const list = el('ul');
  list.append(...items.slice(0, SHOWN));
  const details = el('details', { className: 'facet-group' }, el('summary', { text: label, attrs: { 'data-focus': `group:${key}` } }), list);
  if (items.length > SHOWN) {
    const more = button(`更多（${items.length - SHOWN}）`, 'more', () => {
      list.append(...items.slice(SHOWN));
      more.remove();
      items[SHOWN]?.querySelector('button')?.focus();
    });
    more.dataset.focus = `more:${key}`;
    details.append(more);
  }
  // Phones: groups start closed so results stay near the top; one with an active filter stays open.
  details.open = open;
  return details;
}

function facetButton(key: string, value: string, label: string, count: number | undefined, active: boolean, onClick: () => void): HTMLButtonElement {
  const node = button('', 'facet', onClick);
  node.append(el('span', { className: 'value', text: label }));
  if (count !== undefined) node.append(el('span', { className: 'count', text: String(count) }));
  node.setAttribute('aria-pressed', String(active));
  node.dataset.facet = key;
  node.dataset.focus = `facet:${key}:${value}`;
  return node;
}

function flatItems(key: ListFilter, values: FacetValue[], state: SearchState, navigate: Navigate): HTMLLIElement[] {
  // Chosen values stay listed even when the other filters leave them no article.
  const listed = [...values, ...state[key].filter((v) => !values.some((f) => f.value === v)).map((value) => ({ value, count: 0 }))];
  return listed.map(({ value, count }) =>
    el('li', {}, facetButton(key, value, value, count, state[key].includes(value), () => navigate(toggled(state, key, value)))),
  );
}

interface CategoryNode {
  name: string;
  path: string;
  count: number | undefined;
  children: CategoryNode[];
}

/** Splits a category path into its levels. */
export function categoryLevels(value: string): string[] {
  return value.split(PATH_SEPARATOR).map((part) => part.trim()).filter((part) => part !== '');
}

/** The facet values as a tree; a level only present inside longer paths is shown without a count. */
export function buildCategoryTree(values: FacetValue[]): CategoryNode[] {
  const roots: CategoryNode[] = [];
  const byPath = new Map<string, CategoryNode>();
  for (const { value, count } of values) {
    const levels = categoryLevels(value);
    let siblings = roots;
    levels.forEach((name, depth) => {
      const path = levels.slice(0, depth + 1).join(` ${PATH_SEPARATOR} `);
      let node = byPath.get(path);
      if (!node) {
        node = { name, path, count: undefined, children: [] };
        byPath.set(path, node);
        siblings.push(node);
      }
      if (depth === levels.length - 1) node.count = count;
      siblings = node.children;
    });
  }
  return roots;
}

function categoryTree(values: FacetValue[], state: SearchState, navigate: Navigate): HTMLLIElement[] {
  const listed = [...values, ...state.category.filter((v) => !values.some((f) => f.value === v)).map((value) => ({ value, count: 0 }))];
  const item = (node: CategoryNode): HTMLLIElement => {
    const li = el(
      'li',
      {},
      facetButton('category', node.path, node.name, node.count, state.category.includes(node.path), () => navigate(toggled(state, 'category', node.path))),
    );
    if (node.children.length > 0) li.append(el('ul', { className: 'subcategories' }, ...node.children.map(item)));
    return li;
  };
  return buildCategoryTree(listed).map(item);
}

function dateGroup(state: SearchState, years: FacetValue[], navigate: Navigate, open: boolean): HTMLDetailsElement {
  const items: HTMLLIElement[] = [];
  const any = state.within === null && state.from === null && state.to === null;
  const choice = (key: string, label: string, active: boolean, next: Partial<SearchState>) => {
    const node = facetButton('date', key, label, undefined, active, () => navigate(withChange(state, next)));
    items.push(el('li', {}, node));
  };
  choice('any', '不限', any, { within: null, from: null, to: null });
  for (const within of Object.keys(WITHIN_LABELS) as Within[]) {
    choice(within, WITHIN_LABELS[within], state.within === within, { within, from: null, to: null });
  }
  const details = group('date', '日期', items, open);
  const yearList = el('ul', { className: 'years' });
  for (const { value, count } of years) {
    const active = state.within === null && state.from === value && state.to === value;
    const node = facetButton('year', value, `${value} 年`, count, active, () =>
      navigate(withChange(state, active ? { from: null, to: null, within: null } : { from: value, to: value, within: null })),
    );
    yearList.append(el('li', {}, node));
  }
  if (years.length > 0) details.append(yearList);
  details.append(rangeForm(state, navigate));
  return details;
}

/** A custom range: two dates, applied together. */
function rangeForm(state: SearchState, navigate: Navigate): HTMLFormElement {
  const input = (name: 'from' | 'to', label: string): HTMLLabelElement => {
    const field = el('input', { attrs: { type: 'date', name, 'data-focus': `range:${name}` } });
    const value = state.within === null ? state[name] : null;
    // A date input only shows full dates; YYYY and YYYY-MM bounds stay in the URL and the chip.
    if (value && /^\d{4}-\d{2}-\d{2}$/.test(value)) field.value = value;
    return el('label', { className: 'range-field' }, label, field);
  };
  const form = el('form', { className: 'range' }, input('from', '从'), input('to', '到'));
  const apply = el('button', { text: '应用日期范围', attrs: { type: 'submit', 'data-focus': 'range:apply' } });
  form.append(apply);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const from = String(data.get('from') ?? '') || null;
    const to = String(data.get('to') ?? '') || null;
    navigate(withChange(state, from && to && from > to ? { from: to, to: from, within: null } : { from, to, within: null }));
  });
  return form;
}

/** Chips of the active filters, each removing its filter, and a clear-all when any is active. */
export function renderActiveFilters(root: HTMLElement, state: SearchState, navigate: Navigate, clearAll: SearchState): void {
  const chips: HTMLElement[] = [];
  const chip = (focusKey: string, text: string, next: SearchState) => {
    const node = button(text, 'chip removable', () => navigate(next));
    node.setAttribute('aria-label', `移除筛选：${text}`);
    node.dataset.focus = focusKey;
    chips.push(node);
  };
  for (const key of ['category', 'tag', 'author'] as const) {
    for (const value of state[key]) chip(`chip:${key}:${value}`, `${FACET_LABELS[key]}：${value}`, toggled(state, key, value));
  }
  const date = dateLabel(state);
  if (date) chip('chip:date', `日期：${date}`, withChange(state, { within: null, from: null, to: null }));
  if (chips.length > 0) {
    const clear = button('清除全部筛选', 'chip clear-all', () => navigate(clearAll));
    clear.dataset.focus = 'chip:clear-all';
    chips.push(clear);
  }
  root.replaceChildren(...chips);
}

export function dateLabel(state: SearchState): string | null {
  if (state.within) return WITHIN_LABELS[state.within];
  const { from, to } = state;
  if (from && to) return from === to ? from : `${from} 至 ${to}`;
  if (from) return `${from} 起`;
  if (to) return `${to} 止`;
  return null;
}
