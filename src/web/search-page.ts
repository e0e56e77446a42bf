/**
 * The search page: reads its state from the URL, asks the SearchClient, renders results, facets and
 * pagination, and keeps the reader's place: focus returns to the control that was used, the scroll
 * position and focused result come back with the back button, and a slow or failed search says so.
 */
import type { SearchHit, SearchResult } from '../search/types.js';
import { ClientError, type SearchClient } from './api-client.js';
import { today } from './dates.js';
import { button, el, safeHref } from './dom.js';
import type { renderEmpty } from './empty-state.js';
import { renderActiveFilters, renderFacets } from './facets.js';
import { renderPagination } from './pagination.js';
import { renderHits } from './results.js';
import { bindShortcuts } from './shortcuts.js';
import type { attachSuggestions } from './suggestions.js';
import { readState, sameState, stateQuery, toggled, toRequest, withChange, withoutFilters, type SearchState } from './url-state.js';

const PAGE_SIZE = 10;
/** sessionStorage: the results page an article was opened from (its "back" link then goes back in history). */
export const RESULTS_KEY = 'zhsearch:results';

interface Elements {
  form: HTMLFormElement;
  input: HTMLInputElement;
  suggestions: HTMLUListElement;
  topics: HTMLElement;
  activeFilters: HTMLElement;
  facets: HTMLElement;
  results: HTMLElement;
  heading: HTMLElement;
  status: HTMLElement;
  toolbar: HTMLElement;
  sort: HTMLElement;
  didYouMean: HTMLElement;
  message: HTMLElement;
  hits: HTMLOListElement;
  pagination: HTMLElement;
  progress: HTMLElement;
}

type RenderEmpty = typeof renderEmpty;

/**
 * Parts of the page its entry supplies: the server's page script bundles them (app.ts), a static export's fetches
 * each on first use (static/page.ts), so that its first search downloads less.
 */
export interface SearchPageParts {
  attachSuggestions: typeof attachSuggestions;
  /** What a search that shows no hit renders (awaited before the results are shown). */
  emptyState(): Promise<RenderEmpty>;
}

/** Where the reader was, kept in the history entry so Back restores it. */
interface Place {
  scrollY: number;
  focus: string | null;
}

