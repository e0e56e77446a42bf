/** The real `zhsearch` CLI as a child process: exit codes, help, Ctrl-C during a reindex, start/serve. */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReindexSummary } from '../src/cli/reindex-summary.js';
import type { IndexStats } from '../src/search/types.js';
import { BROKEN_ARTICLE, makeWorkspace, removeWorkspace, runCli, servedUrl, startCli } from './fixtures/cli/run-cli.js';

let work: string;
beforeAll(async () => {
  work = makeWorkspace();
  const first = await runCli(['reindex', '--segmenter', 'node-rs'], work);
  expect(first.code, first.stderr).toBe(0);
});
afterAll(() => removeWorkspace(work));

describe('exit code 2: bad arguments, with a message naming the problem', () => {
  const cases: [string[], string][] = [
    [['reindex', '--fast'], 'zhsearch：未知选项 --fast（reindex 支持：--corpus, --index, --site, --base-url, --drafts, --include-hidden, --full, --segmenter, --workers, --wait, --engine, --json）\n用法见 zhsearch help reindex\n'],
    [['reindex', '--segmenter', 'ik'], 'zhsearch：选项 --segmenter 的值必须是 nodejieba 或 node-rs，收到 "ik"\n用法见 zhsearch help reindex\n'],
    [['reindex', '--workers', 'many'], 'zhsearch：选项 --workers 的值必须是 1 到 256 之间的整数，收到 "many"\n用法见 zhsearch help reindex\n'],
    [['search'], 'zhsearch：缺少参数 查询\n用法见 zhsearch help search\n'],
    [['search', '手机', '--sort', 'newest'], 'zhsearch：选项 --sort 的值必须是 relevance 或 date，收到 "newest"\n用法见 zhsearch help search\n'],
    [['serve', '--port', '70000'], 'zhsearch：选项 --port 的值必须是 0 到 65535 之间的整数，收到 "70000"\n用法见 zhsearch help serve\n'],
    [['frob'], 'zhsearch：未知命令 "frob"（可用命令：reindex、search、serve、stats、start、watch、engine、export、help）\n用法见 zhsearch --help\n'],
    [['help', 'frob'], 'zhsearch：没有命令 "frob"（可用命令：reindex、search、serve、stats、start、watch、engine、export、help）\n用法见 zhsearch --help\n'],
  ];
  it.each(cases)('zhsearch %j', async (args, message) => {
    const run = await runCli(args, work);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(message);
    expect(run.stdout).toBe('');
  });

  it('no command at all prints the overview on stderr', async () => {
    const run = await runCli([], work);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('用法：zhsearch <命令> [选项]');
  });
});

describe('exit code 1: nothing to index, index unusable', () => {
  it('an empty corpus folder', async () => {
    mkdirSync(path.join(work, 'empty'));
    const run = await runCli(['reindex', '--corpus', 'empty', '--index', 'idx-empty'], work);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`zhsearch：没有可索引的文章：${path.join(work, 'empty')} 中没有文章文件（.md、.markdown、.html）\n`);
  });

  it('a corpus folder that does not exist', async () => {
    const run = await runCli(['reindex', '--corpus', 'nope'], work);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`zhsearch：文章目录不存在：${path.join(work, 'nope')}（用 --corpus 指定）\n`);
  });

  it('an index path that is a file', async () => {
    writeFileSync(path.join(work, 'a-file'), 'x');
    const run = await runCli(['reindex', '--index', 'a-file'], work);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^zhsearch：索引目录不可写：.*a-file（EEXIST: file already exists, mkdir '.*a-file'）\n$/);
  });

  it('a corpus whose only file is broken: summary on stdout, nothing written', async () => {
    mkdirSync(path.join(work, 'broken'));
    writeFileSync(path.join(work, 'broken', '坏文件.md'), BROKEN_ARTICLE);
    const run = await runCli(['reindex', '--corpus', 'broken', '--index', 'idx-broken', '--segmenter', 'node-rs', '--json'], work);
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout) as ReindexSummary;
    expect(summary).toMatchObject({ status: 'failed', files: 1, indexed: 0, skipped: 1, articles: 0, generation: null });
    expect(summary.skippedFiles.map((f) => f.id)).toEqual(['坏文件.md']);
    expect(run.stderr).toContain(`zhsearch：没有可索引的文章：${path.join(work, 'broken')} 中的 1 个文件都无法索引\n`);
  });

  it('search and stats without an index', async () => {
    for (const args of [['search', '手机', '--index', 'no-index'], ['stats', '--index', 'no-index']]) {
      const run = await runCli(args, work);
      expect(run.code).toBe(1);
      const dir = path.join(work, 'no-index');
      expect(run.stderr).toBe(`zhsearch：无法加载索引 ${dir}：${dir} 中还没有索引：请运行 zhsearch reindex --corpus <文章目录> --index ${dir}\n`);
    }
  });
});

