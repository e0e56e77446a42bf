/**
 * What peers are fed: each post's text as zhsearch's ingest extracts it, segmented once with @node-rs/jieba
 * (search mode), so every jieba-token peer indexes exactly the same tokens.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

export interface PeerDoc {
  /** Corpus-relative path, the same id zhsearch and the qrels use. */
  id: string;
  title: string;
  /** Categories and tags, space-separated. */
  tags: string;
  body: string;
  /** First category (the source label in the scale corpus), used by filtered queries. */
  category: string;
  /** The same three fields as space-separated jieba search-mode tokens. */
  titleTokens: string;
  tagTokens: string;
  bodyTokens: string;
}

export type Tokenize = (text: string) => string[];

/** NFKC, lowercase, jieba cutForSearch with HMM; tokens without a letter or digit (spaces, punctuation) are dropped. */
export function createJiebaTokenizer(): Tokenize {
  const jieba = Jieba.withDict(dict);
  return (text) =>
    jieba
      .cutForSearch(text.normalize('NFKC').toLowerCase(), true)
      .filter((token) => /[\p{L}\p{N}]/u.test(token));
}

export function toPeerDoc(
  article: { id: string; title: string; text: string; categories: string[]; tags: string[] },
  tokenize: Tokenize,
): PeerDoc {
  const tags = [...article.categories, ...article.tags].join(' ');
  return {
    id: article.id,
    title: article.title,
    tags,
    body: article.text,
    category: article.categories[0] ?? '',
    titleTokens: tokenize(article.title).join(' '),
    tagTokens: tokenize(tags).join(' '),
    bodyTokens: tokenize(article.text).join(' '),
  };
}

/** One part of a query: a whitespace-separated word, or a quoted phrase. */
export interface QueryPart {
  raw: string;
  phrase: boolean;
  tokens: string[];
}

export interface PeerQuery {
  /** The query with quotes removed. */
  text: string;
  parts: QueryPart[];
  /** Only documents whose first category is this. */
  category?: string;
}

/** Splits a query the way zhsearch reads it: whitespace separates parts, "double quotes" make a phrase. */
export function parsePeerQuery(query: string, tokenize: Tokenize, category?: string): PeerQuery {
  const parts: QueryPart[] = [];
  for (const match of query.matchAll(/"([^"]*)"|(\S+)/g)) {
    const raw = (match[1] ?? match[2] ?? '').trim();
    if (!raw) continue;
    parts.push({ raw, phrase: match[1] !== undefined, tokens: tokenize(raw) });
  }
  return { text: parts.map((p) => p.raw).join(' '), parts, ...(category ? { category } : {}) };
}

/** All distinct tokens of a query, in order. */
export function queryTokens(query: PeerQuery): string[] {
  return [...new Set(query.parts.flatMap((p) => p.tokens))];
}

export function writeDocsFile(file: string, docs: Iterable<PeerDoc>): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const doc of docs) fs.writeSync(fd, `${JSON.stringify(doc)}\n`);
  } finally {
    fs.closeSync(fd);
  }
}

export async function readDocsFile(file: string): Promise<PeerDoc[]> {
  const docs: PeerDoc[] = [];
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) if (line) docs.push(JSON.parse(line) as PeerDoc);
  return docs;
}
