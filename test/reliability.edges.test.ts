/**
 * Edges found by trying to break a running zhsearch, each reproduced first: related articles on the shipped
 * 8-post sample, a URL over node's 16 KB header limit, `q[]=x`, a CURRENT naming something else than a
 * generation, and `npm start` stopped with SIGTERM (the server must not outlive npm).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCurrentGeneration } from '../src/index/index.js';
import { startServer, type RunningServer } from '../src/server/index.js';
import { repoRoot, runCli } from './fixtures/cli/run-cli.js';

let work: string;
let indexDir: string;
let server: RunningServer;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-edges-'));
  indexDir = path.join(work, 'index');
  const run = await runCli(['reindex', '--corpus', path.join(repoRoot, 'corpus'), '--index', indexDir], work);
  expect(run.code, run.stderr).toBe(0);
  server = await startServer({ indexDir, port: 0, userDictPath: path.join(repoRoot, 'corpus/dict.txt'), log: () => {} });
});
afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a running server', () => {
  it('relates the articles of the shipped 8-post sample', async () => {
    const res = await fetch(`${server.url}/api/related/${encodeURIComponent('新基础设施.md')}`);
    const body = (await res.json()) as { related: { id: string }[] };
    expect(res.status).toBe(200);
    const ids = body.related.map((hit) => hit.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain('新基础设施.md');
  });

  it('answers a URL over 16 KB with a JSON 400 and the security headers', async () => {
    const res = await fetch(`${server.url}/api/search?q=${'a'.repeat(17_000)}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await res.json()).toEqual({ error: { code: 'bad_request', message: '请求的网址或请求头太长（上限 16 KB）：请缩短查询' } });
  });

  it('refuses q[]=x with a 400 naming q, as it refuses q=a&q=b', async () => {
    const bracketed = await fetch(`${server.url}/api/search?q%5B%5D=x`);
    expect(bracketed.status).toBe(400);
    expect(await bracketed.json()).toEqual({
      error: { code: 'invalid_parameter', message: '参数 "q" 写成了 "q[]"：请用 q=值', parameter: 'q' },
    });
    const repeated = await fetch(`${server.url}/api/search?q=a&q=b`);
    expect(repeated.status).toBe(400);
    expect(((await repeated.json()) as { error: { parameter: string } }).error.parameter).toBe('q');
  });
});

it('refuses a CURRENT that names no generation, without echoing its bytes', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-current-'));
  try {
    writeFileSync(path.join(dir, 'CURRENT'), '../../../etc\x1b[31m\n');
    expect(() => readCurrentGeneration(dir)).toThrow(
      `索引文件 ${path.join(dir, 'CURRENT')} 已损坏：内容（18 字节）不是索引版本号（6 位以上数字）：请运行 zhsearch reindex --full --corpus <文章目录> --index ${dir}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('npm start stopped with SIGTERM stops the server too', async () => {
  const npm = spawn('npm', ['start', '--', '--index', indexDir, '--port', '0'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    npm.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (match) resolve(match[1]!);
    });
    npm.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${out}`)));
  });
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  const exited = new Promise((resolve) => npm.once('exit', resolve));
  npm.kill('SIGTERM');
  await exited;
  // The server is gone within a few seconds (it was left serving, orphaned, before).
  let stopped = false;
  for (let i = 0; i < 50 && !stopped; i++) {
    stopped = await fetch(`${url}/healthz`).then(
      () => false,
      () => true,
    );
    if (!stopped) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(stopped).toBe(true);
}, 60_000);
