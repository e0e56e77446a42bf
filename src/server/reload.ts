/**
 * Hot reload: notices when the index's CURRENT generation changes and loads it in the background.
 * The live value is swapped in one assignment once the new generation is fully loaded, so a
 * request either sees the old service or the new one; a generation that fails to load is logged
 * once and the old one keeps serving.
 */
import fs from 'node:fs';

export interface Loaded<T> {
  generation: string;
  value: T;
}

export interface GenerationWatcherOptions<T> {
  /** The directory whose changes trigger a check (fs.watch), besides polling. */
  watchDir: string;
  /** The generation CURRENT names now, or undefined when there is none. */
  readGeneration: () => Promise<string | undefined>;
  /** Loads whatever generation is current (without blocking the event loop); the result names the generation actually loaded. */
  load: () => Promise<Loaded<T>>;
  initial: Loaded<T>;
  pollMs?: number;
  log: (line: string) => void;
  /** Called after each swap (tests wait on it; a process of `serve --processes` tells the primary). */
  onSwap?: (loaded: Loaded<T>) => void;
}

/** What /healthz reports about generations. */
export interface GenerationStatus {
  /** The generation being served. */
  live: string;
  /** The generation CURRENT names on disk now (null: none or unreadable). */
  newest: string | null;
  /** A generation being loaded, and since when (ISO time). */
  loading: { generation: string; since: string } | null;
  /** The last generation that could not be loaded (the live one keeps serving), cleared by the next switch. */
  failed: { generation: string; message: string; at: string } | null;
}

export class GenerationWatcher<T> {
  private live: Loaded<T>;
  private failedGeneration: string | undefined;
  private failure: GenerationStatus['failed'] = null;
  private loading: GenerationStatus['loading'] = null;
  private checking: Promise<void> | undefined;
  private again = false;
  private readonly timer: NodeJS.Timeout;
  private readonly watcher: fs.FSWatcher | undefined;

  constructor(private readonly options: GenerationWatcherOptions<T>) {
    this.live = options.initial;
    this.timer = setInterval(() => void this.check(), options.pollMs ?? 500);
    this.timer.unref();
    this.watcher = watchDirectory(options.watchDir, () => void this.check());
  }

  get current(): Loaded<T> {
    return this.live;
  }

  /** The live generation, the one on disk, one being loaded and the last failure. */
  status(newest: string | null): GenerationStatus {
    return { live: this.live.generation, newest, loading: this.loading, failed: this.failure };
  }

  /** Loads the current generation if it differs from the live one; concurrent calls share one check. */
  check(): Promise<void> {
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = this.checkOnce().finally(() => {
      this.checking = undefined;
      if (this.again) {
        this.again = false;
        void this.check();
      }
    });
    return this.checking;
  }

  close(): void {
    clearInterval(this.timer);
    this.watcher?.close();
  }

  private async checkOnce(): Promise<void> {
    let generation: string | undefined;
    try {
      generation = await this.options.readGeneration();
    } catch (error) {
      return this.reportFailure('unknown', error);
    }
    if (generation === undefined || generation === this.live.generation || generation === this.failedGeneration) return;
    this.loading = { generation, since: new Date().toISOString() };
    const started = performance.now();
    try {
      const loaded = await this.options.load();
      if (loaded.generation === this.live.generation) return;
      const previous = this.live.generation;
      this.live = loaded;
      this.failedGeneration = undefined;
      this.failure = null;
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      this.options.log(`index: switched from generation ${previous} to ${loaded.generation} (loaded in ${seconds} s)`);
      this.options.onSwap?.(loaded);
    } catch (error) {
      this.reportFailure(generation, error);
    } finally {
      this.loading = null;
    }
  }

  private reportFailure(generation: string, error: unknown): void {
    if (generation === this.failedGeneration) return;
    this.failedGeneration = generation;
    const reason = error instanceof Error ? error.message : String(error);
    this.failure = { generation, message: reason, at: new Date().toISOString() };
    this.options.log(`index: could not load generation ${generation}, still serving ${this.live.generation}: ${reason}`);
  }
}

/** fs.watch where the platform supports it; polling alone still works where it does not. */
function watchDirectory(dir: string, onChange: () => void): fs.FSWatcher | undefined {
  try {
    const watcher = fs.watch(dir, { persistent: false }, onChange);
    watcher.on('error', () => watcher.close());
    return watcher;
  } catch {
    return undefined;
  }
}
