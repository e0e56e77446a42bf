/**
 * Watch mode with the real CLI as a child process over a copy of real posts: `zhsearch serve --watch` makes an
 * edit, an addition and a deletion searchable without anyone running reindex; `zhsearch watch` updates the
 * index a separate `zhsearch search` reads.
 */
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResult } from '../src/search/types.js';
import { articlesDir, runCli, servedUrl, startCli } from './fixtures/cli/run-cli.js';

const FOLDER = '新媒体/人人都是产品经理/最新文章';
const EDITED = `${FOLDER}/产业互联网正驶向深蓝.md`;
const DELETED = `${FOLDER}/10人产品团队管理实践及感悟.md`;
const ADDED = '随笔/监视模式新文章.md';
const encodeId = (id: string) => id.split('/').map(encodeURIComponent).join('/');

let work: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'zhsearch-watch-'));
  // One folder of real posts: enough for real analysis, small enough to index in a few seconds.
  cpSync(path.join(articlesDir, FOLDER), path.join(work, 'corpus', FOLDER), { recursive: true });
});

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null) {
      const closed = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGTERM');
      await closed;
    }
  }
  rmSync(work, { recursive: true, force: true });
});

/**
 * Polls until `check` holds; returns the milliseconds it took. The limits are generous because the machine is
 * shared (on an idle one an edit is searchable in about a second); the time is logged, not asserted.
 */
async function waitFor(check: () => Promise<boolean>, limitMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`not seen within ${limitMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

describe('zhsearch serve --watch', () => {
  let url: string;
  let output = '';
  const total = async (q: string) =>
    ((await (await fetch(`${url}/api/search?q=${encodeURIComponent(q)}`)).json()) as SearchResult).total;

  beforeAll(async () => {
    const { child } = startCli(['serve', '--watch', '--port', '0', '--corpus', 'corpus', '--index', 'idx-serve'], work);
    children.push(child);
    child.stdout!.on('data', (chunk: string) => (output += chunk));
    url = await servedUrl(child);
    await waitFor(async () => output.includes('正在监视'), 30_000, 'the watching message');
  });

  it('finds an edited post by its new word soon after the save', async () => {
    expect(await total('zhwatchedit')).toBe(0);
    appendFileSync(path.join(work, 'corpus', EDITED), '\n\n补充一段：zhwatchedit。\n');
    const ms = await waitFor(async () => (await total('zhwatchedit')) === 1, 20_000, 'the edited word');
    console.log(`watch: edit searchable after ${ms} ms`);
    await waitFor(async () => /索引已更新：新增 0，改动 1，删除 0，共 4 篇/.test(output), 5000, 'the reindex line');
  });

  it('finds an added post and forgets a deleted one', async () => {
    mkdirSync(path.join(work, 'corpus', '随笔'));
    writeFileSync(path.join(work, 'corpus', ADDED), '---\ntitle: 监视模式新文章\ndate: 2024-05-01 10:00:00\n---\n\n今天写了一篇关于 zhwatchadded 的随笔。\n');
    await waitFor(async () => (await total('zhwatchadded')) === 1, 20_000, 'the added post');
    const hit = ((await (await fetch(`${url}/api/search?q=${encodeURIComponent('zhwatchadded')}`)).json()) as SearchResult).hits[0]!;
    expect(hit.title).toBe('监视模式新文章');
    expect(hit.id).toBe(ADDED);

    expect((await fetch(`${url}/api/articles/${encodeId(DELETED)}`)).status).toBe(200);
    rmSync(path.join(work, 'corpus', DELETED));
    await waitFor(async () => (await fetch(`${url}/api/articles/${encodeId(DELETED)}`)).status === 404, 20_000, 'the deletion');
    await waitFor(async () => /索引已更新：新增 0，改动 0，删除 1，共 4 篇/.test(output), 5000, 'the reindex line');
  });
});

describe('zhsearch watch', () => {
  it('updates the index that zhsearch search reads', async () => {
    const { child } = startCli(['watch', '--corpus', 'corpus', '--index', 'idx-watch'], work);
    children.push(child);
    let output = '';
    child.stdout!.on('data', (chunk: string) => (output += chunk));
    await waitFor(async () => output.includes('正在监视'), 60_000, 'the watching message');
    expect(output).toContain('索引完成：全量重建（尚无索引）');

    appendFileSync(path.join(work, 'corpus', EDITED), '\n\n又补充一段：zhwatchcli。\n');
    await waitFor(async () => output.includes('索引已更新：新增 0，改动 1'), 20_000, 'the reindex line');
    const run = await runCli(['search', 'zhwatchcli', '--index', 'idx-watch', '--corpus', 'corpus', '--json'], work);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as SearchResult).hits.map((h) => h.id)).toEqual([EDITED]);

    // A saved post with a problem is indexed, and its warning is in the run's line.
    writeFileSync(path.join(work, 'corpus', '日期写错.md'), '---\ntitle: 日期写错的文章\ndate: Invalid Date\n---\n正文。\n');
    const warning = '；警告 日期写错.md：date：无法识别的日期 "Invalid Date"，文章没有日期';
    await waitFor(async () => output.includes(warning), 20_000, 'the warning line');
  });
});

describe('zhsearch watch on a Hexo site', () => {
  it('reindexes when the site\'s _config.yml changes (the posts\' URLs follow the new permalink)', async () => {
    const site = path.join(work, 'site');
    cpSync(path.join(articlesDir, FOLDER), path.join(site, 'source/_posts'), { recursive: true });
    writeFileSync(path.join(site, '_config.yml'), 'url: http://blog.example.com\npermalink: :year/:month/:day/:title/\n');
    const { child } = startCli(['watch', '--corpus', 'site/source/_posts', '--index', 'idx-site'], work);
    children.push(child);
    let output = '';
    child.stdout!.on('data', (chunk: string) => (output += chunk));
    await waitFor(async () => output.includes('正在监视'), 60_000, 'the watching message');

    writeFileSync(path.join(site, '_config.yml'), 'url: http://blog.example.com\npermalink: posts/:title/\n');
    await waitFor(async () => output.includes('索引已更新'), 20_000, 'the reindex line');
    const run = await runCli(['search', '产业互联网', '--index', 'idx-site', '--corpus', 'site/source/_posts', '--json'], work);
    const hit = (JSON.parse(run.stdout) as SearchResult).hits.find((h) => h.title === '产业互联网正驶向深蓝')!;
    expect(hit.url).toMatch(/\/posts\/[^/]+\/$/);
  });
});
