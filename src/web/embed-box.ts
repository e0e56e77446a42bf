/**
 * The embeddable search box: the search page's suggestions, results and (optionally) facets in a
 * box a blog theme places in its own pages, inline in an element or as an overlay dialog opened by a
 * button or Ctrl+K / ⌘K. State stays in memory (the blog's URL is not ours to change); "all results"
 * opens the server's search page with the same query.
 */
import type { SearchHit, SearchResult } from '../search/types.js';
import { ClientError, type SearchClient } from './api-client.js';
import { today } from './dates.js';
import { button, el, safeHref } from './dom.js';
import { renderFacets } from './facets.js';
import { renderHits } from './results.js';
import { bindShortcuts } from './shortcuts.js';
import { attachSuggestions } from './suggestions.js';
import { emptyState, stateQuery, toRequest, withChange, type SearchState } from './url-state.js';

export interface EmbedOptions {
  client: SearchClient;
  /** The server's site root, absolute (`https://search.example.com/search/`): its own pages live there. */
  root: string;
  /** `inline`: the box sits in `container`; `overlay`: a button there (or floating) opens it in a dialog. */
  mode: 'inline' | 'overlay';
  /** Where the box (inline) or its opening button (overlay) goes; overlay without one: a floating button. */
  container: HTMLElement | null;
  facets: boolean;
  size: number;
  placeholder: string;
}

let boxes = 0;

export function mountSearchBox(options: EmbedOptions): void {
  const n = ++boxes;
  const input = el('input', {
    className: 'zhsearch-input',
    attrs: { type: 'search', id: `zhsearch-q-${n}`, maxlength: '256', enterkeyhint: 'search', placeholder: options.placeholder, 'aria-label': '搜索文章' },
  });
  const list = el('ul', { className: 'suggestions', attrs: { id: `zhsearch-suggestions-${n}`, 'aria-label': '搜索建议' } });
  const form = el('form', { className: 'zhsearch-form', attrs: { role: 'search', autocomplete: 'off' } }, input, button('搜索', 'zhsearch-submit', () => submit(input.value.trim())), list);
  const status = el('p', { className: 'zhsearch-status', attrs: { role: 'status' } });
  const hits = el('ol', { className: 'hits zhsearch-hits' });
  const facets = el('div', { className: 'facets zhsearch-facets', attrs: { 'aria-label': '筛选结果' } });
  const more = el('a', { className: 'zhsearch-more' });
  const results = el('div', { className: 'zhsearch-results' }, status, el('div', { className: 'zhsearch-layout' }, ...(options.facets ? [facets] : []), el('div', {}, hits, more)));
  results.hidden = true;
  const box = el('div', { className: `zhsearch-embed zhsearch-${options.mode}` }, form, results);

  let state: SearchState = emptyState();
  let controller: AbortController | undefined;
  const suggestions = attachSuggestions({ input, list, client: options.client, onSearch: submit, onOpen: (url) => location.assign(url) });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(input.value.trim());
  });

  function submit(q: string): void {
    suggestions.close();
    search(withChange(emptyState(), { q }));
  }

  async function search(next: SearchState): Promise<void> {
    state = next;
    controller?.abort();
    if (state.q === '') {
      results.hidden = true;
      return;
    }
    const current = new AbortController();
    controller = current;
    results.hidden = false;
    results.setAttribute('aria-busy', 'true');
    try {
      const result = await options.client.search(toRequest(state, options.size, today()), current.signal);
      if (!current.signal.aborted) show(result);
    } catch (error) {
      if (current.signal.aborted) return;
      status.textContent = error instanceof ClientError ? error.message : '搜索失败，请稍后再试。';
      if (error instanceof ClientError && error.retryable) status.append(' ', button('重试', 'zhsearch-retry', () => void search(state)));
      hits.replaceChildren();
      more.hidden = true;
    } finally {
      if (controller === current) results.setAttribute('aria-busy', 'false');
    }
  }

  function show(result: SearchResult): void {
    status.textContent = result.total === 0 ? `没有找到与“${state.q}”相关的文章。` : `找到 ${result.total} 篇相关文章`;
    renderHits(hits, result.hits, 1, { href: (hit) => hitHref(hit, options.root) });
    if (options.facets) renderFacets(facets, state, result.facets, (next) => void search(next));
    more.hidden = result.total <= result.hits.length;
    more.textContent = `在搜索页查看全部 ${result.total} 条结果`;
    more.href = options.root + stateQuery(state);
  }

  if (options.mode === 'inline') {
    (options.container ?? document.body).append(box);
    bindShortcuts(input);
    return;
  }
  const close = button('关闭', 'zhsearch-close', () => dialog.close());
  const dialog = el('dialog', { className: 'zhsearch-dialog', attrs: { 'aria-label': '搜索文章' } }, close, box);
  // Escape closes the dialog at once unless it is closing the suggestion list (the box's own Escape
  // handling, which clears the text, would otherwise keep the dialog open).
  dialog.addEventListener(
    'keydown',
    (event) => {
      if (event.key !== 'Escape' || event.isComposing || !list.hidden) return;
      event.preventDefault();
      event.stopPropagation();
      dialog.close();
    },
    true,
  );
  // A click on the backdrop (the dialog element itself, outside its content) closes it.
  dialog.addEventListener('click', (event) => event.target === dialog && dialog.close());
  document.body.append(dialog);
  const reveal = (): void => {
    if (!dialog.open) dialog.showModal();
  };
  const open = (): void => {
    reveal();
    input.focus();
    input.select();
  };
  const opener = button('搜索', 'zhsearch-open', open);
  opener.setAttribute('aria-haspopup', 'dialog');
  opener.setAttribute('aria-keyshortcuts', 'Control+K Meta+K');
  if (options.container) options.container.append(opener);
  else document.body.append(el('div', { className: 'zhsearch-floating' }, opener));
  // Any element of the theme marked data-zhsearch-open opens the box too.
  document.addEventListener('click', (event) => {
    if ((event.target as Element).closest?.('[data-zhsearch-open]')) {
      event.preventDefault();
      open();
    }
  });
  bindShortcuts(input, reveal);
}

/**
 * The link of a hit: the blog's own page as the index gives it (relative to the blog, or absolute); only
 * the server's own article pages (`<root>articles/<id>`) are resolved against the server, wherever the box is.
 */
function hitHref(hit: SearchHit, root: string): string | null {
  const own = new URL(`articles/${hit.id.split('/').map(encodeURIComponent).join('/')}`, root);
  return hit.url === own.pathname ? own.href : safeHref(hit.url);
}
