/**
 * Installing like a tool: `npm pack` of this checkout (dist/ built by `npm test`), then
 * `npm install -g --prefix TMP zhsearch-*.tgz --omit=dev --omit=optional` (production dependencies from the
 * registry, no C++ compiler involved), then the installed `zhsearch` indexes and searches real posts. nodejieba,
 * the optional dependency left out, is asked for by --segmenter and the message says how to install it.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResult } from '../src/search/types.js';
import { articlesDir, repoRoot } from './fixtures/cli/run-cli.js';

const run = promisify(execFile);
/** Without the npm_config_* variables `npx vitest` sets: they would override --omit and --prefix. */
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
const FOLDER = '新媒体/人人都是产品经理/最新文章';

describe('npm pack, npm install -g from the tarball', () => {
  let tmp: string;
  let prefix: string;
  let zhsearch: string;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'zhsearch-pack-'));
    prefix = path.join(tmp, 'prefix');
    // --ignore-scripts: dist/ is already built (npm test builds first); pack must not rebuild it under the test.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp], { cwd: repoRoot, env, timeout: 120_000 });
    const tarball = path.join(tmp, packed.stdout.trim().split('\n').at(-1)!);
    await run(
      'npm',
      ['install', '-g', '--prefix', prefix, tarball, '--omit=dev', '--omit=optional', '--prefer-offline', '--no-audit', '--no-fund'],
      { cwd: tmp, env, timeout: 300_000 },
    );
    zhsearch = path.join(prefix, 'bin', 'zhsearch');
    cpSync(path.join(articlesDir, FOLDER), path.join(tmp, 'posts'), { recursive: true });
  }, 420_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('installs the command with production dependencies only: no nodejieba, no test or bench packages', () => {
    expect(existsSync(zhsearch)).toBe(true);
    const installed = path.join(prefix, 'lib', 'node_modules', 'zhsearch');
    const modules = readdirSync(path.join(installed, 'node_modules'));
    expect(modules).toContain('express');
    expect(modules).not.toContain('nodejieba');
    expect(modules).not.toContain('better-sqlite3');
    expect(modules).not.toContain('vitest');
    expect(existsSync(path.join(installed, 'dist', 'cli', 'main.js'))).toBe(true);
    expect(existsSync(path.join(installed, 'dist', 'bench'))).toBe(false);
    expect(existsSync(path.join(installed, 'src', 'web', 'index.html'))).toBe(true);
  });

  it('reindexes and searches real posts from the installed command', async () => {
    const options = { cwd: tmp, timeout: 120_000, env: { ...env, NO_COLOR: '1' } };
    const reindexed = await run(zhsearch, ['reindex', '--corpus', 'posts', '--index', 'idx', '--json'], options);
    expect(JSON.parse(reindexed.stdout)).toMatchObject({ status: 'written', articles: 4, segmenter: 'node-rs' });
    const searched = await run(zhsearch, ['search', '产业互联网', '--index', 'idx', '--corpus', 'posts', '--json'], options);
    const result = JSON.parse(searched.stdout) as SearchResult;
    expect(result.hits[0]!.title).toBe('产业互联网正驶向深蓝');
  });

  it('--segmenter nodejieba says in Chinese how to install the optional segmenter', async () => {
    const failed = await run(zhsearch, ['reindex', '--corpus', 'posts', '--index', 'idx-jieba', '--segmenter', 'nodejieba'], { cwd: tmp, env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect('code' in failed && failed.code).toBe(1);
    expect((failed as { stderr: string }).stderr).toContain(
      `zhsearch：无法加载分词器 nodejieba：分词器 nodejieba 没有安装：它是可选依赖，安装时需要 C++ 编译器（g++、make、python3）。请在 zhsearch 的安装目录 ${path.join(prefix, 'lib', 'node_modules', 'zhsearch')} 运行 "npm install nodejieba"`,
    );
  });
});
