/** Reindex progress on stderr: a bar on a terminal, plain periodic lines otherwise (CI logs, pipes). */
import cliProgress from 'cli-progress';
import { formatBytes, formatDuration } from './format.js';

export interface ProgressReporter {
  start(totalFiles: number, totalBytes: number): void;
  /** One file finished (indexed or skipped), `bytes` its size. */
  tick(bytes: number): void;
  stop(): void;
}

/** Reports nothing (watch mode prints one line per run instead). */
export const silentProgress: ProgressReporter = { start() {}, tick() {}, stop() {} };

/** Seconds between plain progress lines. */
const PLAIN_INTERVAL_MS = 2000;

export function createProgressReporter(stream: NodeJS.WriteStream): ProgressReporter {
  return stream.isTTY ? new BarProgress(stream) : new PlainProgress(stream);
}

/** Files/bytes done and the rates derived from them. */
class Throughput {
  files = 0;
  bytes = 0;
  totalFiles = 0;
  totalBytes = 0;
  private startedAt = performance.now();

  start(totalFiles: number, totalBytes: number): void {
    this.totalFiles = totalFiles;
    this.totalBytes = totalBytes;
    this.startedAt = performance.now();
  }

  add(bytes: number): void {
    this.files++;
    this.bytes += bytes;
  }

  get seconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  get megabytesPerSecond(): number {
    return this.seconds > 0 ? this.bytes / 1e6 / this.seconds : 0;
  }

  /** Remaining time from the byte rate (files differ a lot in size), NaN before any data. */
  get etaSeconds(): number {
    if (this.bytes === 0) return NaN;
    return ((this.totalBytes - this.bytes) * this.seconds) / this.bytes;
  }
}

class BarProgress implements ProgressReporter {
  private readonly rate = new Throughput();
  private readonly bar: cliProgress.SingleBar;

  constructor(stream: NodeJS.WriteStream) {
    this.bar = new cliProgress.SingleBar({
      stream,
      format: '索引 {bar} {percentage}% | {value}/{total} 个文件 | {speed} MB/s | 剩余 {remaining}',
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
    }, cliProgress.Presets.shades_classic);
  }

  start(totalFiles: number, totalBytes: number): void {
    this.rate.start(totalFiles, totalBytes);
    this.bar.start(totalFiles, 0, this.payload());
  }

  tick(bytes: number): void {
    this.rate.add(bytes);
    this.bar.update(this.rate.files, this.payload());
  }

  stop(): void {
    this.bar.stop();
  }

  private payload() {
    return { speed: this.rate.megabytesPerSecond.toFixed(1), remaining: formatDuration(this.rate.etaSeconds) };
  }
}

class PlainProgress implements ProgressReporter {
  private readonly rate = new Throughput();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  start(totalFiles: number, totalBytes: number): void {
    this.rate.start(totalFiles, totalBytes);
    this.stream.write(`开始分析 ${totalFiles} 个文件（${formatBytes(totalBytes)}）\n`);
    this.timer = setInterval(() => this.print(), PLAIN_INTERVAL_MS);
    this.timer.unref();
  }

  tick(bytes: number): void {
    this.rate.add(bytes);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private print(): void {
    const r = this.rate;
    const percent = r.totalFiles > 0 ? ((100 * r.files) / r.totalFiles).toFixed(1) : '100.0';
    this.stream.write(
      `索引进度：${r.files}/${r.totalFiles} 个文件（${percent}%），${r.megabytesPerSecond.toFixed(1)} MB/s，剩余约 ${formatDuration(r.etaSeconds)}\n`,
    );
  }
}
