/**
 * Entry point of a static export's page script, over the chunks in zhsearch/ next to the script: the search page, or
 * an article page the export wrote (its data-root is the search page).
 */
import { TEXT_FAILED_MESSAGE } from '../web/api-client.js';
import { el } from '../web/dom.js';
import { startSearchPage } from '../web/search-page.js';
import { suggestionsOnFocus } from '../web/suggestions-on-focus.js';
import { staticClient } from './static-client.js';

// The script lies in the export's folder.
const client = staticClient(new URL('./', import.meta.url).href);
// An article page's code is a chunk of its own, fetched by article pages only: a search downloads less.
if (document.body.dataset.page === 'article') {
  void import('../web/article-page.js').then(
    ({ startArticlePage }) => startArticlePage(client, document.body.dataset.root ?? 'index.html'),
    () => {
      // Not "loading" forever: the text waiting for this code says that it will not come.
      const pending = document.querySelector<HTMLElement>('.article-text[data-article]');
      if (!pending) return;
      pending.replaceChildren(el('p', { className: 'error', text: TEXT_FAILED_MESSAGE }));
      pending.removeAttribute('aria-busy');
    },
  );
} else {
  startSearchPage(client, {
    attachSuggestions: suggestionsOnFocus,
    emptyState: async () => (await import('../web/empty-state.js')).renderEmpty,
  });
}
