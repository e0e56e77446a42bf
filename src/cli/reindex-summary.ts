/** The reindex summary: what `--json` prints and what the human summary is rendered from. */
import type { SegmenterName } from '../analysis/types.js';
import type { IngestError, NotPublished } from '../ingest/types.js';

export type SkippedFile = IngestError;

/** An article indexed with problems worth knowing (invalid date, GB18030 bytes, empty body, no title, …). */
export interface FileWarnings {
  id: string;
  /** Each names the field or aspect first (`date：无法识别的日期 "Invalid Date"，文章没有日期`). */
  warnings: string[];
}

export interface ReindexSummary {
  /** `written`: a new generation is live; `up-to-date`: nothing changed, nothing written; `failed`: exit code 1. */
  status: 'written' | 'up-to-date' | 'failed';
  corpus: string;
  index: string;
  mode: 'full' | 'incremental';
  /** Why the whole corpus was analysed (`--full`, no index yet, analyzer changed, …); null when incremental. */
  fullReason: string | null;
  segmenter: SegmenterName;
  /** Worker threads used (an incremental run starts as many as it has files to analyse, up to --workers). */
  workers: number;
  /** Article files found in the corpus. */
  files: number;
  /** Files parsed, analysed and (re)added: added + changed that parsed fine. */
  indexed: number;
  added: number;
  changed: number;
  /** Files kept as indexed without reading them again. */
  unchanged: number;
  /** Indexed documents dropped: their file is gone, or (in a full rebuild) could not be read or indexed this time. */
  removed: number;
  /** Files that could not be indexed (each with a reason). */
  skipped: number;
  /** Skip reasons grouped by kind, most frequent first. */
  skippedReasons: { reason: string; count: number }[];
  /** Skipped files with their reasons, at most SKIPPED_FILES_LIMIT. */
  skippedFiles: SkippedFile[];
  /**
   * Files the site does not publish (`published: false`, drafts, hidden names), left out on purpose, not errors.
   * Counted among the files of this run that were listed or read.
   */
  notPublished: number;
  /** Those files with the reason, at most SKIPPED_FILES_LIMIT. */
  notPublishedFiles: NotPublished[];
  /** Files analysed in this run and indexed with warnings. */
  warned: number;
  /** Those files with their warnings, at most SKIPPED_FILES_LIMIT. */
  warnedFiles: FileWarnings[];
  /** The Hexo site folder the corpus belongs to, or null for a plain folder. */
  site: string | null;
  /** Time zone of dates written without one. */
  timeZone: string;
  /** Articles in the live index after this run. */
  articles: number;
  generation: string | null;
  /** Bytes of the live generation's files. */
  indexBytes: number;
  /** Bytes of the files parsed and analysed in this run. */
  analysedBytes: number;
  seconds: number;
  /** analysedBytes per second of the whole run, in MB (10^6 bytes). */
  megabytesPerSecond: number;
}

export const SKIPPED_FILES_LIMIT = 1000;

/** Appended to the skip reason of a previously indexed file a full rebuild could not index: it left the index. */
export const DROPPED_BY_REBUILD = '；全量重建不保留上次的版本，这篇文章已从索引中删除';

/**
 * Groups reasons by kind: the text before the first colon with numbers blanked, so
 * `invalid YAML front matter at line 3: …` and `… at line 7: …` count together.
 */
export function groupSkipReasons(skipped: readonly SkippedFile[]): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const { reason } of skipped) {
    const kind = reason.split(/[:：]/, 1)[0]!.replace(/\d+/g, 'N').trim();
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}
