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
import { ThreadSampler, type CpuShares } from './threadCpu.js';

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
  /**
   * `zhsearch serve --watch`: the server rebuilds the index itself when the new articles appear (the reindex's time
   * runs from writing them to its "索引已更新" line), instead of a separate `zhsearch reindex` process.
   */
  watch?: boolean;
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
  /** Shares of wall time (Linux): the server's and the reindex's threads, under load before and during the reindex. */
  serverBeforeReindex?: CpuShares | null;
  serverDuringReindex?: CpuShares | null;
  reindexThreads?: CpuShares | null;
}

const QUERIES = ['手机', '游戏', '互联网', '数据', '设计', '产品经理', '人工智能', '市场', '学习', '电影', '汽车', '芯片 半导体'];
const SWITCHED = /index: switched from generation \d+ to (\d+)/;
const SERVING = /(http:\/\/127\.0\.0\.1:\d+)\//;
/** A watch-mode server's line after each rebuild: written, or failed. */
const WATCH_UPDATED = /^索引已更新：/;
const WATCH_FAILED = /^索引更新失败/;
const REQUEST_TIMEOUT_SECONDS = 10;

export async function measureSwitchUnderLoad(options: SwitchLoadOptions): Promise<SwitchLoadResult> {
  const log = options.log ?? (() => {});
  const addedDir = path.join(options.corpusDir, 'zz-switch-load');
  fs.rmSync(addedDir, { recursive: true, force: true });
  const serveArgs = ['serve', ...(options.watch ? ['--watch'] : []), '--index', options.indexDir, '--corpus', options.corpusDir, '--port', '0'];
  const server = spawn(process.execPath, [options.cliPath, ...serveArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  try {
    // A watching server logs its address before its watcher is ready: files written before that count as already there.
    const watching = new Promise<void>((resolve) => watchLines(server, (line) => line.startsWith('正在监视') && resolve()));
    const url = await serverUrl(server);
    if (options.watch) await watching;
    const switches: number[] = [];
    watchLines(server, (line) => {
      if (SWITCHED.test(line)) {
        switches.push(performance.now());
        log(`server: ${line}`);
      }
    });
    const switchAfter = (from: number): number | null => switches.find((at) => at >= from) ?? null;
    const rebuilds: { at: number; line: string }[] = [];
    watchLines(server, (line) => {
      if (WATCH_UPDATED.test(line) || WATCH_FAILED.test(line)) rebuilds.push({ at: performance.now(), line });
    });
    /** Adds the new articles and has them indexed: by a `zhsearch reindex` process, or by the watching server. */
    const reindexNew = async (what: string, limitMs: number, onSpawn?: (pid: number) => void): Promise<{ started: number; ended: number }> => {
      writeNewArticles(addedDir, options.newArticles);
      const started = performance.now();
      if (options.watch) {
        while (!rebuilds.some((r) => r.at >= started) && performance.now() < started + limitMs) await new Promise((resolve) => setTimeout(resolve, 50));
        const rebuild = rebuilds.find((r) => r.at >= started);
        if (!rebuild || WATCH_FAILED.test(rebuild.line)) throw new Error(`${what} failed: ${rebuild?.line ?? 'no rebuild line from the server'}`);
        return { started, ended: rebuild.at };
      }
      const run = await runCli(options.cliPath, ['reindex', '--corpus', options.corpusDir, '--index', options.indexDir], onSpawn);
      if (run.code !== 0) throw new Error(`${what} failed (${run.code}): ${run.stderr}`);
      return { started, ended: performance.now() };
    };
    let idle: { seconds: number; switchDelaySeconds: number | null } | undefined;
    if (options.idleReindexFirst) {
      const { started, ended } = await reindexNew('idle reindex', 600_000);
      while (switchAfter(started) === null && performance.now() < ended + 60_000) await new Promise((resolve) => setTimeout(resolve, 50));
      const switched = switchAfter(started);
      idle = { seconds: (ended - started) / 1000, switchDelaySeconds: switched === null ? null : Math.max(0, switched - ended) / 1000 };
      log(`idle reindex done in ${idle.seconds.toFixed(1)} s, switch delay ${idle.switchDelaySeconds} s`);
    }
    log(`serving at ${url}; load: ${options.connections} connections until 3 s after the switch (at most ${options.maxSeconds} s)`);

    const timeoutSeconds = options.requestTimeoutSeconds ?? REQUEST_TIMEOUT_SECONDS;
    let reindexPid: number | undefined;
    const sampler = new ThreadSampler(() => [process.pid, server.pid!, ...(reindexPid === undefined ? [] : [reindexPid])]);
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
    log('reindex started');
    const loadEnd = loadStart + options.maxSeconds * 1000;
    const { started: reindexStart, ended: reindexEnd } = await reindexNew('reindex', loadEnd - performance.now(), (pid) => (reindexPid = pid));
    const reindexShares = reindexPid === undefined ? null : sampler.shares(reindexPid, reindexStart, reindexEnd);
    log(`reindex done in ${((reindexEnd - reindexStart) / 1000).toFixed(1)} s`);
    while (switchAfter(reindexStart) === null && performance.now() < loadEnd) await new Promise((resolve) => setTimeout(resolve, 50));
    if (switchAfter(reindexStart) !== null) {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      load.stop();
    }
    const result = await load;
    sampler.stop();
    log(`load done: ${result.requests.total} requests`);
    logTimeline(log, { loadStart, reindexStart, reindexEnd, completions, errorsAt, sampler, serverPid: server.pid!, reindexPid });
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
      serverBeforeReindex: sampler.shares(server.pid!, loadStart, reindexStart),
      serverDuringReindex: sampler.shares(server.pid!, reindexStart, reindexEnd),
      reindexThreads: reindexShares,
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

/**
 * Every 5 s of the load: requests answered, the slowest, failures, and the CPU shares of the server's main thread
 * (running / waiting for a core), its other threads, and the reindex's main and other threads.
 */
function logTimeline(
  log: (line: string) => void,
  run: {
    loadStart: number;
    reindexStart: number;
    reindexEnd: number;
    completions: { at: number; ms: number }[];
    errorsAt: number[];
    sampler: ThreadSampler;
    serverPid: number;
    /** Undefined when the server rebuilds itself (watch mode): its rebuild threads are the server's others. */
    reindexPid: number | undefined;
  },
): void {
  const end = Math.max(...run.completions.map((c) => c.at), run.reindexEnd);
  const pct = (share: number | undefined) => (share === undefined ? '  -' : `${Math.round(share * 100)}`.padStart(3));
  log('  t(s) phase    answered slowest(ms) failed | server main run/wait, others | reindex main run/wait, others | load client');
  for (let from = run.loadStart; from < end; from += 5000) {
    const to = from + 5000;
    const answered = run.completions.filter((c) => c.at >= from && c.at < to);
    const server = run.sampler.shares(run.serverPid, from, to);
    const reindex = run.reindexPid === undefined ? null : run.sampler.shares(run.reindexPid, from, to);
    const client = run.sampler.shares(process.pid, from, to);
    const phase = to <= run.reindexStart ? 'before' : from >= run.reindexEnd ? 'after' : 'reindex';
    log(
      `  ${String(Math.round((from - run.loadStart) / 1000)).padStart(4)} ${phase.padEnd(8)} ${String(answered.length).padStart(8)} ` +
        `${String(Math.round(Math.max(0, ...answered.map((c) => c.ms)))).padStart(11)} ${String(run.errorsAt.filter((at) => at >= from && at < to).length).padStart(6)} | ` +
        `${pct(server?.mainRun)}/${pct(server?.mainWait)}, ${pct(server?.othersRun)} | ${pct(reindex?.mainRun)}/${pct(reindex?.mainWait)}, ${pct(reindex?.othersRun)} | ${pct(client ? client.mainRun + client.othersRun : undefined)}`,
    );
  }
}

function runCli(cliPath: string, args: string[], onSpawn?: (pid: number) => void): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (child.pid !== undefined) onSpawn?.(child.pid);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
