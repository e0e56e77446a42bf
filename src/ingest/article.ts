import { hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { decodeText } from './decode.js';
import { fileErrorReason } from './file-errors.js';
import { corpusFilePath } from './files.js';
import { CATEGORY_SEPARATOR, categoryPaths, normalizeDate, normalizeList, scalarText, toJsonSafe } from './fields.js';
import { splitFrontMatter } from './frontMatter.js';
import { htmlToText, type TextBlock } from './html.js';
import { isHtmlBody, markdownToHtml } from './markdown.js';
import { DEFAULT_TIME_ZONE } from './timeZone.js';
import type { Article, CorpusFile, IngestOptions, IngestResult, SiteSettings } from './types.js';
import { publicUrl } from './url.js';

/** A plain folder of articles: no site, dates in DEFAULT_TIME_ZONE. */
export const PLAIN_SITE: SiteSettings = { hexo: null, timeZone: DEFAULT_TIME_ZONE, baseUrl: null, drafts: false, includeHidden: false };

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const SUMMARY_MAX_CHARS = 200;

/**
 * One article file's bytes → an Article, or an IngestError saying why not. Never throws: a failure
 * inside a parser (marked overflows its stack on 20,000 nested `>`) becomes an IngestError too.
 * Pure and synchronous, so it can run in worker threads.
 */
export function parseArticle(id: string, bytes: Uint8Array, options: IngestOptions = {}, birthtimeMs = 0): IngestResult {
  try {
    return parseBytes(id, bytes, options, birthtimeMs);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    return failure(id, `无法解析文件：${message}`);
  }
}

function parseBytes(id: string, bytes: Uint8Array, options: IngestOptions, birthtimeMs: number): IngestResult {
  const site = options.site ?? PLAIN_SITE;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.length > maxBytes) return failure(id, oversizeReason(bytes.length, maxBytes));

  const decoded = decodeText(bytes);
  if (!decoded.ok) return failure(id, decoded.reason);
  const frontMatter = splitFrontMatter(decoded.text.replace(/\r\n?/g, '\n'));
  if (!frontMatter.ok) return failure(id, frontMatter.reason, frontMatter.line);

  const { data } = frontMatter;
  // Hexo shows `published: false` posts only with drafts (render_drafts / --draft).
  if (data.published === false && !site.drafts) return { ok: false, notPublished: { id, reason: 'published: false' } };
  const warnings: string[] = [];
  if (decoded.encoding === 'gb18030') warnings.push('encoding：不是有效的 UTF-8，已按 GB18030 解码');

  const html = /\.html$/i.test(id) || isHtmlBody(frontMatter.body) ? frontMatter.body : markdownToHtml(frontMatter.body);
  const { blocks, documentTitle } = htmlToText(html);
  if (blocks.length === 0) warnings.push('body：正文为空，只按标题索引');
  const headings = blocks.filter((b) => b.kind === 'heading').map((b) => b.text);

  const date = normalizeDate(data.date, 'date', site.timeZone);
  const updated = normalizeDate(data.updated, 'updated', site.timeZone);
  // Hexo reads `category` and `tag` when `categories` and `tags` are absent.
  const categories = data.categories !== undefined ? categoryPaths(data.categories) : categoryPaths(data.category, 'category');
  const tags = data.tags !== undefined ? normalizeList(data.tags, 'tags') : normalizeList(data.tag, 'tag');
  warnings.push(...date.warnings, ...updated.warnings, ...categories.warnings, ...tags.warnings);

  const article: Article = {
    id,
    title: chooseTitle(id, scalarText(data.title), frontMatter.hasFrontMatter, documentTitle, headings, warnings),
    date: date.value,
    updated: updated.value,
    author: authorName(data.author),
    categories: categories.value.map((path) => path.join(CATEGORY_SEPARATOR)),
    tags: tags.value,
    url: publicUrl({ id, frontMatter: data, categoryPaths: categories.value, birthtimeMs }, site, warnings),
    description: descriptionOf(data),
    headings,
    summary: summaryOf(blocks),
    text: blocks.map((b) => b.text).join('\n\n'),
    // One call: with a Hash object per file, hashing a post's bytes took ~1.8x the CPU.
    contentHash: hash('sha256', bytes, 'hex'),
    encoding: decoded.encoding,
    bytes: bytes.length,
    frontMatter: toJsonSafe(data) as Record<string, unknown>,
    warnings,
  };
  return { ok: true, article };
}

