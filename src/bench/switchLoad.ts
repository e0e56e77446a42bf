/**
 * A generation switch under load, end to end with the real CLI: `zhsearch serve` in a child process, autocannon
 * sending searches on 127.0.0.1, and part-way an incremental `zhsearch reindex` (a few new articles) in another
 * child. Measured: how long the reindex took, how long after it finished the server answered from the new
 * generation (its "switched" log line), the slowest request, and every failed request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';

export interface SwitchLoadOptions {
  /** The zhsearch CLI to run (dist/cli/main.js of the code under test). */
  cliPath: string;
  corpusDir: string;
  indexDir: string;
  connections: number;
  /** The load runs until 3 s after the switch, at most this long. */
  maxSeconds: number;
  /** When the reindex starts, after the load does (s). */
  reindexAfterSeconds: number;
  /** A request slower than this counts as failed (autocannon's timeout); default 10 s. */
  requestTimeoutSeconds?: number;
  /** New articles the reindex adds (written into `<corpus>/zz-switch-load/`, removed again by a reindex after the run). */
  newArticles: number;
  /** First, before the load, the same reindex (as many new articles) with the server idle: its time to compare. */
  idleReindexFirst?: boolean;
  log?: (line: string) => void;
}

export interface SwitchLoadResult {
  requests: number;
  /** Errors, timeouts and non-2xx answers. */
  failed: number;
  reindexSeconds: number;
  /** The same reindex with the server idle (when asked for), and its switch delay. */
  idleReindexSeconds?: number;
  idleSwitchDelaySeconds?: number | null;
  /** Seconds the load ran. */
  loadSeconds: number;
  /** From the reindex's exit to the server's "switched" log line; null when it never switched during the load. */
  switchDelaySeconds: number | null;
  /** The slowest request of the whole load (ms), and the slowest one answered from the reindex start on. */
  slowestMs: number;
  slowestDuringReindexMs: number;
  p99Ms: number;
  /** The p99 of the requests answered while the reindex ran (from its start to its exit). */
  p99DuringReindexMs?: number;
  /** Requests failed (errors, timeouts) from the reindex's start to one request timeout after its exit: sent while it ran. */
  failedDuringReindex?: number;
  /** The slowest request answered while the server switched: from the reindex's exit to 2 s after the switch. */
  slowestAroundSwitchMs: number;
}

const QUERIES = ['手机', '游戏', '互联网', '数据', '设计', '产品经理', '人工智能', '市场', '学习', '电影', '汽车', '芯片 半导体'];
const SWITCHED = /index: switched from generation \d+ to (\d+)/;
const SERVING = /(http:\/\/127\.0\.0\.1:\d+)\//;
const REQUEST_TIMEOUT_SECONDS = 10;

