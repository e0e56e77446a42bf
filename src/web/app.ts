/**
 * The search page. State lives in the URL (q, page, category, tag, author, from, to, sort), so a
 * search can be shared and the back button restores it; every render reads the URL. Text from the
 * server goes into the DOM as text; snippets, which are HTML, keep only their <mark> elements.
 */
import type { FacetValue, SearchResult, Suggestion, Topic } from '../search/types.js';

const PAGE_SIZE = 10;
const FILTERS = ['category', 'tag', 'author'] as const;
const STATE_KEYS = ['q', 'page', 'sort', 'category', 'tag', 'author', 'from', 'to'] as const;
const FACET_LABELS: Record<keyof SearchResult['facets'], string> = { category: '分类', tag: '标签', author: '作者', year: '年份' };
const FILTER_LABELS: Record<string, string> = { category: '分类', tag: '标签', author: '作者', from: '起', to: '止' };
const SUGGESTION_KINDS: Record<Suggestion['kind'], string> = { title: '标题', tag: '标签', keyword: '关键词' };

type State = URLSearchParams;

const form = element<HTMLFormElement>('search-form');
const input = element<HTMLInputElement>('q');
const suggestionList = element<HTMLUListElement>('suggestions');
const topicsNav = element('topics');
const activeFilters = element('active-filters');
const facetsAside = element('facets');
const summary = element('summary');
const sortGroup = element('sort');
const message = element('message');
const hitList = element<HTMLOListElement>('hits');
const pagination = element('pagination');

function element<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string } = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  node.append(...children);
  return node;
}

// ---- URL state ----

function currentState(): State {
  const params = new URLSearchParams(location.search);
  const state = new URLSearchParams();
  for (const key of STATE_KEYS) {
    const value = params.get(key);
    if (value) state.set(key, value);
  }
  return state;
}

/** Moves to a new state: a new history entry (back button returns), then render. */
function navigate(state: State): void {
  if (state.get('page') === '1') state.delete('page');
  const query = state.toString();
  history.pushState(null, '', query ? `/?${query}` : '/');
  void render();
}

function withChange(change: Record<string, string | null>, resetPage = true): State {
  const state = currentState();
  for (const [key, value] of Object.entries(change)) {
    if (value === null || value === '') state.delete(key);
    else state.set(key, value);
  }
  if (resetPage) state.delete('page');
  return state;
}

// ---- API ----

class ApiError extends Error {}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { signal, headers: { Accept: 'application/json' } });
  const body = await response.json();
  if (!response.ok) throw new ApiError(body?.error?.message ?? `请求失败（${response.status}）`);
  return body as T;
}

// ---- search results ----

let searchController: AbortController | undefined;

async function render(): Promise<void> {
  const state = currentState();
  input.value = state.get('q') ?? '';
  closeSuggestions();
  document.title = state.get('q') ? `${state.get('q')} - zhsearch 搜索` : 'zhsearch 中文全文搜索';
  searchController?.abort();
  const controller = new AbortController();
  searchController = controller;
  const params = new URLSearchParams(state);
  params.set('size', String(PAGE_SIZE));
  try {
    const result = await getJson<SearchResult>(`/api/search?${params}`, controller.signal);
    if (controller.signal.aborted) return;
    renderResult(state, result);
  } catch (error) {
    if (controller.signal.aborted) return;
    renderMessage(error instanceof ApiError ? error.message : '无法连接搜索服务，请稍后重试。');
  }
}

function renderResult(state: State, result: SearchResult): void {
  const q = state.get('q') ?? '';
  summary.textContent = q
    ? `找到 ${result.total} 篇相关文章（用时 ${result.took_ms} 毫秒）`
    : `全部 ${result.total} 篇文章，最新在前`;
  // Without a query the service lists newest first, whatever the sort parameter says.
  const sort = q ? (state.get('sort') ?? 'relevance') : 'date';
  for (const button of sortGroup.querySelectorAll<HTMLButtonElement>('button')) {
    button.setAttribute('aria-pressed', String(button.dataset.sort === sort));
  }
  renderActiveFilters(state);
  renderFacets(state, result.facets);
  hitList.replaceChildren(...result.hits.map(renderHit));
  hitList.start = (result.page - 1) * result.size + 1;
  renderPagination(result);
  if (result.total === 0) void renderEmpty(state);
  else message.hidden = true;
}

function renderHit(hit: SearchResult['hits'][number]): HTMLLIElement {
  const link = el('a', { text: hit.title });
  link.href = hit.url;
  const meta = el('p', { className: 'meta' });
  if (hit.date) meta.append(el('time', { text: hit.date.slice(0, 10) }));
  for (const category of hit.categories) meta.append(facetLink('category', category));
  if (hit.author) meta.append(el('span', { className: 'author', text: hit.author }));
  const snippet = el('p', { className: 'snippet' });
  snippet.append(...markOnly(hit.snippet));
  return el('li', { className: 'hit' }, el('h2', {}, link), meta, snippet);
}

