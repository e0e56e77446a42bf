/**
 * Per-article results of a build that the next incremental build takes over instead of working them out again from
 * every stored text: each article's edge clauses (boilerplate is found from those of the whole corpus; finding them
 * meant decompressing and normalising every text, a third of a one-file reindex of the scale corpus). Kept beside a
 * generation's files, not among them: no reader opens it and the manifest does not list it; a missing, damaged or
 * outdated file only costs the work it would have saved. It also says under which rules the generation's keywords were
 * ranked: the next build keeps those of the articles nothing they depend on changed for (kept-keywords.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { edgeClauseRules, edgeKey, packEdges, unpackEdges, type EdgeClause, type PackedEdges } from './boilerplate.js';
import { keywordRules } from './keywords.js';

/** Its name in a generation's folder. */
export const SUMMARIES_FILE = 'summaries.bin';
/** Raised whenever what is summarised changes: an older file is then ignored. */
const SUMMARIES_VERSION = 1;

/** The rules the edge clauses were worked out by: a file written under others is ignored, not carried on. */
function rulesDigest(): string {
  return createHash('sha256').update(edgeClauseRules()).digest('hex').slice(0, 16);
}

/**
 * What the next build takes over of one article: its edge clauses, also packed when they are kept so (packEdges), and
 * its keywords' count and weight each (Keyword), one after another.
 */
export interface ArticleSummary {
  readonly edges: readonly EdgeClause[];
  readonly packedEdges?: PackedEdges;
  readonly keywords?: readonly number[];
}

/** The articles' summaries by id. */
export interface ArticleSummaries extends ReadonlyMap<string, ArticleSummary> {
  /** Whether the generation's keywords were ranked under this build's rules (keywordsDigest): then they may be kept. */
  readonly keywordsKept?: boolean;
}

/** The code keywords and the boilerplate they leave out are worked out by (keywordRules). */
function keywordsDigest(): string {
  return createHash('sha256').update(keywordRules()).digest('hex').slice(0, 16);
}

/** What encodeSummaries reads: the articles' ids and each one's summary (a builder reads them from its spill when asked). */
export type SummarySource = Pick<ArticleSummaries, 'keys' | 'get'>;

/** A summary of packed edges, unpacked when read (a class: a getter per object took a closure per article). */
export class PackedSummary implements ArticleSummary {
  constructor(
    readonly packedEdges: PackedEdges,
    readonly keywords?: readonly number[],
  ) {}

  get edges(): EdgeClause[] {
    return unpackEdges(this.packedEdges);
  }
}

/**
 * `edges` of each article by id, as written in the generation (compressed JSON: clause and source of each edge), in
 * the order of the ids, so the same corpus gives the same bytes whatever order the analysis threads delivered it in.
 * The compressed bytes go to `write` piece after piece as they are made: gathered to be written after the generation's
 * files, they were held through the whole write (~78 MB at 10× the scale corpus, twice that while joined).
 */
export async function encodeSummaries(summaries: SummarySource, write: (piece: Uint8Array) => Promise<void>): Promise<void> {
  // The JSON of the whole is written a piece at a time into the gzip stream (the same bytes as compressing it at once):
  // that JSON as one string, with every article's edges unpacked, was a build's peak at 3x the scale corpus (~180 MB).
  const sink = new Writable({ write: (piece: Buffer, _encoding, done) => void write(piece).then(() => done(), done) });
  await pipeline(Readable.from(summaryPieces(summaries), { objectMode: false }), zlib.createGzip({ level: 1 }), sink);
}

/** The JSON of encodeSummaries, SUMMARIES_PIECE characters or a little more at a time. */
function* summaryPieces(summaries: SummarySource): Generator<string> {
  const ids = [...summaries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let pending = `{"version":${JSON.stringify(SUMMARIES_VERSION)},"rules":${JSON.stringify(rulesDigest())},"keywords":${JSON.stringify(keywordsDigest())},"articles":[`;
  for (let i = 0; i < ids.length; i++) {
    const summary = summaries.get(ids[i])!;
    const edges = summary.edges.flatMap(({ clause, source }) => [clause, source]);
    pending += (i === 0 ? '' : ',') + JSON.stringify(summary.keywords ? [ids[i], edges, summary.keywords] : [ids[i], edges]);
    if (pending.length >= SUMMARIES_PIECE) {
      yield pending;
      pending = '';
    }
  }
  yield pending + ']}';
}

/** Characters of JSON handed to the gzip stream at once. */
const SUMMARIES_PIECE = 1 << 16;

const PACKING = /[\t\n]/;

/** The summaries written by encodeSummaries; null when the bytes are not such a file of this version. */
export function decodeSummaries(bytes: Uint8Array): ArticleSummaries | null {
  let parsed: { version?: unknown; rules?: unknown; keywords?: unknown; articles?: unknown };
  try {
    parsed = JSON.parse(zlib.gunzipSync(bytes).toString('utf8'));
  } catch {
    return null;
  }
  if (parsed?.version !== SUMMARIES_VERSION || parsed.rules !== rulesDigest() || !Array.isArray(parsed.articles)) return null;
  const summaries: Map<string, ArticleSummary> & { keywordsKept?: boolean } = new Map();
  for (const entry of parsed.articles as unknown[]) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1])) return null;
    const parts = entry[1] as unknown[];
    // A tab or line break would cut a packed edge apart (packEdges): a file holding one is not ours.
    if (parts.length % 2 !== 0 || !parts.every((part) => typeof part === 'string' && !PACKING.test(part))) return null;
    const edges: EdgeClause[] = [];
    for (let i = 0; i < parts.length; i += 2) edges.push({ clause: parts[i] as string, key: edgeKey(parts[i] as string), source: parts[i + 1] as string });
    const keywords = entry[2] as unknown;
    if (keywords !== undefined && !(Array.isArray(keywords) && keywords.length % 2 === 0 && keywords.every((n) => typeof n === 'number' && Number.isFinite(n)))) return null;
    summaries.set(entry[0], new PackedSummary(packEdges(edges), keywords as number[] | undefined));
  }
  // A file of a build before keywords were kept has none: the next build ranks them all.
  summaries.keywordsKept = parsed.keywords === keywordsDigest();
  return summaries;
}

/** The summaries kept beside `generation` of the index in `indexDir`; null when there are none to use. */
export function readSummaries(indexDir: string, generation: string): ArticleSummaries | null {
  try {
    return decodeSummaries(readFileSync(path.join(indexDir, generation, SUMMARIES_FILE)));
  } catch {
    return null;
  }
}
