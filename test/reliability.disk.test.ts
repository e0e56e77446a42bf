/**
 * A full disk (issue 17): the index lives on a 168 KB tmpfs (room for two generations of the 8 articles, each with its
 * stamps.bin page, not for the 40 more), mounted in a private mount namespace of an
 * unprivileged user namespace (`unshare -rm`, no root needed where user namespaces are allowed) and reached from
 * outside it through /proc/<pid>/root. A reindex that outgrows the disk must fail naming the disk in Chinese, give
 * back the space it took, and leave the previous generation serving; once there is room, the next reindex works.
 * Where user namespaces or tmpfs mounts are not allowed the test is skipped, saying why.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReindexSummary } from '../src/cli/reindex-summary.js';
import { articlesDir, repoRoot, runCli, servedUrl, startCli } from './fixtures/cli/run-cli.js';

const DISK_SIZE = '168k';
const MORE_ARTICLES = path.join(articlesDir, '新媒体/IT 之家/分类资讯');

/** Why a tmpfs cannot be mounted here, or null when it can. */
function mountProblem(): string | null {
  const probe = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-probe-'));
  try {
    const run = spawnSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=${DISK_SIZE} tmpfs "$0"`, probe], { encoding: 'utf8' });
    if (run.error) return `unshare 无法运行（${run.error.message}）`;
    return run.status === 0 ? null : `unshare -rm 无法挂载 tmpfs（${run.stderr.trim()}）`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const problem = mountProblem();
if (problem !== null) console.warn(`reliability.disk: 跳过磁盘写满测试：${problem}`);

let work: string;
let corpus: string;
let keeper: ChildProcess;
/** The tmpfs as seen from outside its namespace. */
let disk: string;

beforeAll(async () => {
  if (problem !== null) return;
  work = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-disk-'));
  corpus = path.join(work, 'corpus');
  const mountAt = path.join(work, 'disk');
  mkdirSync(mountAt);
  cpSync(path.join(repoRoot, 'corpus'), corpus, { recursive: true });
  // The namespace lives as long as this process: `sleep` holds the mount until afterAll kills it.
  keeper = spawn('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=${DISK_SIZE} tmpfs "$0" && echo mounted && exec sleep 600`, mountAt], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    keeper.stdout!.once('data', () => resolve());
    keeper.once('exit', (code) => reject(new Error(`unshare exited with ${code}`)));
  });
  disk = path.join(`/proc/${keeper.pid}/root`, mountAt);
});
afterAll(() => {
  keeper?.kill('SIGKILL');
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(problem !== null)('an index on a disk that fills up', () => {
  it('keeps the previous generation serving, names the disk, and frees what the failed write took', async () => {
    const indexDir = path.join(disk, 'index');
    const first = await runCli(['reindex', '--corpus', corpus, '--index', indexDir, '--json'], work);
    expect(first.code, first.stderr).toBe(0);
    const before = JSON.parse(first.stdout) as ReindexSummary;

    const { child, done } = startCli(['serve', '--index', indexDir, '--port', '0'], work);
    try {
      const url = await servedUrl(child);
      const entriesBefore = readdirSync(indexDir).sort();
      for (const name of readdirSync(MORE_ARTICLES).slice(0, 40)) cpSync(path.join(MORE_ARTICLES, name), path.join(corpus, name));

      const full = await runCli(['reindex', '--corpus', corpus, '--index', indexDir], work);
      expect(full.code).toBe(1);
      expect(full.stderr).toMatch(
        new RegExp(
          `zhsearch：索引无法写入 ${indexDir}：磁盘空间不足（ENOSPC）：索引目录所在的磁盘 ${disk}（共 168\\.0 KB，剩余 [\\d.]+ KB）已写满；` +
            '原索引保持不变，腾出空间后再运行 reindex\\n$',
        ),
      );
      expect(full.stdout).toContain('索引未写入，原索引保持不变');
      // The new generation's partial files are gone: the disk holds what it held before the run.
      expect(readdirSync(indexDir).sort()).toEqual(entriesBefore);
      expect(readFileSync(path.join(indexDir, 'CURRENT'), 'utf8').trim()).toBe(before.generation);

      const health = (await (await fetch(`${url}/healthz`)).json()) as { status: string; generation: string };
      expect(health).toMatchObject({ status: 'ok', generation: before.generation });
      const stats = (await (await fetch(`${url}/api/stats`)).json()) as { articles: number };
      expect(stats.articles).toBe(before.articles);
      const search = await fetch(`${url}/api/search?q=${encodeURIComponent('新基础设施')}`);
      expect(search.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await done;
    }

    // Room again (the added articles removed): the next reindex writes, and nothing was lost.
    for (const name of readdirSync(MORE_ARTICLES).slice(0, 40)) rmSync(path.join(corpus, name));
    const again = await runCli(['reindex', '--corpus', corpus, '--index', indexDir, '--full', '--json'], work);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout) as ReindexSummary).toMatchObject({ status: 'written', articles: before.articles });
  }, 180_000);
});
