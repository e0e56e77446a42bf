/**
 * Entry of the embeddable search box (dist/bundles/embed.js, one classic script with its stylesheet):
 *
 *   <script src="https://search.example.com/search/embed.js" data-target="#search" defer></script>
 *
 * The server is found from the script's own src, so the box works under a --base-path and from another
 * origin (allowed with --cors-origin). Options are data- attributes of the script tag (see README).
 */
import { httpClient } from './api-client.js';
import { startEmbedScript } from './embed-script.js';

startEmbedScript((root) => httpClient({ root }));
