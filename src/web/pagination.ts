/** Page buttons under the results: previous, a window of five pages, next. */
import type { SearchResult } from '../search/types.js';
import { button } from './dom.js';

export function pageCount(result: Pick<SearchResult, 'total' | 'size'>): number {
  return Math.ceil(result.total / result.size);
}

export function renderPagination(root: HTMLElement, result: SearchResult, goTo: (page: number) => void): void {
  const pages = pageCount(result);
  const current = result.page;
  if (pages <= 1 || current > pages) return root.replaceChildren();
  const first = Math.max(1, Math.min(current - 2, pages - 4));
  const last = Math.min(pages, first + 4);
  const pageButton = (page: number, text: string, label: string, key: string) => {
    const node = button(text, 'page', () => goTo(page));
    node.setAttribute('aria-label', label);
    node.dataset.focus = key;
    if (page === current && key === `page:${page}`) node.setAttribute('aria-current', 'page');
    node.disabled = page < 1 || page > pages || (page === current && key === `page:${page}`);
    return node;
  };
  const items = [pageButton(current - 1, '上一页', '上一页', 'page:previous')];
  for (let page = first; page <= last; page++) items.push(pageButton(page, String(page), `第 ${page} 页`, `page:${page}`));
  items.push(pageButton(current + 1, '下一页', '下一页', 'page:next'));
  root.replaceChildren(...items);
}
