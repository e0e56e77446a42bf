/**
 * An index remembers the corpus folder and user dictionary it was built from (issue 17, defect 3): commands given
 * no --corpus use them, and every hint to rebuild names them. Before, `search`/`serve` without --corpus used the
 * repository's corpus/ and its dictionary, refused the index, and advised a rebuild that replaced the user's
 * articles with the 8 sample posts. Run from the repository root, where corpus/ is those sample posts.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReindexSummary } from '../src/cli/reindex-summary.js';
import type { SearchResult } from '../src/search/types.js';
import { articlesDir, repoRoot, runCli, servedUrl, startCli } from './fixtures/cli/run-cli.js';

const SOURCE = path.join(articlesDir, '新媒体/IT 之家/分类资讯');
const CARBON_ID = '14 年排放 2000 万吨碳，谷歌却称已实现碳中和.md';

let work: string;
let blog: string;
let indexDir: string;
let articles: number;

async function searchIds(query: string): Promise<string[]> {
  const run = await runCli(['search', query, '--index', indexDir, '--json', '--size', '100'], repoRoot);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as SearchResult).hits.map((hit) => hit.id);
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-source-'));
  blog = path.join(work, 'blog posts');
  indexDir = path.join(work, 'index');
  mkdirSync(blog);
  const names = readdirSync(SOURCE).filter((name) => name.endsWith('.md')).sort().slice(0, 12);
  if (!names.includes(CARBON_ID)) names.push(CARBON_ID);
  for (const name of names) cpSync(path.join(SOURCE, name), path.join(blog, name));
  articles = names.length;
  // The blog's own dictionary: its analyzer differs from the one of the repository's corpus/dict.txt.
  writeFileSync(path.join(blog, 'dict.txt'), '碳中和 1000 n\n电子驾照 1000 n\n');
  const run = await runCli(['reindex', '--corpus', blog, '--index', indexDir], repoRoot);
  expect(run.code, run.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('an index built from a corpus with its own dict.txt', () => {
  it('is searched without --corpus, with the dictionary it was built with', async () => {
    expect(await searchIds('碳中和')).toContain(CARBON_ID);
  });

  it('says in stats which corpus and dictionary it was built from', async () => {
    const text = await runCli(['stats', '--index', indexDir], repoRoot);
    expect(text.stdout).toMatch(new RegExp(`\\n  文章目录 +${blog}\\n  用户词典 +${path.join(blog, 'dict.txt')}\\n`));
    const json = JSON.parse((await runCli(['stats', '--index', indexDir, '--json'], repoRoot)).stdout) as { source: unknown };
    expect(json.source).toEqual({ corpus: blog, userDictionary: path.join(blog, 'dict.txt') });
  });

  it('is kept by a plain reindex (no --corpus): the corpus is the one the index was built from', async () => {
    const run = await runCli(['reindex', '--index', indexDir, '--json'], repoRoot);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as ReindexSummary;
    expect(summary).toMatchObject({ status: 'up-to-date', corpus: blog, removed: 0, articles });
  }, 60_000);

  it('is served without --corpus', async () => {
    const { child, done } = startCli(['serve', '--index', indexDir, '--port', '0'], repoRoot);
    try {
      const url = await Promise.race([servedUrl(child), done.then((run) => Promise.reject(new Error(run.stderr)))]);
      const stats = (await (await fetch(`${url}/api/stats`)).json()) as { articles: number };
      expect(stats.articles).toBe(articles);
    } finally {
      child.kill('SIGTERM');
      await done;
    }
  }, 60_000);

  it('after its dict.txt changes, advises the command that rebuilds this index from this corpus, which works', async () => {
    appendFileSync(path.join(blog, 'dict.txt'), '数字小键盘 1000 n\n');
    const search = await runCli(['search', '碳中和', '--index', indexDir], repoRoot);
    expect(search.code).toBe(1);
    const hint = `请运行 zhsearch reindex --corpus '${blog}' --index ${indexDir} 重建索引`;
    expect(search.stderr).toContain(`（建立时的用户词典：${path.join(blog, 'dict.txt')}）：${hint}\n`);

    const rebuild = await runCli(['reindex', '--corpus', blog, '--index', indexDir, '--json'], repoRoot);
    expect(rebuild.code, rebuild.stderr).toBe(0);
    expect(JSON.parse(rebuild.stdout) as ReindexSummary).toMatchObject({ status: 'written', mode: 'full', removed: 0, articles });
    expect(await searchIds('碳中和')).toContain(CARBON_ID);
  }, 120_000);

  it('names its own corpus in the hint after CURRENT is damaged', async () => {
    writeFileSync(path.join(indexDir, 'CURRENT'), '../../../etc\n');
    const search = await runCli(['search', '碳中和', '--index', indexDir], repoRoot);
    expect(search.code).toBe(1);
    expect(search.stderr).toContain(`请运行 zhsearch reindex --full --corpus '${blog}' --index ${indexDir}\n`);
    const rebuild = await runCli(['reindex', '--full', '--index', indexDir, '--json'], repoRoot);
    expect(rebuild.code, rebuild.stderr).toBe(0);
    expect(JSON.parse(rebuild.stdout) as ReindexSummary).toMatchObject({ status: 'written', corpus: blog, articles });
  }, 120_000);
});
