/** HTML of the pages rendered outside the browser (the server's, a static export's): every interpolated string goes through escapeHtml. */

import { escapeHtml } from '../search/portable.js';
// The page's own date rules (no DOM in that module), so server-rendered and script-rendered dates agree.
import { localDateTime } from './dates.js';

/**
 * Only http(s), site-relative and document-relative (`../`, a static export's article pages) links: a `javascript:`
 * permalink in some front matter must not become a live link.
 */
export function safeHref(url: string): string | null {
  if (/^\/(?!\/)/.test(url) || /^\.\.?\//.test(url)) return url;
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** A link to the search page at `root` with the given query parameters. */
export function searchLink(root: string, params: Record<string, string>): string {
  return `${root}?${new URLSearchParams(params).toString()}`;
}

/** A <time> of an API date in the article's own zone (see localDateTime), never the server's zone. */
export function articleDate(value: string | null, withTime = true): string {
  const local = value ? localDateTime(value) : null;
  if (!local) return '';
  const { date, time } = local;
  const shown = withTime && time !== '00:00' ? `${date} ${time}` : date;
  return `<time datetime="${escapeHtml(value!)}">${escapeHtml(shown)}</time>`;
}

export interface ShellOptions {
  /** The server's path prefix (`/`, `/search/`). */
  root: string;
  /** Prefilled in the search box. */
  q?: string;
  /** `data-page` of the body, which the page script reads. */
  page?: string;
  /** Id of the main content, the target of the skip link. */
  skipTo?: string;
  /** Stylesheet and page script, when not the server's `<root>style.css` and `<root>app.js` (a static export's hashed names). */
  assets?: PageAssets;
}

export interface PageAssets {
  style: string;
  script: string;
  /** Module chunks the script imports, fetched with it (a static export's page script is split into chunks). */
  preload?: string[];
}

/**
 * Module chunks a page script imports before it runs, fetched with the script instead of after it (a module's
 * imports are found once it is parsed); browsers without modulepreload fetch them when imported.
 */
export function modulePreloads(hrefs: readonly string[]): string {
  return hrefs.map((href) => `<link rel="modulepreload" href="${escapeHtml(href)}">\n`).join('');
}

/** The frame of server-rendered pages: same stylesheet and script as the search page, a search box in the top bar. */
export function pageShell(title: string, body: string, options: ShellOptions): string {
  const root = escapeHtml(options.root);
  const skip = options.skipTo ? `<a class="skip-link" href="#${escapeHtml(options.skipTo)}">跳到正文</a>\n` : '';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)} · zhsearch</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${escapeHtml(options.assets?.style ?? `${options.root}style.css`)}">
${options.page ? `<script type="module" src="${escapeHtml(options.assets?.script ?? `${options.root}app.js`)}"></script>\n` : ''}${modulePreloads(options.assets?.preload ?? [])}</head>
<body${options.page ? ` data-page="${escapeHtml(options.page)}"` : ''} data-root="${root}">
${skip}<header class="topbar"><a class="brand" href="${root}">zhsearch 中文搜索</a>
<form id="search-form" class="searchbox" role="search" action="${root}" method="get" autocomplete="off">
<label for="q" class="visually-hidden">搜索词</label>
<input id="q" name="q" type="search" maxlength="256" enterkeyhint="search" placeholder="搜索文章" value="${escapeHtml(options.q ?? '')}"
  role="combobox" aria-autocomplete="list" aria-controls="suggestions" aria-expanded="false">
<button type="submit">搜索</button>
<ul id="suggestions" class="suggestions" aria-label="搜索建议" hidden></ul>
</form></header>
<main class="page">
${body}
</main>
</body>
</html>
`;
}
