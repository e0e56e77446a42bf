/**
 * Entry of a static export's embeddable search box (`embed.js` in the exported folder, one classic script): the
 * server's box (src/web/embed-script.ts) over the static runtime, its data in the zhsearch/ folder beside the script.
 *
 *   <script src="/search/embed.js" data-target="#search" defer></script>
 */
import { startEmbedScript } from '../web/embed-script.js';
import { staticClient } from './static-client.js';

startEmbedScript((root) => staticClient(root));
