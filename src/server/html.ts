/** HTML building for the server-rendered article page: every interpolated string goes through escapeHtml. */

import { escapeHtml } from '../search/index.js';

/** Only site-relative and http(s) links: a `javascript:` permalink in some front matter must not become a live link. */
export function safeHref(url: string): string {
  return /^(https?:\/\/|\/)/i.test(url) ? url : '#';
}

/** A link to the search page (at `base`, the server's path prefix) with the given query parameters. */
export function searchLink(params: Record<string, string>, base: string): string {
  return `${base}?${new URLSearchParams(params).toString()}`;
}

/** The page frame shared by server-rendered pages (same stylesheet as the search page, no script). */
export function pageShell(title: string, body: string, base: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · zhsearch</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${escapeHtml(base)}style.css">
</head>
<body>
<header class="topbar"><a class="brand" href="${escapeHtml(base)}">zhsearch 中文搜索</a></header>
<main class="page">
${body}
</main>
</body>
</html>
`;
}
