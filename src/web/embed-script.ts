/**
 * Starts the embeddable search box from its <script> tag: the options are the tag's data- attributes (see README),
 * the data comes from `clientFor(root)`, root being the folder the script was loaded from (a zhsearch server's site
 * root, or a static export's folder), so the box works under any path and from another origin.
 */
import type { SearchClient } from './api-client.js';
import { mountSearchBox } from './embed-box.js';
import css from './embed.css';

export function startEmbedScript(clientFor: (root: string) => SearchClient): void {
  const script = document.currentScript as HTMLScriptElement | null;
  const start = (): void => {
    if (!script?.src) throw new Error('zhsearch embed.js：无法确定脚本地址（请用 <script src="…/embed.js"> 引入，不要内联）');
    const root = new URL('./', script.src).href;
    const data = script.dataset;
    const container = data.target ? document.querySelector<HTMLElement>(data.target) : null;
    if (data.target && !container) console.warn(`zhsearch embed.js：找不到 data-target="${data.target}" 指定的元素，改用浮动按钮`);
    if (data.style !== 'none') document.head.append(Object.assign(document.createElement('style'), { textContent: css }));
    const size = Number(data.size);
    mountSearchBox({
      client: clientFor(root),
      root,
      mode: data.mode === 'inline' || data.mode === 'overlay' ? data.mode : container ? 'inline' : 'overlay',
      container,
      facets: data.facets === 'true',
      size: Number.isInteger(size) && size >= 1 && size <= 50 ? size : 8,
      placeholder: data.placeholder ?? '搜索文章',
    });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}
