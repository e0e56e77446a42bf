/**
 * The server-rendered article page, enhanced: the query words that led here are marked in the title
 * and text, the search box suggests as on the search page, and "back to the results" returns to the
 * very place in the list when the reader came from it.
 */
import type { SearchClient } from './api-client.js';
import { markTerms } from './dom.js';
import { RESULTS_KEY } from './search-page.js';
import { bindShortcuts } from './shortcuts.js';
import { attachSuggestions } from './suggestions.js';

export function startArticlePage(client: SearchClient, root: string): void {
  const params = new URLSearchParams(location.search);
  const terms = params.getAll('hl').filter((term) => term.trim() !== '');
  if (terms.length > 0) {
    for (const node of document.querySelectorAll<HTMLElement>('.article h1, .article-text h2, .article-text p')) {
      const text = node.textContent ?? '';
      const marked = markTerms(text, terms);
      if (marked.some((n) => n.nodeName === 'MARK')) node.replaceChildren(...marked);
    }
  }
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
