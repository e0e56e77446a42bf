/**
 * The HTML page of one article, the server's /articles/<id> or a static export's zhsearch/articles/<id>.html: a search
 * box, the way back to the results it was opened from (`?q=`), title, meta, text, related articles. Links start at
 * `root` (the server's path prefix `/` or `/search/`, so the site works behind a proxy; the export's relative search
 * page). The page script marks the query words (`?hl=`) and drives the search box's suggestions.
 */
import type { StoredArticle } from '../index/types.js';
import type { SearchHit } from '../search/types.js';
import { escapeHtml } from '../search/portable.js';
import { articleDate, pageShell, safeHref, searchLink, type PageAssets } from './page-html.js';

export interface ArticlePageOptions {
  /** The search page: the server's path prefix, `/` or e.g. `/search/`; a static export's relative `../index.html`. */
  root: string;
  /** A static export's stylesheet and page script (else the server's, under `root`). */
  assets?: PageAssets;
  /** The query that led here, if any. */
  q: string;
  /**
   * Leave the text out: the page script loads it by the article's id (a static export, whose chunks hold the text
   * compressed already; a copy in every page made most of the exported folder).
   */
  loadText?: boolean;
}

/** An article's text as HTML paragraphs, its headings as headings. */
export function articleTextHtml(article: Pick<StoredArticle, 'text' | 'headings'>): string {
  // The text keeps headings as their own paragraphs; show those as headings.
  const headings = new Set(article.headings.map((h) => h.trim()));
  const paragraphs = article.text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => (headings.has(p) ? `<h2>${escapeHtml(p)}</h2>` : `<p>${escapeHtml(p)}</p>`));
  return paragraphs.length > 0 ? paragraphs.join('\n') : '<p class="empty">（正文为空）</p>';
}

export function renderArticlePage(article: StoredArticle, related: SearchHit[], options: ArticlePageOptions): string {
  const { root, q } = options;
  const link = (params: Record<string, string>) => escapeHtml(searchLink(root, params));
  const meta: string[] = [];
  const date = articleDate(article.date);
  if (date) meta.push(date);
  if (article.author) meta.push(`<a href="${link({ author: article.author })}">${escapeHtml(article.author)}</a>`);
  const chips = [
    ...article.categories.map((c) => chip(c, link({ category: c }))),
    ...article.tags.map((t) => chip(t, link({ tag: t }))),
  ];
  const keywords = article.keywords.map((k) => chip(k, link({ q: k })));
  const back = q
    ? `<a class="back" href="${link({ q })}">← 返回“${escapeHtml(q)}”的搜索结果</a>`
    : `<a class="back" href="${escapeHtml(root)}">← 返回搜索</a>`;
  const body = `<nav aria-label="返回">${back}</nav>
<article class="article" id="article" tabindex="-1">
<h1>${escapeHtml(article.title)}</h1>
<p class="meta">${meta.join(' · ')}</p>
${chips.length > 0 ? `<p class="chips">${chips.join('')}</p>` : ''}
${keywords.length > 0 ? `<p class="chips keywords"><span class="label">关键词</span>${keywords.join('')}</p>` : ''}
${
  options.loadText
    ? `<div class="article-text" data-article="${escapeHtml(article.id)}" aria-busy="true">\n<p class="loading">正在加载正文…</p>\n</div>`
    : `<div class="article-text">\n${articleTextHtml(article)}\n</div>`
}
</article>
${related.length > 0 ? `<section class="related" aria-labelledby="related-heading"><h2 id="related-heading">相关文章</h2><ol>${related.map(relatedItem).join('')}</ol></section>` : ''}`;
  return pageShell(article.title, body, { root, q, page: 'article', skipTo: 'article', assets: options.assets });
}

function chip(label: string, href: string): string {
  return `<a class="chip" href="${href}">${escapeHtml(label)}</a>`;
}

function relatedItem(hit: SearchHit): string {
  const href = safeHref(hit.url);
  const title = href === null ? escapeHtml(hit.title) : `<a href="${escapeHtml(href)}">${escapeHtml(hit.title)}</a>`;
  const date = articleDate(hit.date, false);
  return `<li>${title}${date ? ` ${date}` : ''}</li>`;
}
