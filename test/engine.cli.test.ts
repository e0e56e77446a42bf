/**
 * The engine from the command line, on real searchd processes: `engine init`'s files started as printed,
 * `reindex --engine` (every article on the shard its id hashes to, bad files skipped as by the embedded index,
 * incremental edits/additions/deletions on the right shards, a shard down during a write), and `serve --engine` when a
 * shard is down, paused or back, and when the whole engine is down.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine, engineDocId, shardOf } from '../src/index/index.js';
import type { ChildProcess } from 'node:child_process';
import { BROKEN_ARTICLE, makeWorkspace, markdownIds, removeWorkspace, runCli, servedUrl, startCli } from './fixtures/cli/run-cli.js';
import { engineRunDir, searchdAvailable, startCluster, type EngineCluster } from './fixtures/engine/searchd.js';
import { writeEngineConfigs } from '../src/bench/searchdCluster.js';

// The distributed table's port and the engine URL, chosen when the cluster starts (a free port block).
let PORT: number;
let URL: string;
const available = await searchdAvailable('test/engine.cli.test.ts');

/** Article id → content hash, as shard `index` (0-based) holds them. */
async function shardRows(index: number): Promise<Map<string, string>> {
  const connection = await connectEngine({ host: '127.0.0.1', port: PORT + 1 + index });
  try {
    const [rows] = (await connection.query(`SELECT aid, hash FROM zhsearch_${index + 1} LIMIT 5000 OPTION max_matches=5000`)) as unknown as [{ aid: string; hash: string }[]];
    return new Map(rows.map((row) => [row.aid, row.hash]));
  } finally {
    await connection.end();
  }
}

const shardOfId = (id: string) => shardOf(engineDocId(id), 2);

