/**
 * A reindex on a thread of its own, for a process that also answers requests (`serve --watch`). Listing and hashing
 * the corpus, loading the live index, building and writing the new generation are long synchronous steps (seconds
 * at scale): on the server's main thread they would stop every request meanwhile. The thread keeps normal priority,
 * like a separate reindex's main thread (at nice 5 a reindex took 3–5× longer on a busy machine); its analysis
 * threads run at nice 5, as for any reindex beside a server.
 */
import { isMainThread, Worker, workerData, parentPort } from 'node:worker_threads';
import { CliError, errorMessage } from './errors.js';
import { silentProgress } from './progress.js';
import { reindex, type ReindexOptions } from './reindex.js';
import type { ReindexSummary } from './reindex-summary.js';

/** What crosses to the thread: the options without their callbacks (the thread reports no progress). */
type ThreadOptions = Omit<ReindexOptions, 'progress' | 'note'>;
type FromThread = { type: 'note'; message: string } | { type: 'done'; summary: ReindexSummary } | { type: 'failed'; message: string };

const THREAD_MARK = 'zhsearchReindexThread';

/** Runs `reindex(options)` on its own thread; notes arrive through `options.note`. */
export function reindexOnThread(options: ReindexOptions): Promise<ReindexSummary> {
  const { progress: _progress, note, ...data } = options;
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { [THREAD_MARK]: data satisfies ThreadOptions } });
    worker.on('message', (message: FromThread) => {
      if (message.type === 'note') note(message.message);
      else if (message.type === 'done') resolve(message.summary);
      else reject(new CliError(message.message));
    });
    worker.once('error', reject);
    // After an answer this changes nothing; without one the thread died (out of memory, terminated).
    worker.once('exit', (code) => reject(new CliError(`重建线程意外退出（退出码 ${code}）`)));
  });
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[THREAD_MARK] !== undefined) {
  const port = parentPort!;
  const send = (message: FromThread): void => port.postMessage(message);
  const data = (workerData as Record<string, ThreadOptions>)[THREAD_MARK]!;
  reindex({ ...data, progress: silentProgress, note: (message) => send({ type: 'note', message }) }).then(
    (summary) => send({ type: 'done', summary }),
    (error: unknown) => send({ type: 'failed', message: errorMessage(error) }),
  );
}
