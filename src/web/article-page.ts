/**
 * The server-rendered article page, enhanced: the query words that led here are marked in the title
 * and text, the search box suggests as on the search page, and "back to the results" returns to the
 * very place in the list when the reader came from it.
 */
import { ClientError, TEXT_FAILED_MESSAGE, type SearchClient } from './api-client.js';
import { articleTextHtml } from './article-html.js';
import { el, markTerms } from './dom.js';
import { RESULTS_KEY } from './search-page.js';
import { bindShortcuts } from './shortcuts.js';
import { attachSuggestions } from './suggestions.js';

export function startArticlePage(client: SearchClient, root: string): void {
  const params = new URLSearchParams(location.search);
  const terms = params.getAll('hl').filter((term) => term.trim() !== '');
  const mark = (selector: string) => {
    if (terms.length === 0) return;
    for (const node of document.querySelectorAll<HTMLElement>(selector)) {
      const text = node.textContent ?? '';
      const marked = markTerms(text, terms);
      if (marked.some((n) => n.nodeName === 'MARK')) node.replaceChildren(...marked);
    }
  };
  mark('.article h1, .article-text h2, .article-text p');
  // A static export's page holds no text: it is loaded from the export's chunks.
  const pending = document.querySelector<HTMLElement>('.article-text[data-article]');
  if (pending) void loadText(client, pending, () => mark('.article-text h2, .article-text p'));
  const form = document.getElementById('search-form') as HTMLFormElement;
  const input = document.getElementById('q') as HTMLInputElement;
  const searchUrl = (q: string) => `${root}${q ? `?${new URLSearchParams({ q })}` : ''}`;
  const suggestions = attachSuggestions({
    input,
    list: document.getElementById('suggestions') as HTMLUListElement,
    client,
    onSearch: (q) => location.assign(searchUrl(q)),
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (suggestions.composing()) return;
    location.assign(searchUrl(input.value.trim()));
  });
  bindShortcuts(input);
  // Coming straight from the results: Back restores their scroll position and focused result.
  const back = document.querySelector<HTMLAnchorElement>('a.back');
  back?.addEventListener('click', (event) => {
    if (sessionStorage.getItem(RESULTS_KEY) === back.href && history.length > 1) {
      event.preventDefault();
      history.back();
    }
  });
}

/** Fills a static export's article page with the article's text, then marks it. */
async function loadText(client: SearchClient, container: HTMLElement, marked: () => void): Promise<void> {
  try {
    const article = await client.article(container.dataset.article!);
    container.innerHTML = article ? articleTextHtml(article) : '<p class="empty">找不到这篇文章的正文：搜索数据可能已更新，请回到搜索页重新搜索。</p>';
    marked();
  } catch (error) {
    container.replaceChildren(el('p', { className: 'error', text: error instanceof ClientError ? error.message : TEXT_FAILED_MESSAGE }));
  } finally {
    container.removeAttribute('aria-busy');
  }
}
