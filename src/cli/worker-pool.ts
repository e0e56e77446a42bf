/**
 * A small pool of `node:worker_threads` workers: each worker initialises once (e.g. loads a segmenter),
 * reports what it loaded, then answers tasks one message each. Both sides of the protocol live here.
 */
import { Worker, parentPort, workerData, type ResourceLimits } from 'node:worker_threads';
import { errorMessage } from './errors.js';

type TaskMessage<Task> = { taskId: number; task: Task };
type ToWorker<Task> = TaskMessage<Task> | { close: true };
type FromWorker<Info, Result> =
  | { type: 'ready'; info: Info }
  | { type: 'init-error'; message: string }
  | { type: 'result'; taskId: number; result: Result }
  | { type: 'task-error'; taskId: number; message: string };

interface Pending<Result> {
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
}

/** A task waiting for a worker; `suspect` once it was in flight on a worker that died. */
interface Queued<Task> extends TaskMessage<Task> {
  suspect: boolean;
}

interface PoolWorker<Task> {
  worker: Worker;
  inFlight: Map<number, Queued<Task>>;
  /** Initialised: a worker that dies after this is replaced, one dying before it (a failing init) is not. */
  ready: boolean;
  /** Running a suspect task alone, so that should it die again, the task that killed it is known. */
  isolating: boolean;
  /** Why it failed (its init's error, an uncaught error, its heap limit), told at its exit. */
  error: Error | null;
}

/** The pool has no worker left: a run cannot go on without losing the articles still to analyse. */
export class PoolFailedError extends Error {}

const POOL_CLOSED = '线程池已关闭';