export async function measureSwitchUnderLoad(options: SwitchLoadOptions): Promise<SwitchLoadResult> {
  const log = options.log ?? (() => {});
  const addedDir = path.join(options.corpusDir, 'zz-switch-load');
  fs.rmSync(addedDir, { recursive: true, force: true });
  const server = spawn(process.execPath, [options.cliPath, 'serve', '--index', options.indexDir, '--corpus', options.corpusDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  try {
    const url = await serverUrl(server);
    const switches: number[] = [];
    watchLines(server, (line) => {
      if (SWITCHED.test(line)) {
        switches.push(performance.now());
        log(`server: ${line}`);
      }
    });
    const switchAfter = (from: number): number | null => switches.find((at) => at >= from) ?? null;
    let idle: { seconds: number; switchDelaySeconds: number | null } | undefined;
    if (options.idleReindexFirst) {
      writeNewArticles(addedDir, options.newArticles);
      const started = performance.now();
      const run = await runCli(options.cliPath, ['reindex', '--corpus', options.corpusDir, '--index', options.indexDir]);
      const ended = performance.now();
      if (run.code !== 0) throw new Error(`idle reindex failed (${run.code}): ${run.stderr}`);
      while (switchAfter(started) === null && performance.now() < ended + 60_000) await new Promise((resolve) => setTimeout(resolve, 50));
      const switched = switchAfter(started);
      idle = { seconds: (ended - started) / 1000, switchDelaySeconds: switched === null ? null : Math.max(0, switched - ended) / 1000 };
      log(`idle reindex done in ${idle.seconds.toFixed(1)} s, switch delay ${idle.switchDelaySeconds} s`);
    }
    log(`serving at ${url}; load: ${options.connections} connections until 3 s after the switch (at most ${options.maxSeconds} s)`);

    const timeoutSeconds = options.requestTimeoutSeconds ?? REQUEST_TIMEOUT_SECONDS;
    const completions: { at: number; ms: number }[] = [];
    const loadStart = performance.now();
    let next = 0;
    // Without a callback autocannon returns its instance (an event emitter) that is also a promise of the result.
    const load = autocannon({
      url,
      connections: options.connections,
      duration: options.maxSeconds,
      timeout: timeoutSeconds,
      requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `/api/search?q=${encodeURIComponent(QUERIES[next++ % QUERIES.length]!)}` }) }],
    }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
    load.on('response', (_client, _status, _bytes, responseTime) => completions.push({ at: performance.now(), ms: responseTime }));
    const errorsAt: number[] = [];
    load.on('reqError', () => errorsAt.push(performance.now()));

    await new Promise((resolve) => setTimeout(resolve, options.reindexAfterSeconds * 1000));
    writeNewArticles(addedDir, options.newArticles);
    const reindexStart = performance.now();
    log('reindex started');
    const reindex = await runCli(options.cliPath, ['reindex', '--corpus', options.corpusDir, '--index', options.indexDir]);
    const reindexEnd = performance.now();
    if (reindex.code !== 0) throw new Error(`reindex failed (${reindex.code}): ${reindex.stderr}`);
    log(`reindex done in ${((reindexEnd - reindexStart) / 1000).toFixed(1)} s`);
    const loadEnd = loadStart + options.maxSeconds * 1000;
    while (switchAfter(reindexStart) === null && performance.now() < loadEnd) await new Promise((resolve) => setTimeout(resolve, 50));
    if (switchAfter(reindexStart) !== null) {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      load.stop();
    }
    const result = await load;
    log(`load done: ${result.requests.total} requests`);
    const switched = switchAfter(reindexStart);
    const slowestIn = (from: number, to: number) => Math.max(0, ...completions.filter((c) => c.at >= from && c.at <= to).map((c) => c.ms));
    const duringReindex = completions.filter((c) => c.at >= reindexStart && c.at <= reindexEnd).map((c) => c.ms).sort((a, b) => a - b);
    return {
      requests: result.requests.total,
      loadSeconds: (performance.now() - loadStart) / 1000,
      failed: result.errors + result.timeouts + result.non2xx,
      reindexSeconds: (reindexEnd - reindexStart) / 1000,
      ...(idle && { idleReindexSeconds: idle.seconds, idleSwitchDelaySeconds: idle.switchDelaySeconds }),
      switchDelaySeconds: switched === null ? null : Math.max(0, switched - reindexEnd) / 1000,
      slowestMs: result.latency.max,
      slowestDuringReindexMs: slowestIn(reindexStart, Infinity),
      p99Ms: result.latency.p99,
      p99DuringReindexMs: duringReindex[Math.min(duringReindex.length - 1, Math.floor(duringReindex.length * 0.99))] ?? 0,
      failedDuringReindex: errorsAt.filter((at) => at >= reindexStart && at <= reindexEnd + timeoutSeconds * 1000).length,
      slowestAroundSwitchMs: slowestIn(reindexEnd, (switched ?? Infinity) + 2000),
    };
  } finally {
    server.kill('SIGTERM');
    await exited;
    fs.rmSync(addedDir, { recursive: true, force: true });
    await runCli(options.cliPath, ['reindex', '--corpus', options.corpusDir, '--index', options.indexDir]);
  }
}

/** Short real-looking posts, different on every run so the reindex always has work. */
function writeNewArticles(dir: string, count: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = Date.now();
  for (let i = 0; i < count; i++) {
    const body = `${QUERIES[i % QUERIES.length]}行业在 ${stamp} 的第 ${i} 篇观察：数据、产品与市场的新变化。`.repeat(20);
    fs.writeFileSync(path.join(dir, `post-${stamp}-${i}.md`), `---\ntitle: 切换测试 ${stamp} 第 ${i} 篇\ndate: 2024-01-0${(i % 9) + 1}\n---\n${body}\n`);
  }
}

function serverUrl(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    server.stderr!.on('data', (chunk) => (stderr += chunk));
    watchLines(server, (line) => {
      const match = SERVING.exec(line);
      if (match) resolve(match[1]!);
    });
    server.once('exit', (code) => reject(new Error(`zhsearch serve exited with code ${code}: ${stderr}`)));
  });
}

function watchLines(child: ChildProcess, onLine: (line: string) => void): void {
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    lines.forEach(onLine);
  });
}

function runCli(cliPath: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
