/**
 * Watch mode: chokidar reports changes to article files (and the user dictionary, a Hexo site's _config.yml);
 * after a quiet spell (debounce) one incremental reindex runs. Runs never overlap: changes that arrive while
 * one runs trigger exactly one more run after it.
 */
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { isArticleFile } from '../ingest/index.js';

export interface CorpusWatcherOptions {
  /** Folders whose article files are watched (recursively), and single files (a site's _config.yml). */
  paths: readonly string[];
  /** Never watched (e.g. the index folder, when it lies inside the corpus). */
  ignoreDirs?: readonly string[];
  /** Quiet time after the last change before a run starts (ms, default 200): an editor's save is several events. */
  debounceMs?: number;
  /** One reindex; its errors are the caller's to report (a failed run does not stop watching). */
  run: () => Promise<void>;
}

export interface CorpusWatcher {
  /** Stops watching; resolves after the run under way, if any, has finished. */
  close(): Promise<void>;
}

export async function watchCorpus(options: CorpusWatcherOptions): Promise<CorpusWatcher> {
  const debounceMs = options.debounceMs ?? 200;
  const ignored = (options.ignoreDirs ?? []).map((dir) => path.resolve(dir));
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let dirty = false;

  const runNow = (): void => {
    if (running) {
      dirty = true;
      return;
    }
    dirty = false;
    running = options
      .run()
      .catch(() => {})
      .finally(() => {
        running = undefined;
        if (dirty) runNow();
      });
  };
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(runNow, debounceMs);
  };
  const changed = (file: string): void => {
    if (isArticleFile(file) || ['dict.txt', '_config.yml'].includes(path.basename(file))) schedule();
  };

  const watcher: FSWatcher = watch([...options.paths], {
    ignoreInitial: true,
    // Hidden folders and files (.git, editor swap files) and the ignored folders hold no article files.
    ignored: (file) =>
      (path.basename(file).startsWith('.') && !isArticleFile(file)) || ignored.some((dir) => file === dir || file.startsWith(dir + path.sep)),
  });
  for (const event of ['add', 'change', 'unlink'] as const) watcher.on(event, changed);
  watcher.on('unlinkDir', schedule);
  await new Promise<void>((resolve, reject) => {
    watcher.once('ready', resolve);
    watcher.once('error', reject);
  });

  return {
    async close() {
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}