/** A worker's own failure in words a reader of the CLI gets: Node's message for a heap limit is English. */
function workerFailure(error: Error): Error {
  return (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? new Error('线程内存不足，已终止') : error;
}

/**
 * Tasks kept in flight per worker, so a worker never waits for the main thread between tasks. With 2, a worker whose
 * next article was short (a millisecond) ran dry whenever the main thread did not answer at once (a core busy with the
 * other worker, a collection): on the 25 % sample ~1 task in 3 found nothing queued; with 8, ~1 in 10 (load 13).
 */
export const IN_FLIGHT_PER_WORKER = 8;

/**
 * Deaths in a row, with no task answered between them, after which the pool stops replacing workers: one for each task
 * in flight that may kill its worker again alone, and a little more; beyond, every task kills its worker (a heap limit
 * too small for the dictionary, say) and replacing them would only crawl.
 */
const MAX_DEATHS_IN_A_ROW = IN_FLIGHT_PER_WORKER + 2;

/**
 * A worker that dies (past its heap limit, an exit) is replaced, and the tasks it had in flight run again, each alone
 * on a worker: only the one that kills a worker a second time fails, not the others that were queued beside it.
 */
export class WorkerPool<Task, Result, Info> {
  private readonly workers: PoolWorker<Task>[] = [];
  private readonly pending = new Map<number, Pending<Result>>();
  private readonly backlog: Queued<Task>[] = [];
  private nextTaskId = 0;
  private terminated = false;
  private terminating?: Promise<void>;
  /** Why the pool has no worker left (every one failed before it was ready): later tasks fail with it at once. */
  private failure: PoolFailedError | null = null;
  private deathsInARow = 0;
  /** Resolves with each worker's init info once all are ready. */
  readonly ready: Promise<Info[]>;

  constructor(
    private readonly workerUrl: URL,
    size: number,
    private readonly data: unknown,
    private readonly resourceLimits?: ResourceLimits,
  ) {
    this.ready = Promise.all(this.spawn(size));
    // Avoid an unhandled rejection when ready fails before anyone awaits it; callers still see the error.
    this.ready.catch(() => {});
  }

  get size(): number {
    return this.workers.length;
  }

  /** Adds workers up to `size` in all; they take tasks as soon as they are ready. */
  grow(size: number): void {
    if (this.terminated || size <= this.workers.length) return;
    for (const ready of this.spawn(size - this.workers.length)) ready.catch(() => {});
    this.dispatch();
  }

  private spawn(count: number): Promise<Info>[] {
    return Array.from({ length: count }, () => {
      const worker = new Worker(this.workerUrl, { workerData: this.data, resourceLimits: this.resourceLimits });
      const entry: PoolWorker<Task> = { worker, inFlight: new Map(), ready: false, isolating: false, error: null };
      this.workers.push(entry);
      return this.watch(entry);
    });
  }

  run(task: Task): Promise<Result> {
    if (this.terminated) return Promise.reject(new Error(POOL_CLOSED));
    if (this.failure) return Promise.reject(this.failure);
    const taskId = this.nextTaskId++;
    return new Promise<Result>((resolve, reject) => {
      this.pending.set(taskId, { resolve, reject });
      this.backlog.push({ taskId, task, suspect: false });
      this.dispatch();
    });
  }

  /** Stops every worker; resolves once all have exited, however many times it (or close) is called. */
  terminate(): Promise<void> {
    return this.stop((worker) => worker.terminate());
  }

  /**
   * Stops every worker once it has released what it holds outside its heap (serveWorkerTasks' release), for a pool
   * with nothing in flight: tasks still running fail as with terminate. Resolves once all have exited, however many
   * times it (or terminate) is called.
   */
  close(): Promise<void> {
    return this.stop(
      (worker) =>
        new Promise((exited) => {
          worker.once('exit', exited);
          worker.postMessage({ close: true } satisfies ToWorker<Task>);
        }),
    );
  }

  private stop(end: (worker: Worker) => Promise<unknown>): Promise<void> {
    if (this.terminating) return this.terminating;
    this.terminated = true;
    this.backlog.length = 0;
    this.terminating = Promise.all(this.workers.map((w) => end(w.worker))).then(() => this.failPending(new Error(POOL_CLOSED)));
    // Awaited later (a reindex goes on while its analysis threads exit); a failure meanwhile is not unhandled.
    this.terminating.catch(() => {});
    return this.terminating;
  }

  private watch(entry: PoolWorker<Task>): Promise<Info> {
    return new Promise<Info>((resolveReady, rejectReady) => {
      entry.worker.on('message', (message: FromWorker<Info, Result>) => {
        switch (message.type) {
          case 'ready':
            entry.ready = true;
            resolveReady(message.info);
            this.dispatch();
            break;
          case 'init-error':
            entry.error = new Error(message.message);
            rejectReady(entry.error);
            break;
          case 'result':
          case 'task-error': {
            this.deathsInARow = 0;
            entry.inFlight.delete(message.taskId);
            if (entry.inFlight.size === 0) entry.isolating = false;
            const pending = this.pending.get(message.taskId);
            this.pending.delete(message.taskId);
            if (message.type === 'result') pending?.resolve(message.result);
            else pending?.reject(new Error(message.message));
            this.dispatch();
            break;
          }
        }
      });
      // Only noted: the answers a worker sent before an uncaught error can arrive after it, until its exit.
      entry.worker.on('error', (thrown) => {
        entry.error ??= workerFailure(thrown);
        rejectReady(entry.error);
      });
      entry.worker.on('exit', (code) => {
        if (this.terminated) return;
        const error = entry.error ?? new Error(`线程意外退出（退出码 ${code}）`);
        rejectReady(error);
        this.failWorker(entry, error);
      });
    });
  }

  /** Hands queued tasks to the least busy ready workers not dying; a suspect only to one with nothing else in flight. */
  private dispatch(): void {
    while (this.backlog.length > 0 && !this.terminated) {
      const next = this.backlog[0]!;
      const entry = next.suspect ? this.idleWorker() : this.leastBusyWorker();
      if (!entry) return;
      this.backlog.shift();
      entry.inFlight.set(next.taskId, next);
      if (next.suspect) entry.isolating = true;
      entry.worker.postMessage({ taskId: next.taskId, task: next.task } satisfies ToWorker<Task>);
    }
  }

  private leastBusyWorker(): PoolWorker<Task> | undefined {
    let best: PoolWorker<Task> | undefined;
    for (const entry of this.workers) {
      if (!entry.ready || entry.error || entry.isolating || entry.inFlight.size >= IN_FLIGHT_PER_WORKER) continue;
      if (!best || entry.inFlight.size < best.inFlight.size) best = entry;
    }
    return best;
  }

  private idleWorker(): PoolWorker<Task> | undefined {
    return this.workers.find((entry) => entry.ready && !entry.error && entry.inFlight.size === 0);
  }

  /**
   * A crashed worker's tasks go back to the front of the queue as suspects, except one that was a suspect already: it
   * ran alone, so it is what killed the worker, and it fails. A worker that had been ready is replaced, unless workers
   * keep dying with no task answered.
   */
  private failWorker(entry: PoolWorker<Task>, error: Error): void {
    const index = this.workers.indexOf(entry);
    if (index === -1) return;
    this.workers.splice(index, 1);
    const retried: Queued<Task>[] = [];
    for (const queued of entry.inFlight.values()) {
      if (queued.suspect) {
        this.pending.get(queued.taskId)?.reject(error);
        this.pending.delete(queued.taskId);
      } else retried.push({ ...queued, suspect: true });
    }
    this.backlog.unshift(...retried);
    if (entry.ready && ++this.deathsInARow <= MAX_DEATHS_IN_A_ROW && !this.terminated) for (const ready of this.spawn(1)) ready.catch(() => {});
    if (this.workers.length === 0) {
      this.failure = new PoolFailedError(error.message);
      this.backlog.length = 0;
      this.failPending(this.failure);
    }
    this.dispatch();
  }

  private failPending(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/**
 * Worker side: call once at the top of the worker module. `init` runs once with the pool's data and
 * returns the info sent to the main thread plus the task handler, and optionally which buffers of a result to
 * transfer rather than copy (the worker must not touch them after returning the result).
 */
export function serveWorkerTasks<Task, Result, Info>(
  init: (data: unknown) => Promise<{
    info: Info;
    handle: (task: Task) => Promise<Result> | Result;
    transfer?: (result: Result) => ArrayBuffer[];
    /** Called with a result that could not be sent (it is reported as the task's error instead). */
    unsent?: (result: Result) => void;
    /** Called when the pool closes, before the thread exits: frees what its exit would not (native memory). */
    release?: () => void;
  }>,
): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorkerTasks must run inside a worker thread');
  const send = (message: FromWorker<Info, Result>, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  init(workerData).then(
    ({ info, handle, transfer, unsent, release }) => {
      port.on('message', async (message: ToWorker<Task>) => {
        if ('close' in message) {
          release?.();
          process.exit(0);
        }
        const { taskId, task } = message;
        try {
          const result = await handle(task);
          try {
            send({ type: 'result', taskId, result }, transfer?.(result));
          } catch (error) {
            unsent?.(result);
            throw error;
          }
        } catch (error) {
          send({ type: 'task-error', taskId, message: errorMessage(error) });
        }
      });
      send({ type: 'ready', info });
    },
    (error) => send({ type: 'init-error', message: errorMessage(error) }),
  );
}