/**
 * Reads a listed file and parses it. The size limit is checked on the open file before reading,
 * so an oversized file is never loaded into memory.
 */
export async function readArticle(file: CorpusFile, options: IngestOptions = {}): Promise<IngestResult> {
  const read = readFileBytes(file, options.maxBytes ?? DEFAULT_MAX_BYTES);
  if (!('bytes' in read)) return read;
  const result = parseArticle(file.id, read.bytes, options, read.birthtimeMs);
  if (result.ok && file.nameWarning !== undefined) result.article.warnings.unshift(`文件名：${file.nameWarning}`);
  return result;
}

/**
 * Synchronous on purpose: for small local files open/fstat/read/close cost about a tenth of the CPU
 * of the promise API (measured on the 27,855-file scale corpus), and parsing is synchronous anyway.
 */
function readFileBytes(file: CorpusFile, maxBytes: number): { bytes: Uint8Array; birthtimeMs: number } | IngestResult {
  let fd: number | undefined;
  try {
    fd = openSync(corpusFilePath(file), 'r');
    const { size, birthtimeMs } = fstatSync(fd);
    if (size > maxBytes) return failure(file.id, oversizeReason(size, maxBytes));
    const bytes = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read);
      if (n === 0) break; // the file shrank since fstat
      read += n;
    }
    return { bytes: bytes.subarray(0, read), birthtimeMs };
  } catch (error) {
    return failure(file.id, `无法读取文件：${fileErrorReason(error)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function failure(id: string, reason: string, line?: number): IngestResult {
  return { ok: false, error: line === undefined ? { id, reason } : { id, reason, line } };
}

function oversizeReason(size: number, maxBytes: number): string {
  return `文件有 ${size} 字节，超过大小上限 ${maxBytes} 字节（maxBytes）`;
}

/**
 * Front-matter title; without one, the HTML `<title>`, the first heading, then the file name.
 * A front matter that has a blank title (the RSS site writes `title: ' '`) falls back the same way.
 */
function chooseTitle(
  id: string,
  frontMatterTitle: string | null,
  hasFrontMatter: boolean,
  documentTitle: string | null,
  headings: string[],
  warnings: string[],
): string {
  if (frontMatterTitle) return frontMatterTitle;
  const fileName = (id.slice(id.lastIndexOf('/') + 1).replace(/\.(md|markdown|html)$/i, '')).trim();
  const [source, title] = documentTitle
    ? ['HTML 的 <title>', documentTitle]
    : headings[0]
      ? ['第一个标题', headings[0]]
      : ['文件名', fileName];
  if (hasFrontMatter) warnings.push(`title：front matter 中没有标题或标题为空，改用${source}`);
  if (!title) warnings.push('title：找不到标题，标题为空');
  return title;
}

function authorName(raw: unknown): string | null {
  // Hexo themes also accept `author: {name: …, link: …}`.
  const name = raw !== null && typeof raw === 'object' && 'name' in raw ? (raw as { name: unknown }).name : raw;
  return scalarText(name) || null;
}

/** Front matter `description`, else `excerpt` (Hexo themes use either), whitespace collapsed. */
function descriptionOf(data: Record<string, unknown>): string {
  const text = scalarText(data.description) || scalarText(data.excerpt) || '';
  return text.replace(/\s+/g, ' ').trim();
}

/** The first paragraph, at most SUMMARY_MAX_CHARS characters (code points) with '…' when cut. */
function summaryOf(blocks: TextBlock[]): string {
  const first = blocks.find((b) => b.kind === 'paragraph')?.text ?? '';
  if (first.length <= SUMMARY_MAX_CHARS) return first; // UTF-16 length ≥ code points
  const chars = Array.from(first.slice(0, SUMMARY_MAX_CHARS * 2)); // a code point is at most 2 units
  const whole = chars.length <= SUMMARY_MAX_CHARS && first.length <= SUMMARY_MAX_CHARS * 2;
  return whole ? first : chars.slice(0, SUMMARY_MAX_CHARS - 1).join('') + '…';
}
