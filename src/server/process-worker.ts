/** One process of a multi-process server (processes.ts): starts the server it is told to and answers the primary. */
import { startServer, type RunningServer } from './start.js';
import { WORKER_OPTIONS_VARIABLE, type FromWorker, type ToWorker, type WorkerOptions } from './processes.js';

const send = (message: FromWorker, then?: () => void): void => {
  process.send!(message, undefined, undefined, then);
};

function answer(server: RunningServer): void {
  process.on('message', async (message: ToWorker) => {
    if (message.kind === 'reload') {
      await server.reload();
      send({ kind: 'reloaded', id: message.id });
    } else {
      await server.close();
      process.exit(0);
    }
  });
  send({ kind: 'listening', url: server.url, pageUrl: server.pageUrl, generation: server.generation() });
}

const options = JSON.parse(process.env[WORKER_OPTIONS_VARIABLE]!) as WorkerOptions;
startServer({
  ...options,
  log: (line) => send({ kind: 'log', line }),
  onGeneration: (generation) => send({ kind: 'generation', generation }),
}).then(answer, (error: unknown) => {
  send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }, () => process.exit(1));
});
