/** Command-line options shared by `npm run eval` and `npm run bench`. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_SEGMENTER } from '../analysis/index.js';
import type { SegmenterName } from '../analysis/types.js';
import { PEERS } from './peers/index.js';
import { corpusFraction, ensureScaleCorpus } from './scaleCorpus.js';

export const REPO_ROOT = path.resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** A path as the results show it: relative to the repository, so no machine's folders end up in RESULTS.md. */
export function displayPath(file: string): string {
  return path.relative(REPO_ROOT, file) || '.';
}

export interface BenchOptions {
  /** Corpus folder to index (a cached fraction of baseCorpus when fraction < 1). */
  corpus: string;
  /** The whole corpus: --corpus or the scale corpus. */
  baseCorpus: string;
  queries: string;
  qrels: string;
  /**
   * Judgment sets the eval scores (folders holding queries.tsv and qrels.txt): ../shared/eval/dev and dev-hard by
   * default; only the --queries/--qrels pair when those are given.
   */
  evalSets: { name: string; queries: string; qrels: string }[];
  fraction: number;
  quick: boolean;
  /** Timed passes of each latency list per system (after one warm-up pass): 20, --quick 1. */
  passes: number;
  /** Peers to run, by name. */
  peers: string[];
  /** Share of the run's corpus Orama is built on (it does not finish the full scale corpus in 15 minutes). */
  oramaFraction: number;
  /** Results file to update; null with --no-write or --no-peers. */
  out: string | null;
  /** Scratch folder for indexes and the segmented text. */
  work: string;
  workers: number;
  /** zhsearch's segmenter (default: the CLI's, DEFAULT_SEGMENTER). */
  segmenter: SegmenterName;
  /** Only the SphinxQL engine section (--engine). */
  engineOnly: boolean;
  /** Only the growth section (--growth): 1× and 3× the corpus. */
  growthOnly: boolean;
  /** Only the HTTP rows (--http), in a section of their own. */
  httpOnly: boolean;
  /** SphinxQL port of the bench's distributed table, its shards on the next ports; undefined: a free block. */
  enginePort: number | undefined;
  /** zhsearch with its built-in list of abbreviations (--no-builtin-synonyms: without, to see what the list does). */
  builtInSynonyms: boolean;
  /** Eval, bench --http: an existing zhsearch index of the same corpus to rank with or serve, instead of reindexing (--index). */
  index: string | undefined;
}

/** The peer `--http` serves unless --peers says otherwise: the fastest peer (one-term p99) of the full runs. */
const HTTP_PEER = 'flexsearch-jieba';

const HELP = `options:
  --corpus DIR        corpus folder (default: the scale corpus, unpacked once into .cache/scale)
  --queries FILE      topic queries, qid<TAB>query (default ../shared/eval/dev/queries.tsv; the eval scores
                      ../shared/eval/dev and ../shared/eval/dev-hard unless --queries/--qrels are given)
  --qrels FILE        TREC qrels (default ../shared/eval/dev/qrels.txt)
  --fraction F        use this share of the corpus's posts, 0 < F <= 1 (default 1; --quick on the scale corpus: 0.1)
  --quick             smaller fraction, fewer queries and passes, shorter HTTP runs, one segmenter
  --passes N          timed passes of each latency list per system (default 20: 2,000 samples a list, so a p99 is
                      the 21st slowest rather than one of a few stalls; --quick 1)
  --peers a,b         peers to run (default all: ${PEERS.map((p) => p.name).join(', ')})
  --no-peers          zhsearch only (a quick eval while tuning; the results file is not written)
  --orama-fraction F  share of the corpus Orama is built on (default 0.05: it does not finish the full corpus)
  --workers N         zhsearch reindex threads for the all-cores run (default: CPU cores)
  --segmenter NAME    zhsearch's segmenter, nodejieba or node-rs (default ${DEFAULT_SEGMENTER}, as the CLI);
                      the bench also indexes once with the other one unless --quick
  --out FILE          results file to update (default bench/RESULTS.md)
  --no-write          print only
  --work DIR          scratch folder (default .cache/bench-work)
  --engine            bench: only the SphinxQL engine beside the embedded index (searchd, 2 shards), its own section
  --growth            bench: only the growth section (the corpus 1× and 3× as copies in sub-folders: indexing
                      time and CPU, peak RSS, load time, query p50/p99 of both)
  --http              bench: only the HTTP rows (zhsearch on one process and on \`serve --processes 2\`, full hits
                      and ids only, beside the --peers, default flexsearch-jieba), in a section of their own; with
                      --index DIR, that index instead of building one
  --engine-port P     SphinxQL port of that engine's distributed table; shards on P+1… (default: a block found free)
  --no-builtin-synonyms  eval: zhsearch without its built-in list of abbreviations (what the list is worth)
  --index DIR         eval: rank with this zhsearch index of the same corpus instead of reindexing (for query-time
                      changes only; a previous run's is <work>/eval-zhsearch-index); bench --http: serve it`;