describe('help', () => {
  it('help <command> and <command> --help print the same Chinese help with examples', async () => {
    const viaHelp = await runCli(['help', 'reindex'], work);
    const viaFlag = await runCli(['reindex', '--help'], work);
    expect(viaHelp.code).toBe(0);
    expect(viaFlag.stdout).toBe(viaHelp.stdout);
    expect(viaHelp.stdout).toContain('zhsearch reindex —— 建立或增量更新索引\n\n用法：zhsearch reindex [选项]\n');
    expect(viaHelp.stdout).toContain('  # 全量重建 Hexo 博客文章的索引\n  zhsearch reindex --corpus ~/blog/source/_posts --full\n');
  });

  it('--help lists every command', async () => {
    const run = await runCli(['--help'], work);
    expect(run.code).toBe(0);
    for (const name of ['reindex', 'search', 'serve', 'stats', 'start', 'help']) expect(run.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });
});

describe('Ctrl-C and serving', () => {
  it('SIGINT during a reindex exits 130 and leaves the previous generation live', async () => {
    const { child, done } = startCli(['reindex', '--full', '--workers', '1'], work);
    await new Promise<void>((resolve) => {
      const onData = (chunk: string) => {
        if (!chunk.includes('开始分析')) return;
        child.stderr!.off('data', onData);
        resolve();
      };
      child.stderr!.on('data', onData);
    });
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('已中断：没有切换到新的索引，原索引保持不变。\n');
    expect(readFileSync(path.join(work, 'index-data', 'CURRENT'), 'utf8').trim()).toBe('000001');
    const stats = JSON.parse((await runCli(['stats', '--json'], work)).stdout) as IndexStats;
    expect(stats).toMatchObject({ articles: 312, generation: '000001' });
  });

  it('start reindexes only if needed, then serves the index and prints the URL', async () => {
    const { child, done } = startCli(['start', '--port', '0'], work);
    try {
      const url = await servedUrl(child);
      const stats = (await (await fetch(`${url}/api/stats`)).json()) as IndexStats;
      expect(stats.articles).toBe(312);
      const search = (await (await fetch(`${url}/api/search?q=${encodeURIComponent('新基础设施')}`)).json()) as { hits: { title: string }[] };
      expect(search.hits[0]!.title).toBe('产业互联网正驶向深蓝');
    } finally {
      child.kill('SIGTERM');
    }
    const run = await done;
    expect(run.stdout).toContain('索引已是最新，无需写入\n');
  });
});

describe('a corpus with its own user dictionary', () => {
  it('reindex, search and serve use <corpus>/dict.txt; the index remembers them, so serve needs no --corpus', async () => {
    cpSync(path.join(work, 'corpus', '编程'), path.join(work, 'own-dict'), { recursive: true });
    writeFileSync(path.join(work, 'own-dict', 'dict.txt'), '屏幕保护程序 100 n\n');
    const args = ['--corpus', 'own-dict', '--index', 'idx-own-dict'];
    const reindex = await runCli(['reindex', ...args, '--segmenter', 'node-rs', '--json'], work);
    expect(reindex.code, reindex.stderr).toBe(0);
    expect((JSON.parse(reindex.stdout) as ReindexSummary).articles).toBe(22);

    const own = JSON.parse((await runCli(['stats', '--index', 'idx-own-dict', '--json'], work)).stdout) as IndexStats;
    const shared = JSON.parse((await runCli(['stats', '--json'], work)).stdout) as IndexStats;
    expect(own.analyzer.segmenter).toBe(shared.analyzer.segmenter);
    expect(own.analyzer.dictHash).not.toBe(shared.analyzer.dictHash);

    const search = await runCli(['search', '屏幕保护程序', ...args, '--json'], work);
    expect(search.code, search.stderr).toBe(0);
    expect((JSON.parse(search.stdout) as { hits: { id: string }[] }).hits[0]!.id).toBe('开源中国/资讯/Aerial 231 发布，Mac 屏幕保护程序.md');

    // Another corpus's dictionary is refused, with the command that rebuilds this index from its own corpus.
    const refused = await runCli(['serve', '--index', 'idx-own-dict', '--corpus', 'corpus', '--port', '0'], work);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^zhsearch：无法启动服务（127\.0\.0\.1:0，索引 .*idx-own-dict）：索引 .* 由分析器 .* 建立，服务进程的分析器是 .*：/);
    expect(refused.stderr).toContain(`：请运行 zhsearch reindex --corpus ${path.join(work, 'own-dict')} --index ${path.join(work, 'idx-own-dict')}\n`);

    const { child, done } = startCli(['serve', '--index', 'idx-own-dict', '--port', '0'], work);
    try {
      const url = await servedUrl(child);
      const stats = (await (await fetch(`${url}/api/stats`)).json()) as IndexStats;
      expect(stats.analyzer.dictHash).toBe(own.analyzer.dictHash);
    } finally {
      child.kill('SIGTERM');
    }
    await done;
  });
});
