/** `zhsearch watch` and `serve --watch`: keep the index in step with the corpus while posts are edited. */
import path from 'node:path';
import { findHexoSite, SiteConfigError, sitePostsDir, type SiteChoice } from '../../ingest/index.js';
import type { ParsedArgs } from '../args.js';
import { EXIT_OK, errorMessage, UsageError } from '../errors.js';
import { formatDuration, renderReindexSummary } from '../format.js';
import { silentProgress } from '../progress.js';
import { reindex } from '../reindex.js';
import { reindexOnThread } from '../reindex-thread.js';
import type { ReindexSummary } from '../reindex-summary.js';
import { watchCorpus, type CorpusWatcher } from '../watch.js';
import { corpusDirOf, indexDirOf } from './common.js';
import { reindexOptionsOf, reindexWithProgress } from './reindex.js';

export async function runWatch(args: ParsedArgs): Promise<number> {
  await initialReindex(args);
  await watchAndReindex(args);
  return EXIT_OK;
}

/** Brings the index up to date before watching: changes made while nothing watched are not lost. */
export async function initialReindex(args: ParsedArgs): Promise<void> {
  process.stdout.write(renderReindexSummary(await reindexWithProgress(args, false)));
}

/**
 * Watches the corpus; after each reindex that wrote a generation, `afterWrite` (e.g. the server switching to it).
 * Beside a server (`serve --watch`) each reindex runs on a thread of its own at a lower priority, off the event loop.
 */
export async function watchAndReindex(args: ParsedArgs, afterWrite?: () => Promise<void>): Promise<CorpusWatcher> {
  const corpusDir = corpusDirOf(args);
  // Each run takes the index folder's writer lock like any reindex; it queues behind another writer (a `hexo
  // generate` hook, a manual reindex) instead of failing, since the change must still be indexed.
  const options = { ...reindexOptionsOf(args, silentProgress), full: false, wait: true };
  const watcher = await watchCorpus({
    paths: watchedPaths(corpusDir, options.site),
    ignoreDirs: [indexDirOf(args)],
    run: async () => {
      try {
        const summary = await (afterWrite ? reindexOnThread(options) : reindex(options));
        process.stdout.write(`${watchLine(summary)}\n`);
        if (summary.status === 'written') await afterWrite?.();
      } catch (error) {
        process.stdout.write(`索引更新失败，原索引保持不变，继续监视：${errorMessage(error)}\n`);
      }
    },
  });
  process.stdout.write(`正在监视 ${corpusDir} 中文章的改动，保存后自动更新索引。按 Ctrl-C 停止。\n`);
  return watcher;
}

/** The corpus; for a Hexo site also its _config.yml (permalinks, time zone) and, with --drafts, source/_drafts. */
function watchedPaths(corpusDir: string, site: SiteChoice | undefined): string[] {
  let siteDir: string | null;
  try {
    siteDir = findHexoSite(corpusDir, site?.siteDir);
  } catch (error) {
    if (error instanceof SiteConfigError) throw new UsageError(error.message, 'watch');
    throw error;
  }
  if (siteDir === null) return [corpusDir];
  const paths = [corpusDir, path.join(siteDir, '_config.yml')];
  if (site?.drafts) paths.push(path.join(path.dirname(sitePostsDir(siteDir)), '_drafts'));
  return paths;
}

function watchLine(summary: ReindexSummary): string {
  const skipped =
    summary.skippedFiles.map((f) => `；跳过 ${f.id}：${f.reason}`).join('') +
    summary.warnedFiles.map((f) => `；警告 ${f.id}：${f.warnings.join('；')}`).join('');
  if (summary.status === 'up-to-date') return `索引已是最新（${summary.files} 个文章文件）${skipped}`;
  return (
    `索引已更新：新增 ${summary.added}，改动 ${summary.changed}，删除 ${summary.removed}，共 ${summary.articles} 篇` +
    `（${formatDuration(summary.seconds)}，generation ${summary.generation}）${skipped}`
  );
}
