import { Marked } from 'marked';
import { replaceTagPlugins } from './tagPlugins.js';

// A private instance: other code configuring the global `marked` must not change how articles read.
const marked = new Marked({ gfm: true, async: false });
// No indented code blocks: in posts that mix Markdown and HTML, indentation nests markup
// (`    <ul><li>…`), and as a code block that markup would become literal text full of tags
// (109 LeetCode posts of the scale corpus). Fenced code blocks still work.
marked.use({ tokenizer: { code: () => undefined } });

const OPENS_WITH_BLOCK_ELEMENT =
  /^\s*<(?:div|p|section|article|main|table|h[1-6]|ul|ol|blockquote|pre|figure|header|html|body|!doctype)[\s>/]/i;
const CLOSES_WITH_END_TAG = /<\/[a-z][a-z0-9]*>\s*$/i;

/**
 * Whether a `.md` body is all HTML (as RSS-to-Hexo sites write it: `<div>…</div>`) rather than Markdown.
 * Such bodies must not go through Markdown: their blank lines and deep indents would turn markup into
 * code blocks. Markdown that merely starts with an HTML block (a `<p>` paragraph, then a `[link](…)`)
 * does not end with an end tag, and goes through Markdown.
 */
export function isHtmlBody(body: string): boolean {
  return OPENS_WITH_BLOCK_ELEMENT.test(body) && CLOSES_WITH_END_TAG.test(body.slice(-200));
}

/**
 * Markdown (with embedded HTML, as Hexo allows) → HTML. Text between Hexo tag markers is kept, and so are the
 * markers' text arguments.
 */
export function markdownToHtml(markdown: string): string {
  return marked.parse(replaceTagPlugins(markdown)) as string;
}
