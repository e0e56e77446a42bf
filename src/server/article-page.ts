/** Server-rendered page of one article at /articles/<id>: title, meta, text, related articles. */
import type { StoredArticle } from '../index/types.js';
import type { SearchHit } from '../search/types.js';
import { escapeHtml } from '../search/index.js';
import { pageShell, safeHref, searchLink } from './html.js';

/** `base` is the server's path prefix (`/` or e.g. `/search/`), for links back to the search page. */
export function renderArticlePage(article: StoredArticle, related: SearchHit[], base: string): string {
  const meta: string[] = [];
  if (article.date) meta.push(`<time datetime="${escapeHtml(article.date)}">${escapeHtml(article.date.slice(0, 10))}</time>`);
  if (article.author) meta.push(`<a href="${escapeHtml(searchLink({ author: article.author }, base))}">${escapeHtml(article.author)}</a>`);
  const chips = [
    ...article.categories.map((c) => chip(c, { category: c }, base)),
    ...article.tags.map((t) => chip(t, { tag: t }, base)),
  ];
  const keywords = article.keywords.map((k) => chip(k, { q: k }, base));
  // The text keeps headings as their own paragraphs; show those as headings.
  const headings = new Set(article.headings.map((h) => h.trim()));
  const paragraphs = article.text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => (headings.has(p) ? `<h2>${escapeHtml(p)}</h2>` : `<p>${escapeHtml(p)}</p>`));
  const body = `<article class="article">
<h1>${escapeHtml(article.title)}</h1>
<p class="meta">${meta.join(' · ')}</p>
${chips.length > 0 ? `<p class="chips">${chips.join('')}</p>` : ''}
${keywords.length > 0 ? `<p class="chips keywords"><span class="label">关键词</span>${keywords.join('')}</p>` : ''}
<div class="article-text">
${paragraphs.length > 0 ? paragraphs.join('\n') : '<p class="empty">（正文为空）</p>'}
</div>
</article>
${related.length > 0 ? `<section class="related"><h2>相关文章</h2><ol>${related.map(relatedItem).join('')}</ol></section>` : ''}`;
  return pageShell(article.title, body, base);
}

function chip(label: string, params: Record<string, string>, base: string): string {
  return `<a class="chip" href="${escapeHtml(searchLink(params, base))}">${escapeHtml(label)}</a>`;
}

function relatedItem(hit: SearchHit): string {
  const date = hit.date ? ` <time datetime="${escapeHtml(hit.date)}">${escapeHtml(hit.date.slice(0, 10))}</time>` : '';
  return `<li><a href="${escapeHtml(safeHref(hit.url))}">${escapeHtml(hit.title)}</a>${date}</li>`;
}
