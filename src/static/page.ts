/**
 * Entry point of a static export's page script, over the chunks in zhsearch/ next to the script: the search page, or
 * an article page the export wrote (its data-root is the search page).
 */
import { startArticlePage } from '../web/article-page.js';
import { startSearchPage } from '../web/search-page.js';
import { staticClient } from './static-client.js';

// The script lies in the export's folder.
const client = staticClient(new URL('./', import.meta.url).href);
if (document.body.dataset.page === 'article') startArticlePage(client, document.body.dataset.root ?? 'index.html');
else startSearchPage(client);
