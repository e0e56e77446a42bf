// A streaming htmlparser2 parse: the article's text comes from the parser's events directly, without building a
// DOM (the tree cheerio would build from the same events cost more than the parse itself on 28k posts).
import { Parser } from 'htmlparser2';

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
  const collector = new BlockCollector();
  const parser = new Parser(collector, { decodeEntities: true });
  parser.write(html);
  parser.end();
  return { blocks: collector.blocks, documentTitle: collector.documentTitle };
}

/** What an open element does when it closes. */
type Frame = 'none' | 'heading' | 'block' | 'cell' | 'skip' | 'pre' | 'title';

/**
 * Builds the blocks from the parser's events. The parser opens and closes elements as the tree it would build
 * nests them (implied ends, void elements), so a stack of frames, one per open element, mirrors that tree without
 * keeping it: deep nesting (a hostile file can nest 100,000 `<span>`s) costs one array entry per level.
 */
class BlockCollector {
  readonly blocks: TextBlock[] = [];
  documentTitle: string | null = null;
  private inline: string[] = [];
  private readonly frames: Frame[] = [];
  /** Open elements whose content is dropped (the dropped element included); 0 outside them. */
  private skipDepth = 0;
  /** Inside `<pre>` or `<title>`: their raw text (see rawText rules below), else null. */
  private raw: string[] | null = null;
  /** A `<br>` inside raw text, waiting to see whether the next node is text starting with a line break. */
  private pendingBreak = false;

  onopentag(name: string, attribs: Record<string, string>): void {
    this.settleBreak(false);
    if (this.skipDepth > 0) {
      this.skipDepth++;
      this.frames.push('skip');
      return;
    }
    if (this.raw !== null) {
      // Inside raw text only dropped elements are skipped (not hidden ones), and `<br>` is a line break.
      if (DROPPED.has(name)) {
        this.skipDepth = 1;
        this.frames.push('skip');
      } else {
        this.frames.push(name === 'br' ? 'block' : 'none');
      }
      return;
    }
    if (name === 'title') {
      this.raw = [];
      this.frames.push('title');
    } else if (DROPPED.has(name) || isHidden(attribs)) {
      this.skipDepth = 1;
      this.frames.push('skip');
    } else if (name === 'pre') {
      this.flush('paragraph');
      this.raw = [];
      this.frames.push('pre');
    } else if (HEADINGS.has(name)) {
      this.flush('paragraph');
      this.frames.push('heading');
    } else if (BLOCKS.has(name)) {
      this.flush('paragraph');
      this.frames.push('block');
    } else if (CELLS.has(name)) {
      this.inline.push(' ');
      this.frames.push('cell');
    } else {
      this.frames.push('none');
    }
  }

  onclosetag(): void {
    const frame = this.frames.pop();
    if (this.skipDepth > 0) {
      this.skipDepth--;
      return;
    }
    if (this.raw !== null) {
      if (frame === 'pre' || frame === 'title') {
        this.settleBreak(false);
        const text = this.raw.join('');
        this.raw = null;
        if (frame === 'title') {
          this.documentTitle ??= collapse(text) || null;
        } else {
          const code = codeText(text);
          if (code !== '') this.blocks.push({ kind: 'code', text: code });
        }
      } else if (frame === 'block') {
        // A `<br>` inside raw text (the only element given 'block' there): resolved by what follows it.
        this.settleBreak(false);
        this.pendingBreak = true;
      } else {
        this.settleBreak(false);
      }
      return;
    }
    if (frame === 'heading') this.flush('heading');
    else if (frame === 'block') this.flush('paragraph');
    else if (frame === 'cell') this.inline.push(' ');
  }

  ontext(data: string): void {
    if (this.skipDepth > 0) return;
    if (this.raw !== null) {
      this.settleBreak(data.startsWith('\n'));
      this.raw.push(data);
    } else {
      this.inline.push(data);
    }
  }

  // Comments and processing instructions carry no text, but they are the node after a `<br>`.
  oncomment(): void {
    this.settleBreak(false);
  }

  onprocessinginstruction(): void {
    this.settleBreak(false);
  }

  onend(): void {
    this.flush('paragraph');
  }

  /**
   * A `<br>` inside raw text is a line break unless the source line ends right after it (editors write
   * `line<br>\n` in code blocks: one break, not two), i.e. unless the next node is text starting with one.
   */
  private settleBreak(nextIsLineBreak: boolean): void {
    if (!this.pendingBreak) return;
    this.pendingBreak = false;
    if (!nextIsLineBreak && this.raw !== null && this.skipDepth === 0) this.raw.push('\n');
  }

  /** Ends the current block; empty blocks are skipped. */
  private flush(kind: 'paragraph' | 'heading'): void {
    const text = collapse(this.inline.join(''));
    this.inline = [];
    if (text !== '') this.blocks.push({ kind, text });
  }
}

function isHidden(attribs: Record<string, string>): boolean {
  if ('hidden' in attribs || attribs['aria-hidden'] === 'true') return true;
  if (attribs.style && /display\s*:\s*none/i.test(attribs.style)) return true;
  const classes = attribs.class;
  return classes !== undefined && WIDGET_CLASSES.some((c) => classes.split(/\s+/).includes(c));
}

/** Line terminators other than \n, where a multiline regex's `$` also matches. */
const OTHER_LINE_ENDS = /[\r\u2028\u2029]/;

/**
 * A code block's text: common indentation removed (editors indent whole blocks), trailing spaces and
 * outer blank lines dropped, blank-line runs kept single so that "\n\n\n" never appears in Article.text.
 */
function codeText(raw: string): string {
  // Per line trimEnd() is the same as the multiline regex, and much cheaper on long code, when \n ends every line.
  const lines = OTHER_LINE_ENDS.test(raw) ? raw.replace(/[^\S\n]+$/gm, '').split('\n') : raw.split('\n').map((l) => l.trimEnd());
  const indents = lines.filter((l) => l !== '').map((l) => /^[^\S\n]*/.exec(l)![0].length);
  const common = indents.length > 0 ? indents.reduce((a, b) => Math.min(a, b)) : 0;
  return lines
    .map((l) => l.slice(common))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Whether a UTF-16 unit is white space as `\s` and trim() read it. */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return (
    code >= 0xa0 &&
    (code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 ||
      code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff)
  );
}

/** CJK ideographs, kana, Hangul and their punctuation and full-width forms. */
function isCjk(code: number): boolean {
  return (
    (code >= 0x2e80 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7af) || (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xffef)
  );
}

/**
 * Collapses whitespace runs to one space and trims. A run that contains a line break between two CJK
 * characters is removed: the break is a source-code wrap, not a word gap (CSS Text 3 segment-break rule).
 * A loop rather than a regex replace with a callback per run: it was a fifth of turning HTML into text.
 */
function collapse(text: string): string {
  let out = '';
  let copied = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    if (!isSpace(text.charCodeAt(i))) continue;
    const start = i;
    let lineBreak = false;
    for (; i < n && isSpace(text.charCodeAt(i)); i++) if (text.charCodeAt(i) === 0x0a) lineBreak = true;
    const joined = lineBreak && start > 0 && i < n && isCjk(text.charCodeAt(start - 1)) && isCjk(text.charCodeAt(i));
    // A single space stays as it is: nothing to copy.
    if (!joined && i - start === 1 && text.charCodeAt(start) === 0x20) continue;
    out += text.slice(copied, start) + (joined ? '' : ' ');
    copied = i;
  }
  return (copied === 0 ? text : out + text.slice(copied)).trim();
}
