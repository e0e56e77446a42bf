/**
 * The real `zhsearch` CLI (dist/cli/main.js, built by `npm test`) as a child process on a copy of
 * ../shared/corpus/articles: full, no-change, edit, delete, broken file, analyzer switch.
 * The tests run in order and share one workspace.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReindexSummary } from '../src/cli/reindex-summary.js';
import type { IndexStats, SearchResult } from '../src/search/types.js';
import { articlesDir, BROKEN_ARTICLE, makeWorkspace, markdownIds, removeWorkspace, runCli } from './fixtures/cli/run-cli.js';
import { flipMiddleByte } from './fixtures/index/corrupt.js';

const ARTICLE_COUNT = markdownIds(articlesDir).length;
const EDITED_ID = '编程/掘金/分类/100行代码实现数组的splice方法.md';
const DELETED_ID = '游戏/3DMGame/新闻中心/04年旧作焕发新生 《毁灭战士3》高清材质MOD发布.md';
const BROKEN_ID = '坏/坏文件.md';
/**
 * A file no test changes before the same-size edit: stamped well after it was copied, so its stamp is trusted. Its
 * modification time is set to whole seconds first, which utimes puts back exactly.
 */
const SAME_SIZE_ID = '编程/segmentfault/频道/位运算.md';
const SAME_SIZE_MTIME = Math.floor(Date.now() / 1000) - 7200;

/** The live generation's stamps file (src/index/file-stamps.ts). */
function liveStamps(): Buffer {
  const generation = readFileSync(path.join(work, 'index-data', 'CURRENT'), 'utf8').trim();
  return readFileSync(path.join(work, 'index-data', generation, 'stamps.bin'));
}

/** Whether `bytes` hold `value` as a little-endian float64 (a stamp's modification time). */
function holdsFloat64(bytes: Buffer, value: number): boolean {
  const wanted = Buffer.alloc(8);
  wanted.writeDoubleLE(value);
  return bytes.indexOf(wanted) >= 0;
}

let work: string;
beforeAll(() => {
  work = makeWorkspace();
  utimesSync(path.join(work, 'corpus', SAME_SIZE_ID), SAME_SIZE_MTIME, SAME_SIZE_MTIME);
});
afterAll(() => removeWorkspace(work));

async function reindexJson(...args: string[]): Promise<{ summary: ReindexSummary; stderr: string }> {
  const run = await runCli(['reindex', '--json', ...args], work);
  expect(run.stderr, run.stderr).not.toContain('内部错误');
  // The counting thread did its work (a thread that fails only warns and leaves it to the main thread).
  expect(run.stderr).not.toContain('统计与编码线程失败');
  expect(run.code).toBe(0);
  return { summary: JSON.parse(run.stdout) as ReindexSummary, stderr: run.stderr };
}

async function searchJson(query: string, ...args: string[]): Promise<SearchResult> {
  const run = await runCli(['search', query, '--json', ...args], work);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as SearchResult;
}

