/** One process of a multi-process server (processes.ts): starts the server it is told to and answers the primary. */
import { startServer, type RunningServer } from './start.js';
import { WORKER_OPTIONS_VARIABLE, type FromWorker, type ToWorker, type WorkerOptions } from './processes.js';

/** How long log lines wait to go to the primary together: one message per request cost the primary ~5 % of a worker's CPU. */
const LOG_BATCH_MS = 100;

let lines: string[] = [];
/** With a callback, a send to a primary that is gone (killed) fails quietly: this process exits on the disconnect. */
const sent = (then?: () => void) => () => then?.();
const flush = (then?: () => void): void => {
  if (lines.length === 0 || !process.connected) return then?.();
  process.send!({ kind: 'log', lines } satisfies FromWorker, undefined, undefined, sent(then));
  lines = [];
};
const log = (line: string): void => {
  if (lines.push(line) === 1) setTimeout(flush, LOG_BATCH_MS).unref();
};
/** Log lines first, so the primary sees them in order with the message. */
const send = (message: FromWorker, then?: () => void): void => {
  flush();
  if (process.connected) process.send!(message, undefined, undefined, sent(then));
  else then?.();
};

function answer(server: RunningServer): void {
  process.on('message', async (message: ToWorker) => {
    if (message.kind === 'reload') {
      await server.reload();
      send({ kind: 'reloaded', id: message.id });
    } else {
      await server.close();
      flush(() => process.exit(0));
    }
  });
  send({ kind: 'listening', url: server.url, pageUrl: server.pageUrl, generation: server.generation() });
}

// Ctrl-C reaches the whole process group: this process stops when the primary's close() says so, after its last log lines.
process.on('SIGINT', () => {});

const options = JSON.parse(process.env[WORKER_OPTIONS_VARIABLE]!) as WorkerOptions;
startServer({
  ...options,
  log,
  onGeneration: (generation) => send({ kind: 'generation', generation }),
}).then(answer, (error: unknown) => {
  send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }, () => process.exit(1));
});
