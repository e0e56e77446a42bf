/** `zhsearch reindex`: build or update the index, print a summary. */
import type { SegmenterName } from '../../analysis/types.js';
import type { ParsedArgs } from '../args.js';
import { EXIT_INTERRUPTED, EXIT_OK } from '../errors.js';
import { renderReindexSummary } from '../format.js';
import { createProgressReporter, type ProgressReporter } from '../progress.js';
import { reindex, ReindexError, type ReindexOptions } from '../reindex.js';
import type { ReindexSummary } from '../reindex-summary.js';
import { corpusDirOf, indexDirOf, workersOf } from './common.js';

export async function runReindex(args: ParsedArgs): Promise<number> {
  const json = args.options.json === true;
  const summary = await reindexWithProgress(args, json);
  printSummary(summary, json);
  return EXIT_OK;
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
    progress,
    note: (message) => process.stderr.write(`${message}\n`),
  };
}

function printSummary(summary: ReindexSummary, json: boolean): void {
  process.stdout.write(json ? `${JSON.stringify(summary, null, 2)}\n` : renderReindexSummary(summary));
}
