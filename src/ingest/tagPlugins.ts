/**
 * Hexo tag plugins (`{% blockquote 老王, 运维手记 %}`, `{% link 文字 https://… %}`, `{% note info %}`): the markers
 * are markup, but some of their arguments are text readers see on the page (a quote's author and source, a link's
 * text, an image's title). Those are kept; what only configures the tag is dropped.
 */
const HEXO_TAG = /\{%-?\s*([a-z_][\w-]*)([^%]*?)-?%\}/gi;

/** Tags whose words are style classes or options (`{% note info no-icon %}`, `{% pullquote right %}`), never text. */
const STYLE_TAGS = new Set(['note', 'pullquote', 'label', 'tabs', 'tab', 'btn', 'button', 'callout', 'alert', 'box', 'folding', 'fold', 'hide']);
/** Tags whose arguments are all addresses, ids or sizes (videos, embeds, raw blocks). */
const NO_TEXT_TAGS = new Set(['iframe', 'youtube', 'vimeo', 'jsfiddle', 'gist', 'raw', 'endraw', 'asset_path', 'post_path', 'include_code', 'include_raw', 'codeblock']);

/** An argument that is no text: a URL, a path or file name, an option (`lang:js`), a number or size. */
function isConfiguration(word: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(word) ||
    /^\/\//.test(word) ||
    /[/\\]/.test(word) ||
    /^[\w-]+\.[a-z0-9]{1,5}$/i.test(word) ||
    /^[a-z_]+:\S*$/i.test(word) ||
    /^\d+(?:\.\d+)?(?:px|em|rem|%)?$/i.test(word)
  );
}

/** The text arguments of one tag marker, or '' (end tags and configuration-only tags). */
export function tagText(name: string, args: string): string {
  const tag = name.toLowerCase();
  if (tag.startsWith('end') || NO_TEXT_TAGS.has(tag)) return '';
  const words = args.replace(/["']/g, ' ').split(/\s+/).filter((word) => word !== '');
  // post_link's first argument is a post's slug, not text.
  if (tag === 'post_link') words.shift();
  return words
    .filter((word) => !isConfiguration(word.replace(/[,，]$/, '')))
    .filter((word) => !(STYLE_TAGS.has(tag) && /^[\x21-\x7e]+$/.test(word)))
    .join(' ');
}

/** Markdown with every tag marker replaced by its text arguments (spaces around, so words stay apart). */
export function replaceTagPlugins(markdown: string): string {
  return markdown.replace(HEXO_TAG, (_marker, name: string, args: string) => {
    const text = tagText(name, args);
    return text === '' ? '' : ` ${text} `;
  });
}
