/**
 * Sphinx searchd clusters on this machine for the engine bench and the engine tests: `engine init`'s layout (a
 * distributed table and N shards) on a block of ports found free at run time, each searchd waited for until it
 * accepts connections. If another process takes a port between the probe and searchd's bind, the cluster is started
 * again on a new block, so two runs on one machine never collide.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { engineConfigPaths, engineDirectories, engineFiles, engineUrlOf, type EngineLayout } from '../index/index.js';

const run = promisify(execFile);

const HOST = '127.0.0.1';

function bindPort(port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host: HOST, exclusive: true }, () => resolve(server));
  });
}

/** The first of `count` consecutive ports that are free on 127.0.0.1 right now (the kernel picks the first). */
export async function freePortBlock(count: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const first = await bindPort(0);
    if (!first) continue;
    const base = (first.address() as net.AddressInfo).port;
    const held = [first];
    for (let port = base + 1; port < base + count && held.length === port - base; port++) {
      const server = port <= 65535 ? await bindPort(port) : undefined;
      if (server) held.push(server);
    }
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
    if (held.length === count) return base;
  }
  throw new Error(`no block of ${count} free ports on ${HOST}`);
}

/** searchd's log for a config (`engine init` names them run/<config name>.log). */
const logOf = (config: string) => path.join(path.dirname(config), 'run', `${path.basename(config, '.conf')}.log`);

/**
 * Starts one searchd and waits until it accepts connections (true), or until it reports that a port is taken (false;
 * it is then killed: searchd would otherwise retry the bind for half a minute).
 */
async function startSearchd(config: string): Promise<boolean> {
  const log = logOf(config);
  const offset = existsSync(log) ? readFileSync(log).length : 0;
  const launcher = spawn('searchd', ['--config', config], { stdio: 'ignore' });
  let exited = false;
  launcher.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const text = existsSync(log) ? readFileSync(log).subarray(offset).toString('utf8') : '';
    if (text.includes('accepting connections')) return true;
    if (text.includes('bind() failed')) {
      // The watchdog first (it would restart the main process), then the main process, then the launcher.
      const pids = new Set([...text.matchAll(/\[(\d+)\] watchdog: main process (\d+)|\[(\d+)\] bind\(\) failed/g)].flatMap((m) => [m[1], m[2], m[3]]).filter(Boolean).map(Number));
      for (const pid of pids) killQuietly(pid);
      killQuietly(launcher.pid!);
      return false;
    }
    if (exited && /FATAL/.test(text)) throw new Error(`searchd --config ${config} failed:\n${text}`);
    await sleep(50);
  }
  killQuietly(launcher.pid!);
  throw new Error(`searchd --config ${config} did not start within 60 s:\n${existsSync(log) ? readFileSync(log, 'utf8') : '(no log)'}`);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export interface EngineCluster {
  layout: EngineLayout;
  url: string;
  /** SphinxQL port of the distributed table; shard i (0-based) answers on port + 1 + i. */
  port: number;
  configs: string[];
  /** Stops shard `index` (0-based) and waits until it has exited. */
  stopShard(index: number): Promise<void>;
  startShard(index: number): Promise<void>;
  /** The pid of shard `index`'s searchd (to pause it with SIGSTOP). */
  shardPid(index: number): number;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  shards?: number;
  /**
   * Writes the config files for a port into a folder and returns the folder (as `zhsearch engine init --port` does);
   * called again with another port if one was taken. The folder is removed when the cluster stops.
   */
  init: (port: number) => Promise<string>;
}

const stopSearchd = (config: string) => run('searchd', ['--config', config, '--stopwait']).catch(() => {});

/** Writes the configs for a cluster on free ports and starts every searchd (shards first). */
export async function startCluster(options: ClusterOptions): Promise<EngineCluster> {
  const shards = options.shards ?? 2;
  for (let attempt = 1; ; attempt++) {
    // Distributed table, then each shard's SphinxQL and agent ports (engine init's layout).
    const port = await freePortBlock(1 + 2 * shards);
    const root = await options.init(port);
    const layout = layoutOf(root, port, shards);
    const configs = engineConfigPaths(layout);
    const started: string[] = [];
    let listening = true;
    try {
      for (const config of configs) {
        if (!(await startSearchd(config))) {
          listening = false;
          break;
        }
        started.push(config);
      }
    } catch (error) {
      for (const config of started.reverse()) await stopSearchd(config);
      throw error;
    }
    if (!listening) {
      for (const config of started.reverse()) await stopSearchd(config);
      rmSync(root, { recursive: true, force: true });
      if (attempt >= 5) throw new Error(`searchd could not listen on a free port block after ${attempt} attempts`);
      continue;
    }
    return cluster(layout, configs);
  }
}

/** engine init's files for a port in a folder (created). */
export function writeEngineConfigs(root: string, port: number, shards: number): string {
  const layout = layoutOf(root, port, shards);
  for (const folder of engineDirectories(layout)) mkdirSync(folder, { recursive: true });
  for (const file of engineFiles(layout)) writeFileSync(path.join(root, file.name), file.content);
  return root;
}

function layoutOf(root: string, port: number, shards: number): EngineLayout {
  return { dir: root, shards, port, table: 'zhsearch', host: HOST };
}

function cluster(layout: EngineLayout, configs: string[]): EngineCluster {
  return {
    layout,
    url: engineUrlOf(layout),
    port: layout.port,
    configs,
    stopShard: async (index) => {
      await stopSearchd(configs[index]);
    },
    startShard: async (index) => {
      // Its own ports, free since it stopped (a restart that finds one taken is a failure, not a retry).
      if (!(await startSearchd(configs[index]))) throw new Error(`searchd --config ${configs[index]}: a port was taken while it was stopped`);
    },
    shardPid: (index) => Number(readFileSync(path.join(layout.dir, 'run', `shard${index + 1}.pid`), 'utf8').trim()),
    stop: async () => {
      for (const config of [...configs].reverse()) await stopSearchd(config);
      rmSync(layout.dir, { recursive: true, force: true });
    },
  };
}
