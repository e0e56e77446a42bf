/**
 * A scratch file for the texts an index build holds until it writes them (the corpus's whole text, as strings, was
 * the largest part of a build's memory after the postings): beyond the first KEPT_BYTES, each text is appended as its
 * document arrives and read back when asked for. The file is unlinked as soon as it is opened, so a killed build leaves
 * nothing behind (POSIX keeps an unlinked file's data while it is open); where that fails (Windows), it is removed when
 * closed.
 */
import { closeSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

let spills = 0;

/**
 * UTF-16 bytes of text kept in memory before texts go to the file: a small corpus needs no scratch file (nor its disk).
 * Reading a text back costs little (the build reads each once or twice, from the page cache).
 */
const KEPT_BYTES = 8 << 20;

export class TextSpill {
  private fd = -1;
  /** Set while the file still has a name to remove on close. */
  private file: string | null = null;
  private size = 0;
  private kept = 0;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly keptBytes = KEPT_BYTES,
  ) {}

  /**
   * Stores `text`; returns a function that gives it back. The functions are made elsewhere (kept, fromFile): a closure
   * made here would share this call's scope, which holds the text, and so keep every text in memory.
   */
  add(text: string): () => string {
    if (this.kept + 2 * text.length <= this.keptBytes) {
      this.kept += 2 * text.length;
      return kept(text);
    }
    if (this.fd < 0) this.open();
    // UTF-16 code units as they are: a lone surrogate comes back unchanged (UTF-8 would replace it).
    const bytes = Buffer.from(text, 'utf16le');
    const at = this.size;
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done, at + done);
    this.size += bytes.length;
    return this.fromFile(at, bytes.length);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.fd >= 0) closeSync(this.fd);
    if (this.file !== null) rmSync(this.file, { force: true });
  }

  private open(): void {
    const file = path.join(this.dir, `build-texts.${process.pid}.${spills++}.tmp`);
    this.fd = openSync(file, 'w+', 0o600);
    try {
      unlinkSync(file);
    } catch {
      this.file = file;
    }
  }

  private fromFile(at: number, length: number): () => string {
    return () => this.read(at, length);
  }

  private read(at: number, length: number): string {
    const bytes = Buffer.allocUnsafe(length);
    for (let done = 0; done < length; ) {
      const read = readSync(this.fd, bytes, done, length - done, at + done);
      if (read === 0) throw new Error(`text spill file ended at ${at + done} of ${at + length}`);
      done += read;
    }
    return bytes.toString('utf16le');
  }
}

function kept(text: string): () => string {
  return () => text;
}