function facetLink(name: string, value: string): HTMLButtonElement {
  const button = el('button', { className: 'tag', text: value });
  button.type = 'button';
  button.addEventListener('click', () => navigate(withChange({ [name]: value })));
  return button;
}

/** The snippet's text with its <mark> elements, and nothing else, even if the HTML held more. */
function markOnly(html: string): Node[] {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const nodes: Node[] = [];
  const walk = (parent: Node, inMark: boolean): void => {
    for (const child of parent.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const text = child.textContent ?? '';
        nodes.push(inMark ? el('mark', { text }) : document.createTextNode(text));
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        walk(child, inMark || child.nodeName === 'MARK');
      }
    }
  };
  walk(parsed.body, false);
  return nodes;
}

function renderActiveFilters(state: State): void {
  const chips: HTMLElement[] = [];
  for (const key of [...FILTERS, 'from', 'to']) {
    const value = state.get(key);
    if (!value) continue;
    const button = el('button', { className: 'chip removable', text: `${FILTER_LABELS[key]}：${value}` });
    button.type = 'button';
    button.title = '移除此筛选';
    button.setAttribute('aria-label', `移除筛选 ${FILTER_LABELS[key]} ${value}`);
    button.addEventListener('click', () => navigate(withChange({ [key]: null })));
    chips.push(button);
  }
  activeFilters.replaceChildren(...chips);
}

function renderFacets(state: State, facets: SearchResult['facets']): void {
  const year = state.get('from') && state.get('from') === state.get('to') ? state.get('from') : null;
  const groups: HTMLElement[] = [];
  for (const name of Object.keys(FACET_LABELS) as (keyof SearchResult['facets'])[]) {
    const values: FacetValue[] = facets[name].slice(0, 10);
    if (values.length === 0) continue;
    const list = el('ul');
    for (const { value, count } of values) {
      const active = name === 'year' ? year === value : state.get(name) === value;
      const button = el('button', { className: 'facet' }, el('span', { className: 'value', text: value }), el('span', { className: 'count', text: String(count) }));
      button.type = 'button';
      button.setAttribute('aria-pressed', String(active));
      button.dataset.facet = name;
      button.addEventListener('click', () => {
        if (name === 'year') navigate(withChange(active ? { from: null, to: null } : { from: value, to: value }));
        else navigate(withChange({ [name]: active ? null : value }));
      });
      list.append(el('li', {}, button));
    }
    const details = el('details', { className: 'facet-group' }, el('summary', { text: FACET_LABELS[name] }), list);
    // Phones: groups start closed so results stay near the top; one with an active filter stays open.
    details.open = window.matchMedia('(min-width: 48rem)').matches || values.some(({ value }) => (name === 'year' ? year === value : state.get(name) === value));
    groups.push(details);
  }
  facetsAside.replaceChildren(...groups);
}

function renderPagination(result: SearchResult): void {
  const pages = Math.ceil(result.total / result.size);
  if (pages <= 1) return pagination.replaceChildren();
  const current = result.page;
  const first = Math.max(1, Math.min(current - 2, pages - 4));
  const last = Math.min(pages, first + 4);
  const items: HTMLElement[] = [];
  const pageButton = (page: number, text: string, label: string): HTMLButtonElement => {
    const button = el('button', { text });
    button.type = 'button';
    button.setAttribute('aria-label', label);
    if (page === current) button.setAttribute('aria-current', 'page');
    button.disabled = page < 1 || page > pages || (page === current && text === String(page));
    button.addEventListener('click', () => {
      navigate(withChange({ page: String(page) }, false));
      window.scrollTo({ top: 0 });
    });
    return button;
  };
  items.push(pageButton(current - 1, '上一页', '上一页'));
  for (let page = first; page <= last; page++) items.push(pageButton(page, String(page), `第 ${page} 页`));
  items.push(pageButton(current + 1, '下一页', '下一页'));
  pagination.replaceChildren(...items);
}

/** No hits: say so, offer completions of the query, topics, and dropping filters. */
async function renderEmpty(state: State): Promise<void> {
  const q = state.get('q') ?? '';
  const parts: Node[] = [el('p', { text: q ? `没有找到与“${q}”相关的文章。` : '没有符合条件的文章。' })];
  const hasFilters = [...FILTERS, 'from', 'to'].some((key) => state.has(key));
  if (hasFilters) {
    const clear = el('button', { className: 'chip', text: '清除所有筛选' });
    clear.type = 'button';
    clear.addEventListener('click', () => navigate(withChange({ category: null, tag: null, author: null, from: null, to: null })));
    parts.push(el('p', {}, clear));
  }
  const alternatives = q ? await suggestionsFor([...q].slice(0, 2).join('')).catch(() => []) : [];
  const terms = alternatives.length > 0 ? alternatives.map((s) => s.text) : topics.map((t) => t.keyword);
  if (terms.length > 0) {
    parts.push(el('p', { text: '试试这些：' }), el('div', { className: 'chips' }, ...terms.slice(0, 8).map((term) => querychip(term))));
  }
  message.replaceChildren(...parts);
  message.hidden = false;
}

