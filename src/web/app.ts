/** Entry point of the page script: the search page or an article page, over the HTTP API. */
import { httpClient } from './api-client.js';
import { startArticlePage } from './article-page.js';
import { renderEmpty } from './empty-state.js';
import { startSearchPage } from './search-page.js';
import { attachSuggestions } from './suggestions.js';

// Pages say where the site root is: `./` for the search page, the server's path prefix for an article page.
const root = document.body.dataset.root ?? './';
const client = httpClient({ root });
if (document.body.dataset.page === 'article') startArticlePage(client, root);
else startSearchPage(client, { attachSuggestions, emptyState: async () => renderEmpty });
