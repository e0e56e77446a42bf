/**
 * Entry of the embeddable search box (dist/bundles/embed.js, one classic script with its stylesheet):
 *
 *   <script src="https://search.example.com/search/embed.js" data-target="#search" defer></script>
 *
 * The server is found from the script's own src, so the box works under a --base-path and from another
 * origin (allowed with --cors-origin). Options are data- attributes of the script tag (see README).
 */
import { httpClient } from './api-client.js';
import { mountSearchBox } from './embed-box.js';
import css from './embed.css';

const script = document.currentScript as HTMLScriptElement | null;

function start(): void {
  if (!script?.src) throw new Error('zhsearch embed.js：无法确定脚本地址（请用 <script src="…/embed.js"> 引入，不要内联）');
  const root = new URL('./', script.src).href;
  const data = script.dataset;
  const container = data.target ? document.querySelector<HTMLElement>(data.target) : null;
  if (data.target && !container) console.warn(`zhsearch embed.js：找不到 data-target="${data.target}" 指定的元素，改用浮动按钮`);
  if (data.style !== 'none') document.head.append(Object.assign(document.createElement('style'), { textContent: css }));
  const size = Number(data.size);
  mountSearchBox({
    client: httpClient({ root }),
    root,
    mode: data.mode === 'inline' || data.mode === 'overlay' ? data.mode : container ? 'inline' : 'overlay',
    container,
    facets: data.facets === 'true',
    size: Number.isInteger(size) && size >= 1 && size <= 50 ? size : 8,
    placeholder: data.placeholder ?? '搜索文章',
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
