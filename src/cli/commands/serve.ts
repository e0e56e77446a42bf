/** `zhsearch serve` and `zhsearch start` (index if needed, then serve). */
import { normalizeBasePath, normalizeOrigin, SiteOptionError, startServer, type RunningServer } from '../../server/index.js';
import type { ParsedArgs } from '../args.js';
import { CliError, EXIT_INTERRUPTED, EXIT_OK, errorMessage, UsageError } from '../errors.js';
import { userDictionaryFor } from '../analyzer-choice.js';
import { corpusDirOf, hostOf, indexDirOf, portOf } from './common.js';
import { initialReindex, watchAndReindex } from './watch.js';
import { engineOf, openEngineBackend } from '../engine-backend.js';

export async function runServe(args: ParsedArgs): Promise<number> {
  if (args.options.watch === true) {
    siteOptionsOf(args);
    if (engineOf(args, 'serve')) {
      throw new UsageError('--watch 只更新本地索引，不能与 --engine 同用：文章改动后请运行 zhsearch reindex --engine …', 'serve');
    }
    await initialReindex(args);
  }
  return serve(args);
}

async function serve(args: ParsedArgs): Promise<number> {
  const indexDir = indexDirOf(args);
  const port = portOf(args);
  const host = hostOf(args);
  const userDictPath = userDictionaryFor(corpusDirOf(args));
  const site = siteOptionsOf(args);
  const engine = engineOf(args, 'serve');
  const processes = (args.options.processes as number | undefined) ?? 1;
  if (engine && processes > 1) throw new UsageError('--processes 只用于本地索引，不能与 --engine 同用：搜索由引擎完成', 'serve');
  const backend = engine ? await openEngineBackend(engine, corpusDirOf(args)) : undefined;
  let server: RunningServer;
  try {
    server = await startServer({ indexDir, port, host, userDictPath, ...site, backend, processes });
  } catch (error) {
    await backend?.close();
    throw new CliError(`无法启动服务（${host}:${port}，${engine ? `引擎 ${engine.host}:${engine.port}` : `索引 ${indexDir}`}）：${errorMessage(error)}`);
  }
  if (processes > 1) stopOnSignals(server);
  const { pageUrl } = server;
  // The server would notice the new generation by itself within its poll interval; reload() switches at once.
  if (args.options.watch === true) await watchAndReindex(args, () => server.reload());
  process.stdout.write(`zhsearch 已启动：${pageUrl}\n嵌入式搜索框：<script src="${pageUrl}embed.js" defer></script>\n按 Ctrl-C 停止。\n`);
  return EXIT_OK;
}

/** How long a stop waits for the processes to finish their requests and send their last log lines. */
const STOP_GRACE_MS = 5_000;

/**
 * Ctrl-C or SIGTERM stops a multi-process server through close(): each process finishes its requests and sends the
 * log lines it still holds (they go to the primary in batches), instead of dying with the primary's IPC channel.
 */
function stopOnSignals(server: RunningServer): void {
  for (const [signal, code] of [['SIGINT', EXIT_INTERRUPTED], ['SIGTERM', EXIT_OK]] as const) {
    process.once(signal, () => {
      setTimeout(() => process.exit(code), STOP_GRACE_MS).unref();
      void server.close().finally(() => process.exit(code));
    });
  }
}

export async function runStart(args: ParsedArgs): Promise<number> {
  siteOptionsOf(args, 'start'); // bad --base-path/--cors-origin fail before the reindex, not after it
  // Incremental: nothing is re-analysed (and nothing written) when the index matches the corpus.
  await initialReindex(args);
  return serve(args);
}

/** `--base-path`, `--cors-origin`, `--frame-ancestors`, checked here so a typo is a usage error naming the option. */
function siteOptionsOf(args: ParsedArgs, command = 'serve'): { basePath: string; corsOrigins: string[]; frameAncestors: string[] } {
  try {
    return {
      basePath: normalizeBasePath((args.options['base-path'] as string | undefined) ?? '/', '--base-path'),
      corsOrigins: ((args.options['cors-origin'] as string[] | undefined) ?? []).map((o) => normalizeOrigin(o, '--cors-origin')),
      frameAncestors: ((args.options['frame-ancestors'] as string[] | undefined) ?? []).map((o) => normalizeOrigin(o, '--frame-ancestors')),
    };
  } catch (error) {
    if (error instanceof SiteOptionError) throw new UsageError(error.message, command);
    throw error;
  }
}