describe('zhsearch reindex on the real articles', () => {
  it('indexes every article on the first run (nodejieba), as a full build', async () => {
    expect(ARTICLE_COUNT).toBe(313);
    const { summary, stderr } = await reindexJson('--segmenter', 'nodejieba');
    expect(summary).toMatchObject({
      status: 'written',
      mode: 'full',
      fullReason: '尚无索引',
      segmenter: 'nodejieba',
      corpus: path.join(work, 'corpus'),
      index: path.join(work, 'index-data'),
      files: 312,
      indexed: 312,
      added: 312,
      changed: 0,
      unchanged: 0,
      removed: 0,
      skipped: 0,
      skippedReasons: [],
      skippedFiles: [],
      articles: 312,
      generation: '000001',
      analysedBytes: 1228908 - 1368, // every file but the hidden `.md`
      notPublished: 1,
      notPublishedFiles: [{ id: '社交媒体/简书/首页/.md', reason: '名称以 . 开头，是隐藏文件（--include-hidden 可索引）' }],
      site: null,
      timeZone: 'Asia/Shanghai',
    });
    expect(summary.indexBytes).toBeGreaterThan(0);
    // Not a terminal: plain lines, no bar control characters.
    expect(stderr).toContain('全量重建：尚无索引\n开始分析 312 个文件（1.2 MB）\n');
    expect(stderr).not.toContain('\x1b');
  });

  it('stats --json gives the article count and the analyzer', async () => {
    const run = await runCli(['stats', '--json'], work);
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout) as IndexStats;
    expect(stats.articles).toBe(312);
    expect(stats.generation).toBe('000001');
    expect(stats.analyzer.segmenter).toBe('nodejieba');
    expect(stats.files.map((f) => f.name)).toContain('body.postings');
  });

  it('search --json prints the API object', async () => {
    const result = await searchJson('新基础设施', '--size', '3');
    expect(Object.keys(result).sort()).toEqual(['expanded', 'facets', 'hits', 'page', 'query', 'size', 'took_ms', 'total']);
    expect(result.query).toBe('新基础设施');
    expect(result.size).toBe(3);
    expect(result.hits[0]!.title).toBe('产业互联网正驶向深蓝');
  });

  it('an index built with another analyzer makes an incremental run a full rebuild, and says so', async () => {
    const { summary, stderr } = await reindexJson('--segmenter', 'node-rs');
    expect(summary.mode).toBe('full');
    expect(summary.fullReason).toMatch(/^现有索引由不同的分析器建立（nodejieba .*；现在是 node-rs .*）$/);
    expect(summary.indexed).toBe(312);
    expect(summary.generation).toBe('000002');
    expect(stderr).toContain('全量重建：现有索引由不同的分析器建立');
  });

  it('a second run re-analyses nothing and writes nothing (keeping the index segmenter)', async () => {
    const { summary } = await reindexJson();
    expect(summary).toMatchObject({
      status: 'up-to-date',
      mode: 'incremental',
      fullReason: null,
      segmenter: 'node-rs',
      indexed: 0,
      unchanged: 312,
      removed: 0,
      skipped: 0,
      articles: 312,
      generation: '000002',
      analysedBytes: 0,
    });
  });

  it('editing one file re-analyses exactly that file', async () => {
    appendFileSync(path.join(work, 'corpus', EDITED_ID), '\n<p>zhsearchprobe 增量测试</p>\n');
    const { summary } = await reindexJson();
    expect(summary).toMatchObject({ status: 'written', mode: 'incremental', indexed: 1, changed: 1, added: 0, unchanged: 311, removed: 0, articles: 312 });
    const result = await searchJson('zhsearchprobe');
    expect(result.hits.map((h) => h.id)).toEqual([EDITED_ID]);
  });

  it('an edit that puts back the file\'s size and modification time is re-analysed all the same', async () => {
    const file = path.join(work, 'corpus', SAME_SIZE_ID);
    const before = statSync(file);
    expect(before.mtimeMs).toBe(SAME_SIZE_MTIME * 1000);
    // Its stamp is trusted (the listing that stamped it began over 3 s after it last changed): only its change time tells.
    expect(liveStamps().readDoubleLE(8) - 3000).toBeGreaterThan(before.ctimeMs);
    writeFileSync(file, readFileSync(file, 'utf8').replace('console', 'zhsprob'));
    utimesSync(file, SAME_SIZE_MTIME, SAME_SIZE_MTIME);
    expect([statSync(file).size, statSync(file).mtimeMs]).toEqual([before.size, before.mtimeMs]);
    const { summary } = await reindexJson();
    expect(summary).toMatchObject({ status: 'written', mode: 'incremental', indexed: 1, changed: 1, unchanged: 311 });
    expect((await searchJson('zhsprob')).hits.map((h) => h.id)).toEqual([SAME_SIZE_ID]);
  });

  it('a file touched without a change is stamped again by a run with nothing to do (not read again at every run)', async () => {
    const file = path.join(work, 'corpus', SAME_SIZE_ID);
    // Whole seconds, which utimes puts back exactly.
    const mtime = Math.floor(Date.now() / 1000) - 3600;
    utimesSync(file, mtime, mtime);
    expect(holdsFloat64(liveStamps(), mtime * 1000)).toBe(false);
    const { summary } = await reindexJson();
    expect(summary).toMatchObject({ status: 'up-to-date', indexed: 0, unchanged: 312, generation: '000004' });
    expect(holdsFloat64(liveStamps(), mtime * 1000)).toBe(true);
  });

  it('deleting one file removes it from the index and from search results', async () => {
    expect((await searchJson('毁灭战士3 高清材质')).hits[0]!.id).toBe(DELETED_ID);
    rmSync(path.join(work, 'corpus', DELETED_ID));
    const { summary } = await reindexJson();
    expect(summary).toMatchObject({ status: 'written', indexed: 0, unchanged: 311, removed: 1, articles: 311 });
    const after = await searchJson('毁灭战士3 高清材质', '--size', '100');
    expect(after.hits.map((h) => h.id)).not.toContain(DELETED_ID);
    const stats = JSON.parse((await runCli(['stats', '--json'], work)).stdout) as IndexStats;
    expect(stats.articles).toBe(311);
  });

  it('a broken file is listed with its reason; the others stay searchable (plain output brackets matches)', async () => {
    mkdirSync(path.join(work, 'corpus', '坏'));
    writeFileSync(path.join(work, 'corpus', BROKEN_ID), BROKEN_ARTICLE);
    const reason =
      'YAML 头部格式错误（第 4 行第 1 列）：Flow sequence in block collection must be sufficiently indented and end with a ]';
    const { summary } = await reindexJson();
    expect(summary).toMatchObject({
      // The broken file was the only news, so the index is unchanged and not rewritten.
      status: 'up-to-date',
      files: 312,
      indexed: 0,
      unchanged: 311,
      skipped: 1,
      skippedReasons: [{ reason: 'YAML 头部格式错误（第 N 行第 N 列）', count: 1 }],
      skippedFiles: [{ id: BROKEN_ID, reason, line: 4 }],
      articles: 311,
    });

    const run = await runCli(['reindex'], work);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  已跳过    1\n      1 × YAML 头部格式错误（第 N 行第 N 列）\n');
    expect(run.stdout).toContain(`  跳过的文件：\n    ${BROKEN_ID}：${reason}\n`);
    const search = await runCli(['search', '新基础设施', '--size', '1'], work);
    expect(search.code).toBe(0);
    expect(search.stdout).toContain('  1. 产业互联网正驶向深蓝\n');
    expect(search.stdout).toContain('[新基础设施]');
    expect(search.stdout).toContain('新媒体/人人都是产品经理/最新文章/产业互联网正驶向深蓝.md');
    expect(search.stdout).not.toContain('<mark>');
    expect(search.stdout).not.toContain('\x1b');
  });

  it('--full rebuilds everything even when nothing changed', async () => {
    const { summary } = await reindexJson('--full', '--workers', '1');
    expect(summary).toMatchObject({ status: 'written', mode: 'full', fullReason: '--full', workers: 1, indexed: 311, skipped: 1, articles: 311 });
  });

  it('a full build closes its analysis threads: they release their segmenters and exit on their own, none is killed', async () => {
    // nodejieba's dictionaries (~230 MB a thread) outlive a thread that is terminated instead (bench/RESULTS.md,
    // "Indexing memory, round 12"); a thread exits 0 only through the pool's close, after its release.
    const preload = `--import=${new URL('./fixtures/cli/thread-exits.mjs', import.meta.url).href}`;
    const run = await runCli(['reindex', '--json', '--full', '--workers', '2'], work, { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${preload}` });
    expect(run.code, run.stderr).toBe(0);
    const exits = [...run.stderr.matchAll(/^zhsearch-test thread exit (-?\d+)$/gm)].map((match) => Number(match[1]));
    // Two analysis threads and the counting thread.
    expect(exits.length).toBeGreaterThanOrEqual(3);
    expect(exits.every((code) => code === 0), `exit codes ${exits.join(', ')}`).toBe(true);
  });

  it('a run with nothing to analyse starts no worker thread', async () => {
    rmSync(path.join(work, 'corpus', BROKEN_ID));
    const { summary } = await reindexJson();
    expect(summary).toMatchObject({ status: 'up-to-date', mode: 'incremental', workers: 0, indexed: 0, unchanged: 311, skipped: 0 });
  });

  it('a live index with a corrupted file makes the next run a full rebuild, and says so', async () => {
    const generationDir = path.join(work, 'index-data', readFileSync(path.join(work, 'index-data', 'CURRENT'), 'utf8').trim());
    const file = path.join(generationDir, 'body.postings');
    flipMiddleByte(file);
    const { summary, stderr } = await reindexJson();
    const reason = `现有索引无法加载（索引文件 ${file} 已损坏（CRC-32 校验值不符）：请运行 zhsearch reindex --full --corpus ${path.join(work, 'corpus')} --index ${path.join(work, 'index-data')}）`;
    expect(summary).toMatchObject({ status: 'written', mode: 'full', fullReason: reason, indexed: 311, articles: 311 });
    expect(stderr).toContain(`全量重建：${reason}\n`);
  });

  it('an index of another format version makes the next run a full rebuild', async () => {
    const generationDir = path.join(work, 'index-data', readFileSync(path.join(work, 'index-data', 'CURRENT'), 'utf8').trim());
    const manifestFile = path.join(generationDir, 'manifest.json');
    writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(readFileSync(manifestFile, 'utf8')), formatVersion: 2 }));
    const { summary } = await reindexJson();
    expect(summary).toMatchObject({ status: 'written', mode: 'full', indexed: 311, articles: 311 });
    expect(summary.fullReason).toMatch(/^现有索引无法加载（索引 .* 的格式是第 2 版，这个 zhsearch 读取第 \d+ 版：请运行 zhsearch reindex --full --corpus \S+ --index \S+）$/);
  });
});
