/** Entry point of a static export's page script: the search page over the chunks in zhsearch/ next to the script. */
import { startSearchPage } from '../web/search-page.js';
import { DATA_DIR } from './format.js';
import { staticClient } from './static-client.js';

startSearchPage(staticClient(new URL(`${DATA_DIR}/`, import.meta.url).href));
