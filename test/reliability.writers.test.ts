/**
 * Fault tests of the real CLI on a small copy of the real articles: two `reindex` of the same index at once, 20
 * rounds (the index stays loadable, each loser says who holds the lock); a reindex killed with SIGKILL at random
 * moments (the index stays loadable, and the next reindex takes over the dead writer's lock).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openIndex, readCurrentGeneration } from '../src/index/index.js';
import { articlesDir, markdownIds, runCli, startCli } from './fixtures/cli/run-cli.js';

const ARTICLES = 30;
let work: string;
let corpus: string;
let indexDir: string;

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-writers-'));
  corpus = path.join(work, 'corpus');
  indexDir = path.join(work, 'index');
  for (const id of markdownIds(articlesDir).slice(0, ARTICLES)) {
    cpSync(path.join(articlesDir, id), path.join(corpus, id.replaceAll('/', '_')));
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function lockHolderPid(lockFile: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number }).pid;
  } catch {
    return undefined;
  }
}

async function assertLoadable(): Promise<number> {
  const generation = readCurrentGeneration(indexDir);
  expect(generation).not.toBeNull();
  expect(existsSync(path.join(indexDir, generation!, 'manifest.json'))).toBe(true);
  return (await openIndex(indexDir)).docCount;
}

it('two reindexes of one index at once, 20 rounds: never a broken index, each loser names the holder', async () => {
  const reindex = () => runCli(['reindex', '--corpus', corpus, '--index', indexDir, '--workers', '1'], work);
  let losers = 0;
  for (let round = 0; round < 20; round++) {
    writeFileSync(path.join(corpus, `round-${round}.md`), `---\ntitle: 第 ${round} 轮\n---\n并发写入测试第 ${round} 轮的正文。\n`);
    const runs = await Promise.all([reindex(), reindex()]);
    for (const run of runs) {
      if (run.code === 0) continue;
      losers++;
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(`^zhsearch：索引目录 ${indexDir} 正由另一个进程写入（pid \\d+，zhsearch reindex --corpus ${corpus}，开始于 \\S+）：等它结束后再运行，或加 --wait 排队等待\\n$`),
      );
    }
    expect(runs.some((run) => run.code === 0)).toBe(true);
    // A loser's round is caught up by the next one; the index always holds at least the earlier rounds.
    expect(await assertLoadable()).toBeGreaterThanOrEqual(ARTICLES + round);
  }
  expect(losers).toBeGreaterThan(0);
  const final = await runCli(['reindex', '--corpus', corpus, '--index', indexDir, '--wait'], work);
  expect(final.code, final.stderr).toBe(0);
  expect(await assertLoadable()).toBe(ARTICLES + 20);
  // Only the live and the previous generation are left.
  expect(readdirSync(indexDir).filter((name) => /^\d+$/.test(name))).toHaveLength(2);
  // About 90 s on an idle 2-core machine; a shared one under heavy load took over 300 s.
}, 900_000);

it('a reindex killed with SIGKILL at random moments never leaves an unloadable index', async () => {
  const lockFile = path.join(indexDir, 'LOCK');
  for (let round = 0; round < 8; round++) {
    const before = readCurrentGeneration(indexDir);
    const { child, done } = startCli(['reindex', '--full', '--corpus', corpus, '--index', indexDir, '--workers', '1'], work);
    let exited = false;
    void done.then(() => (exited = true));
    // Killed at a random moment after this writer took the lock (a loaded machine may take seconds to get there);
    // the last round kills it at once, so a dead writer's lock is surely left for the next run to take over.
    while (!exited && lockHolderPid(lockFile) !== child.pid) await new Promise((resolve) => setTimeout(resolve, 20));
    if (round < 7) await new Promise((resolve) => setTimeout(resolve, Math.random() * 1500));
    child.kill('SIGKILL');
    const run = await done;
    await assertLoadable();
    if (run.signal !== 'SIGKILL') expect(readCurrentGeneration(indexDir)).not.toBe(before);
    else if (round === 7) expect(lockHolderPid(lockFile)).toBe(child.pid);
  }
  // The dead writer's lock is taken over; the next run succeeds.
  const next = await runCli(['reindex', '--corpus', corpus, '--index', indexDir], work);
  expect(next.code, next.stderr).toBe(0);
  expect(await assertLoadable()).toBe(ARTICLES + 20);
}, 300_000);