function positiveIntegerArg(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return count;
}

function fractionArg(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const fraction = Number(value);
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`--${name} must be a number in (0, 1], got ${JSON.stringify(value)}`);
  return fraction;
}

/**
 * Share of the BASE corpus that selects `share` of the run's posts: fractions nest (inFraction), so within a
 * run on fraction F of the base, the posts with inFraction(id, share × F) are `share` of them.
 */
export function shareOfRun(options: BenchOptions, share: number): number {
  return share * options.fraction;
}

export async function parseBenchOptions(argv: string[], log: (line: string) => void): Promise<BenchOptions> {
  const { values } = parseArgs({
    args: argv,
    options: {
      corpus: { type: 'string' },
      queries: { type: 'string' },
      qrels: { type: 'string' },
      fraction: { type: 'string' },
      quick: { type: 'boolean', default: false },
      passes: { type: 'string' },
      peers: { type: 'string' },
      'no-peers': { type: 'boolean', default: false },
      'orama-fraction': { type: 'string' },
      workers: { type: 'string' },
      segmenter: { type: 'string' },
      out: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      work: { type: 'string' },
      engine: { type: 'boolean', default: false },
      growth: { type: 'boolean', default: false },
      http: { type: 'boolean', default: false },
      'engine-port': { type: 'string' },
      'no-builtin-synonyms': { type: 'boolean', default: false },
      index: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    log(HELP);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  // --quick shrinks only the default (scale) corpus; an explicit --corpus is used whole unless --fraction says otherwise.
  const fraction = fractionArg(values.fraction, 'fraction', quick && !values.corpus ? 0.1 : 1);
  const work = path.resolve(values.work ?? path.join(REPO_ROOT, '.cache', 'bench-work'));
  const base = values.corpus ? path.resolve(values.corpus) : ensureScaleCorpus(REPO_ROOT, log);
  const corpus = (await corpusFraction(base, fraction, path.join(work, 'corpus-fractions'))).dir;
  // --http serves each peer after building it: by default only the fastest of the full runs.
  const defaultPeers = values.http ? [HTTP_PEER] : PEERS.map((p) => p.name);
  const peers = values['no-peers'] ? [] : values.peers ? values.peers.split(',').map((name) => name.trim()).filter(Boolean) : defaultPeers;
  for (const name of peers) {
    if (!PEERS.some((p) => p.name === name)) throw new Error(`--peers: unknown peer "${name}"; known: ${PEERS.map((p) => p.name).join(', ')}`);
  }
  const workers = positiveIntegerArg(values.workers, 'workers', os.cpus().length);
  const segmenter = values.segmenter ?? DEFAULT_SEGMENTER;
  if (segmenter !== 'nodejieba' && segmenter !== 'node-rs') throw new Error(`--segmenter must be nodejieba or node-rs, got ${JSON.stringify(segmenter)}`);
  const queries = path.resolve(values.queries ?? path.join(REPO_ROOT, '../shared/eval/dev/queries.tsv'));
  const qrels = path.resolve(values.qrels ?? path.join(REPO_ROOT, '../shared/eval/dev/qrels.txt'));
  return {
    corpus,
    baseCorpus: base,
    queries,
    qrels,
    evalSets:
      values.queries || values.qrels
        ? [{ name: path.basename(path.dirname(queries)), queries, qrels }]
        : ['dev', 'dev-hard'].map((name) => ({
            name,
            queries: path.join(REPO_ROOT, '../shared/eval', name, 'queries.tsv'),
            qrels: path.join(REPO_ROOT, '../shared/eval', name, 'qrels.txt'),
          })),
    fraction,
    quick,
    passes: positiveIntegerArg(values.passes, 'passes', quick ? 1 : 20),
    peers,
    oramaFraction: fractionArg(values['orama-fraction'], 'orama-fraction', 0.05),
    out: values['no-write'] || values['no-peers'] ? null : path.resolve(values.out ?? path.join(REPO_ROOT, 'bench', 'RESULTS.md')),
    work,
    workers,
    segmenter,
    engineOnly: values.engine ?? false,
    growthOnly: values.growth ?? false,
    httpOnly: values.http ?? false,
    enginePort: values['engine-port'] === undefined ? undefined : Number(values['engine-port']),
    builtInSynonyms: !values['no-builtin-synonyms'],
    index: values.index === undefined ? undefined : existingIndex(path.resolve(values.index)),
  };
}

/** --index: a folder holding a zhsearch index (its CURRENT generation pointer). */
function existingIndex(dir: string): string {
  if (!fs.existsSync(path.join(dir, 'CURRENT'))) throw new Error(`--index: no zhsearch index in ${dir} (no CURRENT file)`);
  return dir;
}
