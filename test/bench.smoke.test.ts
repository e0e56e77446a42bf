/**
 * The bench's pure parts (metrics, judgments, tables) on hand-computed cases, and a smoke run of
 * `npm run eval` / `npm run bench` (dist/bench/*.js) on a tiny corpus so the scripts cannot rot.
 * No timing is asserted anywhere.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseQrels, parseQueries } from '../src/bench/judgments.js';
import { meanScores, ndcgAt, precisionAt, recallAt, reciprocalRank, scoreQuery, unjudgedAt } from '../src/bench/metrics.js';
import { searchdInstalled } from '../src/bench/engineBench.js';
import { passOrder } from '../src/bench/latency.js';
import { parseBenchOptions } from '../src/bench/options.js';
import { replaceSection } from '../src/bench/resultsFile.js';
import { inFraction } from '../src/bench/scaleCorpus.js';
import { percentile } from '../src/bench/stats.js';
import { markdownTable, ratioToBest } from '../src/bench/table.js';

const repoRoot = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(repoRoot, 'test/fixtures/bench');

// a: 3, b: 0, c: 2, d: 1 — relevant (grade ≥ 2) are a and c.
const judged = new Map([
  ['a', 3],
  ['b', 0],
  ['c', 2],
  ['d', 1],
]);

describe('metrics', () => {
  it('nDCG@10 uses gain 2^g − 1, a log2 discount and the ideal order of all judged documents', () => {
    // DCG of a, b, c = 7/log2(2) + 0 + 3/log2(4) = 8.5; ideal a, c, d, b = 7 + 3/log2(3) + 1/log2(4).
    expect(ndcgAt(10, ['a', 'b', 'c'], judged)).toBeCloseTo(8.5 / (7 + 3 / Math.log2(3) + 0.5), 12);
    expect(ndcgAt(10, ['a', 'c', 'd', 'b'], judged)).toBeCloseTo(1, 12);
    // Only the top k count: c at rank 2 is cut off by k = 1.
    expect(ndcgAt(1, ['x', 'c'], judged)).toBe(0);
    expect(ndcgAt(10, ['a'], new Map([['a', 0]]))).toBe(0);
  });

  it('P@5, MRR and Recall@30 count grade ≥ 2 as relevant; unjudged documents count as not relevant', () => {
    expect(precisionAt(5, ['x', 'a', 'd', 'c'], judged)).toBe(2 / 5);
    expect(reciprocalRank(['x', 'd', 'c', 'a'], judged)).toBe(1 / 3);
    expect(reciprocalRank(['x', 'd', 'b'], judged)).toBe(0);
    expect(recallAt(30, ['c', 'x'], judged)).toBe(1 / 2);
    expect(unjudgedAt(10, ['x', 'a', 'y', 'b'], judged)).toBe(2);
  });

  it('scores a query and averages over queries', () => {
    const one = scoreQuery(['a', 'c'], judged);
    expect(one).toMatchObject({ p5: 2 / 5, mrr: 1, recall30: 1, unjudged10: 0 });
    const none = scoreQuery(['x'], judged);
    expect(meanScores([one, none])).toMatchObject({ p5: 1 / 5, mrr: 1 / 2, recall30: 1 / 2, unjudged10: 1 / 2 });
  });

  it('nearest-rank percentiles', () => {
    const samples = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 95)).toBe(10);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('judgments and tables', () => {
  it('percent-decodes qrels docids and reads queries with phrases', () => {
    const qrels = parseQrels('s41 0 law/a%20%20b%25(2023).md 2\ns41 0 x.md 0\n');
    expect([...qrels.get('s41')!]).toEqual([
      ['law/a  b%(2023).md', 2],
      ['x.md', 0],
    ]);
    expect(parseQueries('s01\t新基础设施\ns06\t"跨境电商"\n')).toEqual([
      { qid: 's01', query: '新基础设施' },
      { qid: 's06', query: '"跨境电商"' },
    ]);
    expect(() => parseQrels('s01 0 a.md three', 'qrels.txt')).toThrow('qrels.txt:1: expected "qid 0 docid grade"');
  });

  it('formats Markdown tables and ratios to the best peer', () => {
    expect(markdownTable(['system', 'p99 ms'], [['zhsearch', 1.234], ['peer | x', null]])).toBe(
      '| system | p99 ms |\n| --- | ---: |\n| zhsearch | 1.23 |\n| peer \\| x | – |',
    );
    expect(ratioToBest(2, [4, 8], true)).toBe('0.500×');
    expect(ratioToBest(2, [], true)).toBe('–');
  });

  it('replaces only its own section of the results file', () => {
    const once = replaceSection('', 'eval', 'E1');
    const twice = replaceSection(replaceSection(once, 'bench', 'B1'), 'eval', 'E2');
    expect(twice).toContain('<!-- eval:start -->\nE2\n<!-- eval:end -->');
    expect(twice).toContain('<!-- bench:start -->\nB1\n<!-- bench:end -->');
    expect(twice).not.toContain('E1');
  });

  it('orders the interleaved passes so every unit takes every position and follows every other unit equally often', () => {
    for (const n of [2, 3, 4, 5, 6]) {
      const rounds = Array.from({ length: n % 2 === 1 ? 2 * n : n }, (_, round) => passOrder(n, round));
      const positions = new Map<string, number>();
      const followers = new Map<string, number>();
      for (const order of rounds) {
        expect([...order].sort()).toEqual(Array.from({ length: n }, (_, k) => k));
        order.forEach((unit, at) => positions.set(`${unit}@${at}`, (positions.get(`${unit}@${at}`) ?? 0) + 1));
        for (let at = 1; at < n; at++) followers.set(`${order[at - 1]}>${order[at]}`, (followers.get(`${order[at - 1]}>${order[at]}`) ?? 0) + 1);
      }
      expect(positions.size).toBe(n * n);
      expect(new Set(positions.values())).toEqual(new Set([rounds.length / n]));
      expect(followers.size).toBe(n * (n - 1));
      expect(new Set(followers.values())).toEqual(new Set([n % 2 === 1 ? 2 : 1]));
    }
    expect(passOrder(6, 0)).toEqual([0, 1, 5, 2, 4, 3]);
  });

  it('takes nested corpus fractions', () => {
    const ids = Array.from({ length: 400 }, (_, i) => `news/${i}.md`);
    const quarter = ids.filter((id) => inFraction(id, 0.25));
    const half = ids.filter((id) => inFraction(id, 0.5));
    expect(quarter.every((id) => half.includes(id))).toBe(true);
    expect(quarter.length).toBeGreaterThan(50);
    expect(half.length).toBeLessThan(300);
  });
});

describe('eval options', () => {
  const corpus = ['--corpus', path.join(fixtures, 'corpus')];

  it('scores dev and dev-hard by default, only the given pair with --queries/--qrels, and no peers with --no-peers', async () => {
    const defaults = await parseBenchOptions(corpus, () => {});
    expect(defaults.evalSets.map((set) => set.name)).toEqual(['dev', 'dev-hard']);
    expect(defaults.evalSets[1]!.qrels).toBe(path.resolve(repoRoot, '../shared/eval/dev-hard/qrels.txt'));
    expect(defaults.peers.length).toBeGreaterThan(0);
    const given = await parseBenchOptions([...corpus, '--queries', path.join(fixtures, 'queries.tsv'), '--qrels', path.join(fixtures, 'qrels.txt')], () => {});
    expect(given.evalSets).toEqual([{ name: 'bench', queries: path.join(fixtures, 'queries.tsv'), qrels: path.join(fixtures, 'qrels.txt') }]);
    const alone = await parseBenchOptions([...corpus, '--no-peers'], () => {});
    expect(alone.peers).toEqual([]);
    expect(alone.out).toBeNull();
    expect(alone.growthOnly).toBe(false);
    expect((await parseBenchOptions([...corpus, '--growth'], () => {})).growthOnly).toBe(true);
    const http = await parseBenchOptions([...corpus, '--http'], () => {});
    expect([http.httpOnly, http.peers]).toEqual([true, ['flexsearch-jieba']]);
    expect((await parseBenchOptions([...corpus, '--http', '--peers', 'sqlite-jieba'], () => {})).peers).toEqual(['sqlite-jieba']);
  });

  it('times 20 passes of each latency list by default, one with --quick, N with --passes N, and names a bad count', async () => {
    expect((await parseBenchOptions(corpus, () => {})).passes).toBe(20);
    expect((await parseBenchOptions([...corpus, '--quick'], () => {})).passes).toBe(1);
    expect((await parseBenchOptions([...corpus, '--passes', '7'], () => {})).passes).toBe(7);
    await expect(parseBenchOptions([...corpus, '--passes', '0'], () => {})).rejects.toThrow('--passes must be a positive integer, got "0"');
    await expect(parseBenchOptions([...corpus, '--workers', '1.5'], () => {})).rejects.toThrow('--workers must be a positive integer, got "1.5"');
  });
});

describe('scripts on a tiny corpus', () => {
  const run = promisify(execFile);
  const common = [
    '--corpus', path.join(fixtures, 'corpus'),
    '--queries', path.join(fixtures, 'queries.tsv'),
    '--qrels', path.join(fixtures, 'qrels.txt'),
    '--orama-fraction', '1',
    // node-rs loads in a fraction of nodejieba's time; the bench runs several reindexes.
    '--segmenter', 'node-rs',
    '--quick',
  ];
  let work: string;
  /** Runs a script of the bench; killed short of its test's time limit, so a hang fails with the child's output. */
  const script = (args: string[], limitMs: number) =>
    run(process.execPath, args, { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024, timeout: limitMs - 20_000, killSignal: 'SIGKILL' });

  beforeAll(() => {
    // `npm test` builds first; a lone `vitest run test/bench.smoke.test.ts` builds here if needed.
    if (!fs.existsSync(path.join(repoRoot, 'dist/bench/eval.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: repoRoot });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'zhsearch-bench-smoke-'));
  });

  it('reports once, from the main thread at its exit, when a worker thread ended before', () => {
    const reporter = path.join(repoRoot, 'dist/bench/reportPeakRss.js');
    const result = spawnSync(process.execPath, ['--import', reporter, path.join(fixtures, 'worker-then-work.mjs')], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.status).toBe(0);
    const cpu = [...result.stderr.matchAll(/ZHSEARCH_BENCH_CPU_US=(\d+)/g)].map((match) => Number(match[1]));
    // One line, counting the main thread's 300 ms of work after the worker ended.
    expect(cpu).toHaveLength(1);
    expect(cpu[0]).toBeGreaterThan(300_000);
    expect(result.stderr.match(/ZHSEARCH_BENCH_PEAK_RSS=\d+/g)).toHaveLength(1);
  });

  it('eval prints every system with its scores and writes its section', { timeout: 300_000 }, async () => {
    const out = path.join(work, 'RESULTS.md');
    const { stdout } = await script(['dist/bench/eval.js', ...common, '--work', path.join(work, 'eval'), '--out', out], 300_000);
    for (const label of [
      'zhsearch (node-rs)',
      'SQLite FTS5, bm25 over jieba tokens (AND)',
      'MiniSearch, jieba tokens, BM25+ (OR)',
      'FlexSearch Document, jieba tokens (AND)',
      'FlexSearch, built-in CJK charset',
      'SQLite FTS5 trigram (AND; LIKE below 3 chars)',
      'Orama, jieba tokens (custom tokenizer)',
    ]) {
      expect(stdout).toContain(`| ${label} |`);
    }
    // zhsearch finds the one post mainly about each of these topics first.
    expect(stdout).toMatch(/\| zhsearch \(node-rs\) \| [\d.]+ \| [\d.]+ \| 1 \|/);
    expect(stdout).toContain('| q6 | "跨境电商" |');
    expect(fs.readFileSync(out, 'utf8')).toContain('<!-- eval:start -->\n## Relevance (`npm run eval`)');
  });

  it('bench prints every table with zhsearch beside the peers and writes its section', { timeout: 600_000 }, async () => {
    const out = path.join(work, 'RESULTS.md');
    const { stdout } = await script(['dist/bench/bench.js', ...common, '--workers', '2', '--work', path.join(work, 'bench'), '--out', out], 600_000);
    for (const heading of ['### Targets', '### Indexing', '### Index on disk and load', '### Query latency, in process', '### HTTP', '### Analysis throughput', '### Incremental reindex', '### Scaling']) {
      expect(stdout).toContain(heading);
    }
    for (const list of ['one-term', 'two-term', 'phrase', 'filtered']) expect(stdout).toContain(`**${list}**`);
    // Indexing: wall seconds, then CPU seconds (every thread) and CPU beside the fastest jieba peer's.
    expect(stdout).toContain('| system | threads | ingest+segment s | build s | total s | CPU s | MB/s |');
    expect(stdout).toMatch(/\| zhsearch \(node-rs, 1 worker\) \| 1 \| – \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/);
    expect(stdout).toMatch(/\| full indexing CPU, zhsearch \(node-rs, 2 workers\) ≤ 1× the fastest jieba-based peer's \| [\d.]+ CPU s vs [\d.]+ CPU s \([\d.]+×\) \|/);
    expect(stdout).toContain('| FlexSearch Document, jieba tokens (AND) |');
    // Load, then zhsearch's suggestions indexed before the passes (a peer has none: –), heap and RSS after both.
    expect(stdout).toContain('| system | on disk MB | ÷ raw text | load ms | then suggestions ms | heap after load MB | RSS after load MB |');
    expect(stdout).toMatch(/^\| zhsearch \(node-rs, 2 workers\) \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/m);
    expect(stdout).toMatch(/^\| FlexSearch Document, jieba tokens \(AND\) \| [\d.]+ \| [\d.]+ \| [\d.]+ \| – \| [\d.]+ \| [\d.]+ \|/m);
    // Issue 16's targets: full hits beside the peers' ids, the load time, full answers over HTTP beside a peer's bare ids.
    expect(stdout).toMatch(/\| one-term query, full hits p99 ≤ 5 ms and ≤ the fastest peer's ids-only p99 \(issue 16\) \| [\d.]+ ms vs [\d.]+ ms \([\d.]+×\) \| (met|\*\*not met\*\*) \|/);
    expect(stdout).toMatch(/\| index load, zhsearch \(node-rs, 2 workers\) ≤ 500 ms \(issue 16\) \| [\d.]+ ms \| (met|\*\*not met\*\*) \|/);
    expect(stdout).toMatch(
      /\| full indexing, zhsearch \(node-rs, 2 workers\) ≤ 25 s and ≤ 0\.4× the fastest jieba-based peer \(issue 16\) \| [\d.]+ s vs [\d.]+ s \([\d.]+×\) \| (met|\*\*not met\*\*) \|/,
    );
    expect(stdout).toMatch(/\| full indexing peak RSS, zhsearch \(node-rs, 2 workers\) ≤ 1 GB \(issue 16; the growth section has 1× and 3×\) \| [\d.]+ GB \| met \|/);
    expect(stdout).toMatch(
      /\| HTTP full answers\/s, one process, ≥ the fastest peer's bare ids\/s \(.+, one process; issue 16\) \| [\d.]+ vs [\d.]+ requests\/s \([\d.]+×\); `serve --processes 2` [\d.]+ \([\d.]+×\)/,
    );
    // The incremental runs see the 8 fixture posts as unchanged, then exactly one as changed.
    expect(stdout).toMatch(/\| no change \| incremental \| 0 \| 8 \|/);
    expect(stdout).toMatch(/\| one file changed \| incremental \| 1 \| 7 \|/);
    // zhsearch is timed with full hits and with ids only, as the peers answer.
    // Each query's first search (the warm-up pass) beside the passes' figures, for full hits and the peers' ids.
    expect(stdout).toMatch(/^\| zhsearch \(node-rs, \d+ workers?\), full hits \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+× \| [\d.]+ \| [\d.]+ \|$/m);
    expect(stdout).toMatch(/^\| zhsearch \(node-rs, \d+ workers?\), ids only \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+× \| – \| – \|$/m);
    expect(stdout).toMatch(/^\| FlexSearch Document, jieba tokens \(AND\) \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+× \| [\d.]+ \| [\d.]+ \|$/m);
    // The HTTP runs answered without errors, on one process and on two.
    for (const processes of ['`serve`, one process', '`serve --processes 2`']) {
      for (const answer of ['full hits', 'ids only \\(`facets=false&snippets=false`\\)']) {
        expect(stdout).toMatch(new RegExp(`\\| zhsearch \\(node-rs, \\d+ workers?\\), ${processes}, ${answer} \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| \\d+ \\| 0 \\| [\\d.]+ \\|$`, 'm'));
      }
    }
    // Growth: the fixture corpus once and three times over, indexed, loaded and queried side by side.
    expect(stdout).toContain('## Growth: the corpus 1× and 3×');
    expect(stdout).toMatch(/^\| 1× \| 8 \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/m);
    expect(stdout).toMatch(/^\| 3× \| 24 \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/m);
    // Issue 16's slope: each list's p99 at 3× against 1.5× the 1× figure (first searches, one sample a query, not
    // judged).
    expect(stdout).toMatch(/^\| one-term \| ids only \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+× \| (met|\*\*not met\*\*) \|$/m);
    expect(stdout).toMatch(/^\| phrase \| full hits, first search \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+× \| – \|$/m);
    // 8 posts and 24 index in far less than 1 GB; load grows with them, judged against linear.
    expect(stdout).toMatch(/^\| indexing peak RSS ≤ 1 GB at every size \| 1× [\d.]+ GB, 3× [\d.]+ GB \| met \|$/m);
    expect(stdout).toMatch(/^\| index load 3× ÷ 1× ≤ 3× \(linear or better\) \| [\d.]+× \| (met|\*\*not met\*\*) \|$/m);
    const results = fs.readFileSync(out, 'utf8');
    expect(results).toContain('<!-- bench:start -->\n## Performance (`npm run bench`)');
    expect(results).toContain('<!-- growth:start -->\n## Growth');
    expect(results).toContain('<!-- eval:start -->');
    // With searchd installed, the engine beside the embedded index in a section of its own.
    if (await searchdInstalled()) {
      expect(results).toContain('<!-- engine:start -->\n## SphinxQL engine beside the embedded index');
      expect(stdout).toMatch(/\| engine: `reindex --engine` on the current index \(rows sent to the shards\) \| [\d.]+ \| 8 \|/);
      expect(stdout).toMatch(/\| engine, 2 shards \| ids only \| one-term \| \d+ \| [\d.]+ \|/);
      expect(stdout).toMatch(/\| engine, 2 shards, full hits \| [\d.]+ \| [\d.]+ \| [\d.]+ \| \d+ \| 0 \|$/m);
      expect(stdout).toMatch(/^\| [^|]+ \| engine, 2 shards \| [\d.]+ \| [\d.]+ \|/m);
    }
  });

  it('bench --http serves a given index on one process and on two beside the peer, in a section of its own', { timeout: 300_000 }, async () => {
    const out = path.join(work, 'RESULTS-http.md');
    const index = path.join(work, 'http-index');
    await run(process.execPath, ['dist/cli/main.js', 'reindex', '--corpus', path.join(fixtures, 'corpus'), '--index', index, '--segmenter', 'node-rs'], { cwd: repoRoot });
    const { stdout } = await script(['dist/bench/bench.js', ...common, '--http', '--index', index, '--work', path.join(work, 'http'), '--out', out], 300_000);
    for (const row of ['`serve`, one process, full hits', '`serve --processes 2`, ids only \\(`facets=false&snippets=false`\\)']) {
      expect(stdout).toMatch(new RegExp(`^\\| zhsearch \\(.+\\), ${row} \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| \\d+ \\| 0 \\| [\\d.]+ \\|$`, 'm'));
    }
    expect(stdout).toMatch(/^\| FlexSearch Document, jieba tokens \(AND\) behind a minimal node:http server, one process \| [\d.]+ \| [\d.]+ \| [\d.]+ \| \d+ \| 0 \| [\d.]+ \|$/m);
    expect(stdout).not.toContain('### Indexing');
    const results = fs.readFileSync(out, 'utf8');
    expect(results).toContain('<!-- http:start -->\n## HTTP `/api/search` alone');
    expect(results).not.toContain('<!-- bench:start -->');
  });
});
