/** What ingest produces: one clean record per article file. */

export type SourceEncoding = 'utf-8' | 'gb18030';

export interface Article {
  /** Path relative to the corpus root with '/' separators, e.g. `新媒体/36kr/资讯/x.md`. Stable across machines; eval qrels use it. */
  id: string;
  title: string;
  /** In the site's time zone with its offset (`2022-03-01T07:30:00+08:00`), or null when absent/invalid. */
  date: string | null;
  /** Front matter `updated`, in the same form as `date`. */
  updated: string | null;
  author: string | null;
  /** Category paths, levels joined by CATEGORY_SEPARATOR (`编程 › 运维 › 笔记`), as Hexo nests them. */
  categories: string[];
  tags: string[];
  /**
   * Where readers open the article: the page a Hexo site publishes it at (`/2021/09/15/x/`, or under --base-url),
   * else the server route `/articles/<encoded id>`. Only ever http(s) or site-relative.
   */
  url: string;
  /** Front matter `description` or `excerpt`: the author's summary, indexed and used as a fallback snippet. */
  description: string;
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

/** A file the site does not publish (`published: false`, a draft, a hidden name): left out, and not an error. */
export interface NotPublished {
  id: string;
  /** Why, in Chinese (`published: false`, `草稿（source/_drafts）`). */
  reason: string;
}

export type IngestResult =
  | { ok: true; article: Article }
  | { ok: false; error: IngestError }
  | { ok: false; notPublished: NotPublished };

export interface IngestOptions {
  /** Files larger than this are rejected (default 5 MB). */
  maxBytes?: number;
  /** How the corpus is published (default: a plain folder in DEFAULT_TIME_ZONE). */
  site?: SiteSettings;
}

/** The settings of a Hexo site's `_config.yml` that decide where and when a post is published. */
export interface HexoConfig {
  /** The site folder (holding `_config.yml` and `source/`), absolute. */
  dir: string;
  url: string;
  /** Always ends with `/`, as Hexo normalises it. */
  root: string;
  permalink: string;
  permalink_defaults: Record<string, string>;
  pretty_urls: { trailing_index: boolean; trailing_html: boolean };
  /** `''` when the site sets none (Hexo then keeps dates in the machine's zone). */
  timezone: string;
  new_post_name: string;
  /** hexo-util slugize transform: 0 unchanged, 1 lower case, 2 upper case. */
  filename_case: 0 | 1 | 2;
  default_category: string;
  category_map: Record<string, string>;
  post_asset_folder: boolean;
}

/** How a corpus is published. Plain data: worker threads get a copy, and the index keeps it for later reindexes. */
export interface SiteSettings {
  /** The Hexo site the corpus is the posts of, or null for a plain folder of articles. */
  hexo: HexoConfig | null;
  /** IANA zone of times written without one; dates are returned in it. */
  timeZone: string;
  /** Public prefix of article URLs (`https://blog.example.com/`), replacing the site root; null: site-relative. */
  baseUrl: string | null;
  /** Index the Hexo site's `source/_drafts` too. */
  drafts: boolean;
  /** Index hidden files and folders too. */
  includeHidden: boolean;
}

/** A file's times and inode as a stat saw them: any write or rename changes its change time (ctimeMs). */
export interface FileStamp {
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export interface CorpusFile {
  id: string;
  /** Absolute path on disk; its bytes when a name in it is not valid UTF-8 (a Uint8Array after a worker message). */
  path: string | Uint8Array;
  bytes: number;
  /** What the listing's stat said besides the size (an incremental reindex skips reading a file whose stat is unchanged). */
  stamp?: FileStamp;
  /** Why the id is not the file name as stored (a name that is not valid UTF-8): a warning of the article. */
  nameWarning?: string;
}
