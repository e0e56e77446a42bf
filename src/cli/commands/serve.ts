/** `zhsearch serve` and `zhsearch start` (index if needed, then serve). */
import { startServer } from '../../server/index.js';
import type { ParsedArgs } from '../args.js';
import { CliError, EXIT_OK, errorMessage } from '../errors.js';
import { userDictionaryFor } from '../analyzer-choice.js';
import { corpusDirOf, hostOf, indexDirOf, portOf } from './common.js';
import { reindexWithProgress } from './reindex.js';
import { renderReindexSummary } from '../format.js';

export async function runServe(args: ParsedArgs): Promise<number> {
  const indexDir = indexDirOf(args);
  const port = portOf(args);
  const host = hostOf(args);
  const userDictPath = userDictionaryFor(corpusDirOf(args));
  let url: string;
  try {
    ({ url } = await startServer({ indexDir, port, host, userDictPath }));
  } catch (error) {
    throw new CliError(`无法启动服务（${host}:${port}，索引 ${indexDir}）：${errorMessage(error)}`);
  }
  process.stdout.write(`zhsearch 已启动：${url}/\n按 Ctrl-C 停止。\n`);
  return EXIT_OK;
}

export async function runStart(args: ParsedArgs): Promise<number> {
  // Incremental: nothing is re-analysed (and nothing written) when the index matches the corpus.
  const summary = await reindexWithProgress(args, false);
  process.stdout.write(renderReindexSummary(summary));
  return runServe(args);
}
