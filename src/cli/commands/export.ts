/** `zhsearch export`: a static search (page + index chunks) for hosts that serve files only. */
import path from 'node:path';
import type { ParsedArgs } from '../args.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { exportSite } from '../export-site.js';
import { createProgressReporter } from '../progress.js';
import { corpusDirOf, indexDirOf, workersOf } from './common.js';

export async function runExport(args: ParsedArgs): Promise<number> {
  const out = args.options.out as string | undefined;
  if (!out) throw new UsageError('缺少 --out 目录（导出的静态搜索写到这里）', 'export');
  const summary = await exportSite({
    corpusDir: corpusDirOf(args),
    indexDir: indexDirOf(args),
    outDir: path.resolve(out),
    // --corpus alone: index it first; --index alone: export that index as it is.
    reindex: args.options.corpus !== undefined,
    workers: workersOf(args),
    progress: createProgressReporter(process.stderr),
    note: (message) => process.stderr.write(`${message}\n`),
  });
  if (args.options.json === true) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    process.stdout.write(
      `已导出静态搜索：${summary.outDir}\n` +
        `  文章      ${summary.docs}\n` +
        `  文件      ${summary.files}（${(summary.bytes / 1024 / 1024).toFixed(1)} MB）\n` +
        `  用时      ${(summary.ms / 1000).toFixed(1)} 秒\n` +
        `打开 ${path.join(summary.outDir, 'index.html')} 所在目录的任意静态服务器即可搜索。\n`,
    );
  }
  return EXIT_OK;
}