function renderMessage(text: string): void {
  summary.textContent = '';
  hitList.replaceChildren();
  pagination.replaceChildren();
  facetsAside.replaceChildren();
  message.replaceChildren(el('p', { className: 'error', text }));
  message.hidden = false;
}

function querychip(q: string): HTMLButtonElement {
  const button = el('button', { className: 'chip', text: q });
  button.type = 'button';
  button.addEventListener('click', () => navigate(new URLSearchParams({ q })));
  return button;
}

// ---- topics ----

let topics: Topic[] = [];

async function loadTopics(): Promise<void> {
  try {
    topics = (await getJson<{ topics: Topic[] }>('/api/topics?limit=12')).topics;
  } catch {
    return;
  }
  topicsNav.replaceChildren(el('span', { className: 'label', text: '热门主题' }), ...topics.map((t) => querychip(t.keyword)));
}

// ---- suggestions ----

let suggestionController: AbortController | undefined;
let suggestionTimer: number | undefined;
let activeSuggestion = -1;

async function suggestionsFor(q: string, signal?: AbortSignal): Promise<Suggestion[]> {
  return (await getJson<{ suggestions: Suggestion[] }>(`/api/suggest?${new URLSearchParams({ q, limit: '8' })}`, signal)).suggestions;
}

function scheduleSuggestions(): void {
  window.clearTimeout(suggestionTimer);
  suggestionTimer = window.setTimeout(() => void showSuggestions(input.value.trim()), 120);
}

async function showSuggestions(q: string): Promise<void> {
  suggestionController?.abort();
  if (q === '') return closeSuggestions();
  const controller = new AbortController();
  suggestionController = controller;
  let suggestions: Suggestion[];
  try {
    suggestions = await suggestionsFor(q, controller.signal);
  } catch {
    return;
  }
  if (controller.signal.aborted || document.activeElement !== input) return;
  activeSuggestion = -1;
  suggestionList.replaceChildren(
    ...suggestions.map((s, i) => {
      const item = el('li', { className: 'suggestion' }, el('span', { text: s.text }), el('span', { className: 'kind', text: SUGGESTION_KINDS[s.kind] }));
      item.id = `suggestion-${i}`;
      item.setAttribute('role', 'option');
      item.dataset.text = s.text;
      // mousedown, not click: the input's blur would close the list before a click lands.
      item.addEventListener('mousedown', (event) => {
        event.preventDefault();
        chooseSuggestion(s.text);
      });
      return item;
    }),
  );
  suggestionList.hidden = suggestions.length === 0;
  input.setAttribute('aria-expanded', String(suggestions.length > 0));
}

function closeSuggestions(): void {
  window.clearTimeout(suggestionTimer);
  suggestionController?.abort();
  suggestionList.hidden = true;
  suggestionList.replaceChildren();
  input.setAttribute('aria-expanded', 'false');
  input.removeAttribute('aria-activedescendant');
  activeSuggestion = -1;
}

function moveSuggestion(step: number): void {
  const items = suggestionList.querySelectorAll<HTMLLIElement>('li');
  if (items.length === 0) return;
  // -1 is the typed text itself; the arrows cycle through it and the n suggestions.
  activeSuggestion = ((activeSuggestion + 1 + step + items.length + 1) % (items.length + 1)) - 1;
  items.forEach((item, i) => item.setAttribute('aria-selected', String(i === activeSuggestion)));
  if (activeSuggestion >= 0) input.setAttribute('aria-activedescendant', items[activeSuggestion]!.id);
  else input.removeAttribute('aria-activedescendant');
}

function chooseSuggestion(text: string): void {
  input.value = text;
  closeSuggestions();
  navigate(withChange({ q: text }));
}

// ---- events ----

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const items = suggestionList.querySelectorAll<HTMLLIElement>('li');
  const chosen = !suggestionList.hidden && activeSuggestion >= 0 ? items[activeSuggestion]?.dataset.text : undefined;
  if (chosen !== undefined) return chooseSuggestion(chosen);
  closeSuggestions();
  navigate(withChange({ q: input.value.trim() }));
});

input.addEventListener('input', scheduleSuggestions);
input.addEventListener('blur', () => window.setTimeout(closeSuggestions, 100));
input.addEventListener('keydown', (event) => {
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    if (suggestionList.hidden) return;
    event.preventDefault();
    moveSuggestion(event.key === 'ArrowDown' ? 1 : -1);
  } else if (event.key === 'Escape') {
    closeSuggestions();
  }
});

document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement;
  const typing = target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
  if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    input.focus();
    input.select();
  }
});

sortGroup.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-sort]');
  if (button) navigate(withChange({ sort: button.dataset.sort === 'relevance' ? null : button.dataset.sort! }));
});

window.addEventListener('popstate', () => void render());

void loadTopics();
void render();