export function startSearchPage(client: SearchClient, parts: SearchPageParts): void {
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const e: Elements = {
    form: $('search-form'),
    input: $('q'),
    suggestions: $('suggestions'),
    topics: $('topics'),
    activeFilters: $('active-filters'),
    facets: $('facets'),
    results: $('results'),
    heading: $('results-heading'),
    status: $('status'),
    toolbar: $('toolbar'),
    sort: $('sort'),
    didYouMean: $('did-you-mean'),
    message: $('message'),
    hits: $('hits'),
    pagination: $('pagination'),
    progress: $('progress'),
  };
  history.scrollRestoration = 'manual';
  let controller: AbortController | undefined;
  let topicsLoaded: Promise<Node[]> | undefined;
  /** The data-focus key of the control to focus after the next render. */
  let focusAfterRender: string | null = null;

  const coarsePointer = window.matchMedia('(pointer: coarse)');
  const suggestions = parts.attachSuggestions({
    input: e.input,
    list: e.suggestions,
    client,
    onSearch: (q) => submit(q),
  });

  function submit(q: string): void {
    // Phones: the keyboard goes down so the results can be seen.
    if (coarsePointer.matches) e.input.blur();
    navigate(withChange(readState(location.search), { q }), null);
  }

  /** A new history entry for a new state (the same state only searches again), then render. */
  function navigate(state: SearchState, focus: string | null = focusKey(document.activeElement)): void {
    const url = `${location.pathname}${stateQuery(state)}`;
    if (sameState(state, readState(location.search))) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    focusAfterRender = focus;
    void render();
  }

  function focusKey(node: Element | null): string | null {
    return node instanceof HTMLElement ? (node.dataset.focus ?? null) : null;
  }

  function setBusy(busy: boolean): void {
    e.results.setAttribute('aria-busy', String(busy));
    e.progress.hidden = !busy;
  }

  async function render(): Promise<void> {
    const state = readState(location.search);
    if (document.activeElement !== e.input) e.input.value = state.q;
    document.title = state.q ? `${state.q} - zhsearch 搜索` : 'zhsearch 中文全文搜索';
    suggestions.close();
    controller?.abort();
    const current = new AbortController();
    controller = current;
    setBusy(true);
    // Topics show on the page without a query only: a search from a link does not ask for them.
    if (state.q === '') topicsLoaded ??= loadTopics();
    try {
      const result = await client.search(toRequest(state, PAGE_SIZE, today()), current.signal);
      const empty = result.hits.length === 0 ? await parts.emptyState() : undefined;
      // Topics and results appear together: nothing already shown moves down when the other arrives.
      const topics = (await topicsLoaded) ?? [];
      if (current.signal.aborted) return;
      // Filled only now, with the results (and hidden at once on a query's page): a topic line shown
      // early and hidden when the results came would move the page twice.
      e.topics.hidden = state.q !== '';
      if (topics.length > 0 && e.topics.childElementCount === 0) e.topics.replaceChildren(...topics);
      showResult(state, result, empty);
    } catch (error) {
      if (current.signal.aborted) return;
      showError(error instanceof ClientError ? error : new ClientError('页面出错了。请刷新页面后再试。', true));
    } finally {
      if (controller === current) setBusy(false);
    }
  }

  async function loadTopics(): Promise<Node[]> {
    try {
      const topics = await client.topics(12);
      return [
        el('span', { className: 'label', text: '热门主题' }),
        // A topic is searched as a phrase: 加沙地带 as written, not 加沙 and 地带 anywhere.
        ...topics.map((t) => button(t.keyword, 'chip', () => navigate(withChange(readState(''), { q: `"${t.keyword}"` }), null))),
      ];
    } catch {
      // Topics are optional; the search itself reports a broken connection.
      return [];
    }
  }

  function showResult(state: SearchState, result: SearchResult, empty?: RenderEmpty): void {
    const summary = state.q
      ? `找到 ${result.total} 篇相关文章（用时 ${result.took_ms} 毫秒）`
      : `全部 ${result.total} 篇文章，最新在前`;
    e.heading.textContent = summary;
    e.status.textContent = summary;
    // Topics help to start; once searching, the results come first.
    e.topics.hidden = state.q !== '';
    e.toolbar.hidden = false;
    // Without a query the service lists newest first, whatever the sort parameter says.
    const sort = state.q ? (state.sort ?? 'relevance') : 'date';
    for (const node of e.sort.querySelectorAll<HTMLButtonElement>('button')) node.setAttribute('aria-pressed', String(node.dataset.sort === sort));
    renderActiveFilters(e.activeFilters, state, (next) => navigate(next), withoutFilters(state));
    renderFacets(e.facets, state, result.facets, (next) => navigate(next));
    renderHits(e.hits, result.hits, (result.page - 1) * result.size + 1, {
      href: (hit) => articleHref(hit, state.q),
      onCategory: (category) => navigate(state.category.includes(category) ? state : toggled(state, 'category', category)),
    });
    renderPagination(e.pagination, result, (page) => {
      navigate(withChange(state, { page }), 'results-heading');
      window.scrollTo({ top: 0 });
    });
    showDidYouMean(state, result.did_you_mean);
    if (empty) empty(e.message, state, result, (next) => navigate(next, 'results-heading'));
    else e.message.hidden = true;
    if (result.partial) showPartial(result);
    restorePlace();
  }

  /** A search engine whose shards did not all answer: the results are incomplete, and the reader is told. */
  function showPartial(result: SearchResult): void {
    const text = `部分索引分片没有响应（${(result.missing_shards ?? []).join('、')}），结果可能不完整。`;
    if (result.hits.length > 0) e.message.replaceChildren();
    e.message.prepend(el('p', { className: 'warning', text }));
    e.message.hidden = false;
    e.status.textContent = `${e.status.textContent ?? ''} ${text}`;
  }

  /** "Did you mean": the index's spelling of the query, one click away. */
  function showDidYouMean(state: SearchState, suggestion: string | undefined): void {
    e.didYouMean.hidden = !suggestion;
    if (!suggestion) return e.didYouMean.replaceChildren();
    const next = withChange(state, { q: suggestion });
    const link = el('a', { text: suggestion, attrs: { href: stateQuery(next) || './', 'data-focus': 'did-you-mean' } });
    link.addEventListener('click', (event) => {
      event.preventDefault();
      navigate(next, 'results-heading');
    });
    e.didYouMean.replaceChildren('你是不是要找：', link);
  }

  function showError(error: ClientError): void {
    e.heading.textContent = '搜索没有完成';
    e.toolbar.hidden = false;
    e.status.textContent = error.message;
    e.hits.replaceChildren();
    e.pagination.replaceChildren();
    e.didYouMean.hidden = true;
    const parts: Node[] = [el('p', { className: 'error', text: error.message })];
    if (error.retryable) {
      const retry = button('重试', 'chip retry', () => void render());
      retry.dataset.focus = 'retry';
      parts.push(el('p', {}, retry));
    }
    const fix = error.parameter ? parameterFix(readState(location.search), error.parameter) : null;
    if (fix) parts.push(el('p', {}, button(fix.label, 'chip', () => navigate(fix.state, 'results-heading'))));
    e.message.replaceChildren(...parts);
    e.message.hidden = false;
    restorePlace();
  }

  /** Focus (and scroll) as the reader left them: after Back, or after using a control that was re-rendered. */
  function restorePlace(): void {
    const place = history.state as Place | null;
    const key = focusAfterRender ?? place?.focus ?? null;
    focusAfterRender = null;
    if (place && typeof place.scrollY === 'number') window.scrollTo(0, place.scrollY);
    if (key === null) return;
    const target = key === 'results-heading' ? e.heading : document.querySelector<HTMLElement>(`[data-focus="${CSS.escape(key)}"]`);
    if (target) target.focus({ preventScroll: place !== null });
    // A removed filter chip or facet: the results' heading is the nearest sensible place.
    else if (key.startsWith('chip:') || key.startsWith('facet:')) e.heading.focus({ preventScroll: true });
  }

  /** Remembers the place before leaving the page (an article link, another site, a reload). */
  function savePlace(): void {
    const place: Place = { scrollY: window.scrollY, focus: focusKey(document.activeElement) };
    history.replaceState(place, '');
  }

  e.form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (suggestions.composing()) return;
    suggestions.close();
    submit(e.input.value.trim());
  });
  e.sort.addEventListener('click', (event) => {
    const node = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-sort]');
    if (node) navigate(withChange(readState(location.search), { sort: node.dataset.sort === 'relevance' ? null : 'date' }));
  });
  e.hits.addEventListener('click', (event) => {
    if (!(event.target as HTMLElement).closest('a')) return;
    savePlace();
    sessionStorage.setItem(RESULTS_KEY, location.href);
  });
  window.addEventListener('pagehide', savePlace);
  window.addEventListener('popstate', () => void render());
  bindShortcuts(e.input);
  void render();
}

/** A way out of a refused parameter (a bad date in a shared link, an over-long query). */
function parameterFix(state: SearchState, parameter: string): { label: string; state: SearchState } | null {
  if (parameter === 'from' || parameter === 'to') return { label: '去掉日期筛选后重新搜索', state: withChange(state, { from: null, to: null, within: null }) };
  if (parameter === 'q') return { label: '只保留前 256 个字重新搜索', state: withChange(state, { q: [...state.q].slice(0, 256).join('') }) };
  if (parameter === 'category' || parameter === 'tag' || parameter === 'author') return { label: '去掉这项筛选后重新搜索', state: withChange(state, { [parameter]: [] }) };
  return { label: '回到第一页重新搜索', state: withChange(state, {}) };
}

/** Article pages of this site get the query, so they can mark its words and lead back to the results. */
function articleHref(hit: SearchHit, q: string): string | null {
  const href = safeHref(hit.url);
  if (href === null || !q) return href;
  const url = new URL(href, document.baseURI);
  if (url.origin !== location.origin || !url.pathname.includes('/articles/')) return href;
  url.searchParams.set('q', q);
  for (const term of hit.matched_terms) url.searchParams.append('hl', term);
  return url.href;
}
