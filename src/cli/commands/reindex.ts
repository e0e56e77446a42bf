/** `zhsearch reindex`: build or update the index, print a summary. */
import type { SegmenterName } from '../../analysis/types.js';
import { EngineError, EngineSyncError, syncEngine, type EngineSyncSummary } from '../../index/index.js';
import type { ParsedArgs } from '../args.js';
import { engineOf } from '../engine-backend.js';
import { CliError, EXIT_INTERRUPTED, EXIT_OK } from '../errors.js';
import { renderEngineSummary, renderReindexSummary } from '../format.js';
import { createProgressReporter, type ProgressReporter } from '../progress.js';
import { reindex, ReindexError, type ReindexOptions } from '../reindex.js';
import type { ReindexSummary } from '../reindex-summary.js';
import { corpusDirOf, indexDirOf, siteChoiceOf, workersOf } from './common.js';

export async function runReindex(args: ParsedArgs): Promise<number> {
  const json = args.options.json === true;
  const engine = engineOf(args, 'reindex');
  const summary = await reindexWithProgress(args, json);
  if (engine === undefined) {
    printSummary(summary, json);
    return EXIT_OK;
  }
  // Also when the index was up to date: the engine may lag behind it (a shard that was down during the last run).
  // Loaded only here: it brings the search stage, which a reindex without an engine never needs.
  const { loadIndexAndAnalyzer } = await import('../load-index.js');
  const { reader, analyzer } = await loadIndexAndAnalyzer(indexDirOf(args), corpusDirOf(args));
  let engineSummary: EngineSyncSummary;
  try {
    engineSummary = await syncEngine(engine, reader, (text) => analyzer.normalize(text), {
      full: args.options.full === true,
      onProgress: engineProgress(),
    });
  } catch (error) {
    if (error instanceof EngineSyncError) printSummary(summary, json, error.summary);
    else printSummary(summary, json);
    if (error instanceof EngineError) throw new CliError(error.message);
    throw error;
  }
  printSummary(summary, json, engineSummary);
  return EXIT_OK;
}

/** A line on stderr every few seconds while rows are sent. */
function engineProgress(): (written: number, total: number) => void {
  let last = 0;
  return (written, total) => {
    if (performance.now() - last < 2000) return;
    last = performance.now();
    process.stderr.write(`引擎：已写入 ${written} 篇（共 ${total} 篇）\n`);
  };
}

/** Runs a reindex with progress on stderr and Ctrl-C handling; shared with `start`. */
export async function reindexWithProgress(args: ParsedArgs, json: boolean): Promise<ReindexSummary> {
  const progress = createProgressReporter(process.stderr);
  // Leaving at once is safe: a generation only goes live through the atomic CURRENT switch at the very end.
  const onInterrupt = () => {
    progress.stop();
    process.stderr.write('\n已中断：没有切换到新的索引，原索引保持不变。\n');
    process.exit(EXIT_INTERRUPTED);
  };
  process.once('SIGINT', onInterrupt);
  try {
    return await reindex(reindexOptionsOf(args, progress));
  } catch (error) {
    if (error instanceof ReindexError) printSummary(error.summary, json);
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** What a reindex run gets from the command line; shared by reindex, start and watch mode. */
export function reindexOptionsOf(args: ParsedArgs, progress: ProgressReporter): ReindexOptions {
  return {
    corpusDir: corpusDirOf(args),
    indexDir: indexDirOf(args),
    full: args.options.full === true,
    segmenter: args.options.segmenter as SegmenterName | undefined,
    workers: workersOf(args),
    wait: args.options.wait === true,
    site: siteChoiceOf(args),
    progress,
    note: (message) => process.stderr.write(`${message}\n`),
  };
}

function printSummary(summary: ReindexSummary, json: boolean, engine?: EngineSyncSummary): void {
  if (json) process.stdout.write(`${JSON.stringify(engine ? { ...summary, engine } : summary, null, 2)}\n`);
  else process.stdout.write(renderReindexSummary(summary) + (engine ? renderEngineSummary(engine) : ''));
}
