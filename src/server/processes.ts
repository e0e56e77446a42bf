/**
 * A server on several processes (`serve --processes N`): node:cluster forks N workers (process-worker.ts) that each
 * load the index, hot-reload new generations on their own and answer on the one shared port, the primary handing
 * them connections in turn. Requests then use N cores; each worker holds its own copy of the loaded index.
 */
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { RunningServer, ServerOptions } from './start.js';

/** What every worker is started with: the options that cross a process boundary. */
export type WorkerOptions = Omit<ServerOptions, 'log' | 'backend' | 'processes' | 'onGeneration'>;

/** The environment variable a worker finds its WorkerOptions in (JSON): there before any message could be. */
export const WORKER_OPTIONS_VARIABLE = 'ZHSEARCH_SERVER_OPTIONS';

export type ToWorker = { kind: 'reload'; id: number } | { kind: 'close' };

export type FromWorker =
  | { kind: 'listening'; url: string; pageUrl: string; generation: string }
  | { kind: 'failed'; message: string }
  | { kind: 'log'; lines: string[] }
  | { kind: 'generation'; generation: string }
  | { kind: 'reloaded'; id: number };

export async function startProcesses(options: WorkerOptions, count: number, log: (line: string) => void): Promise<RunningServer> {
  cluster.setupPrimary({ exec: fileURLToPath(new URL('./process-worker.js', import.meta.url)) });
  const generations = new Map<Worker, string>();
  const reloads = new Map<number, () => void>();
  let nextReload = 0;
  let closing = false;

  /** Resolves once the worker listens; a worker that dies later is replaced, so the server keeps its N processes. */
  const fork = (): Promise<Extract<FromWorker, { kind: 'listening' }>> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork({ [WORKER_OPTIONS_VARIABLE]: JSON.stringify(options) });
      let listening = false;
      worker.on('message', (message: FromWorker) => {
        if (message.kind === 'log') message.lines.forEach(log);
        else if (message.kind === 'generation') generations.set(worker, message.generation);
        else if (message.kind === 'reloaded') reloads.get(message.id)?.();
        else if (message.kind === 'failed') reject(new Error(message.message));
        else {
          listening = true;
          generations.set(worker, message.generation);
          resolve(message);
        }
      });
      // A send racing the worker's death fails here; without a listener cluster would throw it in the primary.
      worker.on('error', (error) => log(`服务进程 ${worker.process.pid}：${error.message}`));
      worker.once('disconnect', () => generations.delete(worker));
      worker.once('exit', (code, signal) => {
        generations.delete(worker);
        const how = signal ? `信号 ${signal}` : `退出码 ${code}`;
        if (!listening) return reject(new Error(`服务进程 ${worker.process.pid} 在开始监听前退出（${how}）`));
        if (closing) return;
        log(`服务进程 ${worker.process.pid} 已退出（${how}），正在启动新的进程`);
        fork().catch((error: Error) => log(`无法启动新的服务进程：${error.message}`));
      });
    });

  const stopAll = async (): Promise<void> => {
    closing = true;
    const exits = Object.values(cluster.workers ?? {}).map((worker) => {
      const exited = new Promise<void>((done) => (worker!.isDead() ? done() : worker!.once('exit', () => done())));
      // One still loading has no server to close yet.
      if (generations.has(worker!) && worker!.isConnected()) worker!.send({ kind: 'close' } satisfies ToWorker);
      else worker!.kill();
      return exited;
    });
    await Promise.all(exits);
  };

  let first: Extract<FromWorker, { kind: 'listening' }>;
  try {
    [first] = await Promise.all(Array.from({ length: count }, fork));
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    url: first!.url,
    pageUrl: first!.pageUrl,
    // The oldest generation any worker still serves: every worker serves it or a newer one.
    generation: () => [...generations.values()].sort()[0] ?? first.generation,
    // One process after another: at most one extra copy of the index in memory, the others answering at full speed.
    reload: async () => {
      for (const worker of [...generations.keys()]) {
        if (!worker.isConnected()) continue;
        await new Promise<void>((done) => {
          const id = nextReload++;
          const finish = () => {
            reloads.delete(id);
            worker.off('exit', finish);
            done();
          };
          reloads.set(id, finish);
          worker.once('exit', finish);
          worker.send({ kind: 'reload', id } satisfies ToWorker);
        });
      }
    },
    close: stopAll,
  };
}