describe.skipIf(!available)('zhsearch engine init, reindex --engine and serve --engine', () => {
  let work: string;
  let corpus: string;
  let cluster: EngineCluster;
  let server: ChildProcess | undefined;
  let api: string;

  beforeAll(() => {
    work = makeWorkspace();
    corpus = path.join(work, 'corpus');
    mkdirSync(path.join(corpus, '坏'));
    writeFileSync(path.join(corpus, '坏/broken.md'), BROKEN_ARTICLE);
    writeFileSync(path.join(corpus, '坏/binary.md'), Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x00, 0x00, 0x10, 0x80]));
  });

  afterAll(async () => {
    server?.kill('SIGTERM');
    await cluster?.stop();
    if (work) removeWorkspace(work);
  });

  const reindex = async () => {
    const run = await runCli(['reindex', '--engine', URL, '--json'], work);
    return { ...run, summary: run.code === 0 || run.stdout.startsWith('{') ? JSON.parse(run.stdout) : undefined };
  };

  it('engine init writes the searchd configs and prints how to start and stop them and the URL', async () => {
    // Under the folder .ci/run watches, so a killed run's searchd processes are stopped too.
    const dir = engineRunDir();
    cluster = await startCluster({
      init: async (port) => {
        rmSync(dir, { recursive: true, force: true });
        const run = await runCli(['engine', 'init', '--shards', '2', '--dir', dir, '--port', String(port)], work);
        expect(run.code).toBe(0);
        for (const name of ['shard1.conf', 'shard2.conf', 'dist.conf']) {
          expect(run.stdout).toContain(`  searchd --config ${path.join(dir, name)}\n`);
          expect(run.stdout).toContain(`  searchd --config ${path.join(dir, name)} --stopwait\n`);
        }
        expect(run.stdout).toContain(`引擎地址：sphinxql://127.0.0.1:${port}/zhsearch\n`);
        return dir;
      },
    });
    PORT = cluster.port;
    URL = cluster.url;
    expect(URL).toBe(`sphinxql://127.0.0.1:${PORT}/zhsearch`);
  });

  it('writes every article to the shard its id hashes to; bad files are skipped as by the embedded index', async () => {
    const { code, summary } = await reindex();
    expect(code).toBe(0);
    expect(summary.skippedFiles.map((f: { id: string }) => f.id).sort()).toEqual(['坏/binary.md', '坏/broken.md']);
    expect(summary.engine.written).toBe(summary.articles);
    const shards = [await shardRows(0), await shardRows(1)];
    for (const [index, rows] of shards.entries()) {
      expect(rows.size).toBeGreaterThan(0);
      for (const id of rows.keys()) expect(shardOfId(id)).toBe(index);
    }
    // Hidden files (the corpus's `.md`) are not published, so not indexed.
    const expected = markdownIds(corpus).filter((id) => !id.startsWith('坏/') && !/(^|\/)\./.test(id));
    expect([...shards[0].keys(), ...shards[1].keys()].sort()).toEqual(expected.sort());
    expect((await reindex()).summary.engine).toMatchObject({ written: 0, removed: 0, unchanged: summary.articles });
  });

  it('stats --engine reports the engine: articles, analyzer and each shard', async () => {
    const json = await runCli(['stats', '--engine', URL, '--json'], work);
    expect(json.code).toBe(0);
    const stats = JSON.parse(json.stdout);
    const local = JSON.parse((await runCli(['stats', '--json'], work)).stdout);
    expect(stats).toMatchObject({ articles: local.articles, sourceBytes: local.sourceBytes, analyzer: local.analyzer, generation: URL, terms: 0 });
    expect(stats.files.map((file: { name: string }) => file.name)).toEqual([`zhsearch_1@127.0.0.1:${PORT + 1}`, `zhsearch_2@127.0.0.1:${PORT + 2}`]);
    const text = await runCli(['stats', '--engine', URL], work);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`引擎 ${URL}\n`);
    expect(text.stdout).toMatch(new RegExp(`文章数\\s+${local.articles}\n`));
    expect(text.stdout).toContain('（引擎不统计）');
    expect(text.stdout).toContain(`  分片：\n`);
  });

  it('lands an edit, an addition and a deletion on the right shards', async () => {
    const [edited, deleted] = markdownIds(corpus).filter((id) => !id.startsWith('坏/'));
    appendFileSync(path.join(corpus, edited), '\n\n补充一段：量子纠缠实验的新进展。\n');
    mkdirSync(path.join(corpus, '新增'));
    writeFileSync(path.join(corpus, '新增/量子.md'), '---\ntitle: 量子纠缠实验\ndate: 2022-10-01\n---\n量子纠缠实验又有新进展。\n');
    unlinkSync(path.join(corpus, deleted));
    const { code, summary } = await reindex();
    expect(code).toBe(0);
    expect(summary.engine).toMatchObject({ written: 2, removed: 1 });
    const rowsOf = async (id: string) => shardRows(shardOfId(id));
    expect((await rowsOf(deleted)).has(deleted)).toBe(false);
    expect((await rowsOf('新增/量子.md')).has('新增/量子.md')).toBe(true);
    const search = await runCli(['search', '量子纠缠', '--engine', URL, '--json'], work);
    expect(search.code).toBe(0);
    const ids = JSON.parse(search.stdout).hits.map((hit: { id: string }) => hit.id);
    expect(ids[0]).toBe('新增/量子.md');
    expect(ids).toContain(edited);
  });

  it('a shard down during a write fails the reindex naming it, the other shard is updated, a rerun completes it', async () => {
    const ids = markdownIds(corpus).filter((id) => !id.startsWith('坏/') && !id.startsWith('新增/'));
    const onFirst = ids.find((id) => shardOfId(id) === 0)!;
    const onSecond = ids.find((id) => shardOfId(id) === 1)!;
    for (const id of [onFirst, onSecond]) appendFileSync(path.join(corpus, id), '\n\n又一次修改。\n');
    const before = (await shardRows(1)).get(onSecond);
    await cluster.stopShard(1);
    const failed = await reindex();
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`分片 2（127.0.0.1:${PORT + 2}）`);
    expect(failed.stderr).toContain('其余分片已完整更新');
    const first = await shardRows(0);
    expect(first.get(onFirst)).not.toBe(before);
    await cluster.startShard(1);
    expect((await shardRows(1)).get(onSecond)).toBe(before);
    const rerun = await reindex();
    expect(rerun.code).toBe(0);
    expect(rerun.summary.engine).toMatchObject({ written: 1, removed: 0 });
    expect((await shardRows(1)).get(onSecond)).not.toBe(before);
  });

  it('serve --engine flags partial results when a shard is down or paused, and is complete again when it is back', async () => {
    const started = startCli(['serve', '--engine', URL, '--port', '0'], work);
    server = started.child;
    api = `${await servedUrl(started.child)}/api/search?q=${encodeURIComponent('手机')}`;
    const get = async () => {
      const response = await fetch(api);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const complete = await get();
    expect(complete.status).toBe(200);
    expect(complete.body.partial).toBeUndefined();
    const total = complete.body.total as number;
    expect(total).toBeGreaterThan(0);

    await cluster.stopShard(1);
    const down = await get();
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ partial: true, missing_shards: [`zhsearch_2@127.0.0.1:${PORT + 2}`] });
    expect(down.body.total).toBeLessThan(total);
    const cli = await runCli(['search', '手机', '--engine', URL], work);
    expect(cli.code).toBe(0);
    expect(cli.stderr).toContain(`警告：引擎分片 zhsearch_2@127.0.0.1:${PORT + 2} 没有响应，结果不完整。`);
    await cluster.startShard(1);
    expect((await get()).body).toMatchObject({ total });

    // A shard that accepts connections but never answers: the distributed table's query timeout, then partial.
    process.kill(cluster.shardPid(0), 'SIGSTOP');
    try {
      const slow = await get();
      expect(slow.status).toBe(200);
      expect(slow.body).toMatchObject({ partial: true, missing_shards: [`zhsearch_1@127.0.0.1:${PORT + 1}`] });
    } finally {
      process.kill(cluster.shardPid(0), 'SIGCONT');
    }
    expect((await get()).body.partial).toBeUndefined();
  });

  it('answers 503 with a JSON error while the whole engine is down, and recovers', async () => {
    const dist = cluster.configs.length - 1;
    await cluster.stopShard(dist);
    try {
      const response = await fetch(api);
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    } finally {
      await cluster.startShard(dist);
    }
    expect((await fetch(api)).status).toBe(200);
  });

  it('refuses a table made by an older engine init, to write and to search, naming the columns it lacks', async () => {
    // engine init's files without the term positions (`pos`), as an older version wrote them.
    const old = await startCluster({
      shards: 1,
      init: async (port) => {
        const dir = writeEngineConfigs(engineRunDir(), port, 1);
        const shard = path.join(dir, 'shard1.conf');
        writeFileSync(shard, readFileSync(shard, 'utf8').replace(/^\s*rt_attr_json = pos\n/m, ''));
        return dir;
      },
    });
    try {
      const run = await runCli(['reindex', '--engine', old.url], work);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('表 zhsearch_1 缺少列 pos');
      expect(run.stderr).toContain('请重新运行 zhsearch engine init');
      // Searching it is refused the same way at start, not with searchd's error on every search.
      const search = await runCli(['search', '数据', '--engine', old.url], work);
      expect(search.code).not.toBe(0);
      expect(search.stderr).toContain('表 zhsearch_1 缺少列 pos');
    } finally {
      await old.stop();
    }
  });
});
