import { Marked } from 'marked';

// A private instance: other code configuring the global `marked` must not change how articles read.
const marked = new Marked({ gfm: true, async: false });

const HTML_BLOCK_START =
  /^\s*<(?:div|p|section|article|main|table|h[1-6]|ul|ol|blockquote|pre|figure|header|html|body|!doctype)[\s>/]/i;
const MARKDOWN_SYNTAX = /^(?:#{1,6}\s|```|~~~)/m;

/**
 * Whether a `.md` body is already HTML (as RSS-to-Hexo sites write it) rather than Markdown.
 * Such bodies must not go through Markdown: their blank lines and deep indents would turn markup into
 * code blocks. A body that opens with a block element and has no Markdown headings or fences is HTML.
 */
export function isHtmlBody(body: string): boolean {
  return HTML_BLOCK_START.test(body) && !MARKDOWN_SYNTAX.test(body);
}

/** Markdown (with embedded HTML, as Hexo allows) → HTML. */
export function markdownToHtml(markdown: string): string {
  return marked.parse(markdown) as string;
}
