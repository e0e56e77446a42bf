// cheerio/slim parses with htmlparser2: several times faster than the parse5 default on 28k posts, and
// article bodies need no browser-exact tree building.
import { load } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';

export interface TextBlock {
  kind: 'paragraph' | 'heading' | 'code';
  text: string;
}

export interface HtmlText {
  blocks: TextBlock[];
  /** Text of `<title>`, for whole HTML documents. */
  documentTitle: string | null;
}

/** Elements whose content is not article text: scripts, styling, vector graphics, forms, embedded media. */
const DROPPED = new Set([
  'script', 'style', 'svg', 'math', 'button', 'form', 'input', 'select', 'textarea', 'option', 'label',
  'iframe', 'frame', 'object', 'embed', 'noscript', 'template', 'canvas', 'video', 'audio', 'map',
]);

/** Elements that start and end a paragraph of text. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'details', 'dialog', 'dir', 'div', 'dl',
  'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'header', 'hgroup', 'hr', 'html', 'li', 'main', 'menu',
  'nav', 'ol', 'p', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'caption', 'ul', 'br',
]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const CELLS = new Set(['td', 'th']);

/** Tip-jar widgets ("给作者打赏" / 赞赏 buttons) that follow many Chinese posts. */
const WIDGET_CLASSES = ['support-author', 'reward', 'donate', 'tip-jar'];

/**
 * HTML → text blocks. Paragraph-like elements and `<br>` end a block, headings and `<pre>` are blocks of
 * their own; whitespace inside a block is collapsed (U+3000 indents and U+00A0 included) and a line
 * break between two CJK characters disappears, as browsers render it. Entities are decoded by the parser.
 */
export function htmlToText(html: string): HtmlText {
  const $ = load(html);
  const walker = new BlockWalker();
  walker.walk($.root()[0]!.children);
  return { blocks: walker.blocks, documentTitle: walker.documentTitle };
}

/** Work left on the walk's stack: a node to visit, or the end of an element's block. */
type Step = AnyNode | { endBlock: 'paragraph' | 'heading' } | { inline: string };

/**
 * Walks the tree with an explicit stack, not recursion: posts nest `<span>`s many levels deep
 * (19 in one 开源中国 post) and a hostile file can nest 100,000.
 */
class BlockWalker {
  readonly blocks: TextBlock[] = [];
  documentTitle: string | null = null;
  private inline: string[] = [];

  walk(nodes: AnyNode[]): void {
    const stack: Step[] = [...nodes].reverse();
    for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
      if ('endBlock' in step) this.flush(step.endBlock);
      else if ('inline' in step) this.inline.push(step.inline);
      else if (step.type === 'text') this.inline.push(step.data);
      else if (step.type === 'tag' || step.type === 'script' || step.type === 'style') this.element(step as Element, stack);
      // comments, CDATA and doctype carry no article text
    }
    this.flush('paragraph');
  }

  /** Handles an element now and pushes its children (and what ends it) onto the stack. */
  private element(el: Element, stack: Step[]): void {
    const name = el.name.toLowerCase();
    if (name === 'title') {
      this.documentTitle ??= collapse(textContent(el)) || null;
      return;
    }
    if (DROPPED.has(name) || isHidden(el)) return;
    let end: Step | null = null;
    if (name === 'pre') {
      this.flush('paragraph');
      const code = codeText(textContent(el));
      if (code !== '') this.blocks.push({ kind: 'code', text: code });
      return;
    } else if (HEADINGS.has(name)) {
      this.flush('paragraph');
      end = { endBlock: 'heading' };
    } else if (BLOCKS.has(name)) {
      this.flush('paragraph');
      end = { endBlock: 'paragraph' };
    } else if (CELLS.has(name)) {
      this.inline.push(' ');
      end = { inline: ' ' };
    }
    if (end) stack.push(end);
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]!);
  }

  /** Ends the current block; empty blocks are skipped. */
  private flush(kind: 'paragraph' | 'heading'): void {
    const text = collapse(this.inline.join(''));
    this.inline = [];
    if (text !== '') this.blocks.push({ kind, text });
  }
}

function isHidden(el: Element): boolean {
  const { attribs } = el;
  if ('hidden' in attribs || attribs['aria-hidden'] === 'true') return true;
  if (attribs.style && /display\s*:\s*none/i.test(attribs.style)) return true;
  const classes = attribs.class;
  return classes !== undefined && WIDGET_CLASSES.some((c) => classes.split(/\s+/).includes(c));
}

/**
 * Raw text of an element, skipping dropped elements inside it (iteratively, like the walker).
 * A `<br>` is a line break unless the source line ends right after it (editors write `line<br>\n`
 * in code blocks: one break, not two).
 */
function textContent(el: Element): string {
  let text = '';
  const stack: AnyNode[] = [...el.children].reverse();
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === 'text') {
      text += node.data;
    } else if (node.type === 'tag' && !DROPPED.has(node.name.toLowerCase())) {
      if (node.name.toLowerCase() !== 'br') {
        for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
      } else if (!(node.next?.type === 'text' && node.next.data.startsWith('\n'))) {
        text += '\n';
      }
    }
  }
  return text;
}

/**
 * A code block's text: common indentation removed (editors indent whole blocks), trailing spaces and
 * outer blank lines dropped, blank-line runs kept single so that "\n\n\n" never appears in Article.text.
 */
function codeText(raw: string): string {
  const lines = raw.replace(/[^\S\n]+$/gm, '').split('\n');
  const indents = lines.filter((l) => l !== '').map((l) => /^[^\S\n]*/.exec(l)![0].length);
  const common = indents.length > 0 ? indents.reduce((a, b) => Math.min(a, b)) : 0;
  return lines
    .map((l) => l.slice(common))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const CJK = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/;

/**
 * Collapses whitespace runs to one space and trims. A run that contains a line break between two CJK
 * characters is removed: the break is a source-code wrap, not a word gap (CSS Text 3 segment-break rule).
 */
function collapse(text: string): string {
  return text
    .replace(/\s+/g, (run, offset: number, whole: string) =>
      run.includes('\n') && CJK.test(whole[offset - 1] ?? '') && CJK.test(whole[offset + run.length] ?? '') ? '' : ' ',
    )
    .trim();
}
