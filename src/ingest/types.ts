/** What ingest produces: one clean record per article file. */

export type SourceEncoding = 'utf-8' | 'gb18030';

export interface Article {
  /** Path relative to the corpus root with '/' separators, e.g. `新媒体/36kr/资讯/x.md`. Stable across machines; eval qrels use it. */
  id: string;
  title: string;
  /** ISO 8601 (`2021-09-15T00:00:00.000Z`), or null when absent/invalid. */
  date: string | null;
  author: string | null;
  categories: string[];
  tags: string[];
  /** Front matter `permalink`/`url`, else the server route `/articles/<encoded id>`. */
  url: string;
  /** Section headings found in the body, in order. */
  headings: string[];
  /** First paragraph, shortened. */
  summary: string;
  /** Body as plain text; paragraphs and headings separated by blank lines ("\n\n"). */
  text: string;
  /** sha256 hex of the file's raw bytes, for change detection. */
  contentHash: string;
  encoding: SourceEncoding;
  /** Size of the file in bytes. */
  bytes: number;
  /** Every front-matter field as parsed, unknown ones included (JSON-safe values). */
  frontMatter: Record<string, unknown>;
  /** Non-fatal problems (empty body, invalid date, …), in Chinese or English, naming the field. */
  warnings: string[];
}

export interface IngestError {
  /** Corpus-relative id of the file (same form as Article.id). */
  id: string;
  /** Why the file was skipped, e.g. `invalid YAML front matter at line 3: …`. */
  reason: string;
  /** 1-based line in the file, where the problem has one. */
  line?: number;
}

export type IngestResult = { ok: true; article: Article } | { ok: false; error: IngestError };

export interface IngestOptions {
  /** Files larger than this are rejected (default 5 MB). */
  maxBytes?: number;
}

export interface CorpusFile {
  id: string;
  /** Absolute path on disk. */
  path: string;
  bytes: number;
}
