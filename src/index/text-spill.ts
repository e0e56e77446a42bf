/**
 * Scratch files for what an index build holds until it writes it. The corpus's whole text, as strings, was the largest
 * part of a build's memory after the postings, then the documents' analysed fields: beyond the first KEPT_BYTES,
 * each is appended to a file as its document arrives and read back when asked for. A file is unlinked as soon as it
 * is opened, so a killed build leaves nothing behind (POSIX keeps an unlinked file's data while it is open); where
 * that fails (Windows), it is removed when closed.
 */
import { closeSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { NumberRows } from './number-rows.js';

let spills = 0;

/**
 * UTF-16 bytes of text kept in memory before texts go to the file: a small corpus needs no scratch file (nor its disk).
 * Reading a text back costs little (the build reads each once or twice, from the page cache).
 */
export const KEPT_BYTES = 8 << 20;

/** Bytes read at once where a scratch file is read in the order it was written (a build's passes over its documents). */
const READ_AHEAD = 1 << 20;

/** An append-only file without a name (see above), read back by offset through a window read ahead. */
export class ScratchFile {
  private fd = -1;
  /** Set while the file still has a name to remove on close. */
  private file: string | null = null;
  private closed = false;
  /** Bytes written. */
  size = 0;
  private readonly reads = new WindowedReads();
  /** Appended bytes not written yet: the file's last pendingBytes (made on the first append: many never get one). */
  private pending = new Uint8Array(0);
  private pendingBytes = 0;

  constructor(private readonly dir: string) {}

  /** Appends `bytes`; returns where they start. Written in batches of READ_AHEAD bytes (one call per document cost more). */
  append(bytes: Uint8Array): number {
    const at = this.size;
    if (this.pending.length === 0) this.pending = new Uint8Array(READ_AHEAD);
    if (this.pending.length - this.pendingBytes < bytes.length) this.flush();
    if (bytes.length >= this.pending.length) this.write(bytes, at);
    else {
      this.pending.set(bytes, this.pendingBytes);
      this.pendingBytes += bytes.length;
    }
    this.size += bytes.length;
    return at;
  }

  /**
   * The `length` bytes written at `at`, a view of the window last read: valid until a read of this file outside that
   * window, which reads into the same buffer. A read that starts where the last one ended reads READ_AHEAD bytes:
   * reading the file from start to end takes one read per READ_AHEAD bytes, reading here and there no more than is
   * asked for.
   */
  read(at: number, length: number): Uint8Array {
    // Its descriptor may be another file's by now.
    if (this.closed) throw new Error('scratch file read after it was closed');
    if (at + length > this.size - this.pendingBytes) this.flush();
    // Not into bytes still waiting to be written.
    return this.reads.read(this.fd, at, length, this.size - this.pendingBytes);
  }

  /**
   * The file's descriptor and size, everything appended written: another thread of this process may read it
   * (WindowedReads) until it is closed.
   */
  shared(): { fd: number; size: number } {
    if (this.closed) throw new Error('scratch file shared after it was closed');
    this.flush();
    if (this.fd < 0) this.open();
    return { fd: this.fd, size: this.size };
  }

  /**
   * Hands the `length` bytes at `at` (also bytes another thread wrote through shared()'s descriptor) to `write` a piece
   * at a time, each read into the same buffer once `write` is done with the last: no garbage of a piece per megabyte.
   */
  async copy(at: number, length: number, write: (piece: Uint8Array) => Promise<void>): Promise<void> {
    if (this.closed) throw new Error('scratch file read after it was closed');
    this.flush();
    const buffer = new Uint8Array(Math.min(length, READ_AHEAD));
    for (let done = 0; done < length; ) {
      // Closed while `write` waited: its descriptor may be another file's by now.
      if (this.closed) throw new Error('scratch file read after it was closed');
      const piece = buffer.subarray(0, Math.min(buffer.length, length - done));
      readFully(this.fd, piece, at + done);
      await write(piece);
      done += piece.length;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.fd >= 0) closeSync(this.fd);
    if (this.file !== null) rmSync(this.file, { force: true });
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    this.write(this.pending.subarray(0, this.pendingBytes), this.size - this.pendingBytes);
    this.pendingBytes = 0;
  }

  private write(bytes: Uint8Array, at: number): void {
    // Not into whatever file its descriptor number names next (a block still compressing when a write failed).
    if (this.closed) throw new Error('scratch file written after it was closed');
    if (this.fd < 0) this.open();
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done, at + done);
  }

  private open(): void {
    const file = path.join(this.dir, `build-scratch.${process.pid}.${spills++}.tmp`);
    this.fd = openSync(file, 'w+', 0o600);
    try {
      unlinkSync(file);
    } catch {
      this.file = file;
    }
  }
}

/** Fills `into` with the bytes of the file `fd` at `at`. */
function readFully(fd: number, into: Uint8Array, at: number): void {
  for (let done = 0; done < into.length; ) {
    const read = readSync(fd, into, done, into.length - done, at + done);
    if (read === 0) throw new Error(`scratch file ended at ${at + done} of ${at + into.length}`);
    done += read;
  }
}

/**
 * Reads of a file by offset through a window read ahead (see ScratchFile.read), each window read into the same buffer:
 * a new 1 MB buffer per window was garbage at once, a thousand a pass over the analysed fields at 10x the scale corpus,
 * dozens of passes on the main thread and the counting thread, freed only when a collection came round to them.
 */
export class WindowedReads {
  private buffer = new Uint8Array(0);
  private window = new Uint8Array(0);
  private windowAt = 0;
  /** Where the last read ended. */
  private readEnd = -1;

  /** The `length` bytes at `at` of the file `fd`, which has `size` bytes to read. */
  read(fd: number, at: number, length: number, size: number): Uint8Array {
    if (at < this.windowAt || at + length > this.windowAt + this.window.length) {
      const ahead = at === this.readEnd ? Math.min(READ_AHEAD, size - at) : 0;
      const bytes = Math.max(length, ahead);
      // A read larger than a window (one huge post) gets a buffer of its own, let go once a read moves past it.
      if (bytes > READ_AHEAD) this.window = new Uint8Array(bytes);
      else {
        if (this.buffer.length === 0) this.buffer = new Uint8Array(READ_AHEAD);
        this.window = this.buffer.subarray(0, bytes);
      }
      readFully(fd, this.window, at);
      this.windowAt = at;
    }
    this.readEnd = at + length;
    return this.window.subarray(at - this.windowAt, at - this.windowAt + length);
  }
}

/**
 * Where each item of a spill is, found by the number it was given: kept in memory or at an offset of the spill's file,
 * with its size in bytes. Numbers in typed arrays, not a closure or an object per item: at 10x the scale corpus those
 * were ~50 bytes a post each, held to the end of the build.
 */
export class SpillPlaces<T> {
  private readonly kept: T[] = [];
  /** Per item: where it starts in the file, or −1 − its index in `kept` (AT); its bytes when in the file (SIZE). */
  private readonly places = new NumberRows(2);

  /** Numbers an item kept in memory. */
  keep(item: T): number {
    const handle = this.places.add();
    this.places.set(handle, AT, -1 - (this.kept.push(item) - 1));
    return handle;
  }

  /** Numbers an item of `size` bytes at `at` of the file. */
  put(at: number, size: number): number {
    const handle = this.places.add();
    this.places.set(handle, AT, at);
    this.places.set(handle, SIZE, size);
    return handle;
  }

  /** Item `handle` if kept in memory, else undefined (then where() and size() say where it is in the file). */
  keptItem(handle: number): T | undefined {
    const at = this.places.get(handle, AT);
    return at < 0 ? this.kept[-1 - at] : undefined;
  }

  where(handle: number): number {
    return this.places.get(handle, AT);
  }

  size(handle: number): number {
    return this.places.get(handle, SIZE);
  }

  /** Item `handle`, in the file, now lies at `at`. */
  move(handle: number, at: number): void {
    this.places.set(handle, AT, at);
  }

  /** Forgets every item. */
  clear(): void {
    this.kept.length = 0;
    this.places.clear();
  }
}

/** SpillPlaces' columns. */
const AT = 0;
const SIZE = 1;

/**
 * Strings a build holds until it writes its index (texts, each document's stored fields as JSON, its edge clauses): the
 * first `keptBytes` (UTF-16) in memory, the rest appended to a scratch file as they arrive, each found again by the
 * number add() gave it (SpillPlaces). Without a folder every string stays in memory.
 */
export class StringSpill {
  private readonly file: ScratchFile | null;
  private kept = 0;
  private readonly places = new SpillPlaces<string>();

  constructor(
    dir: string | undefined,
    private readonly keptBytes = KEPT_BYTES,
  ) {
    this.file = dir === undefined ? null : new ScratchFile(dir);
  }

  add(text: string): number {
    if (this.file === null || this.kept + 2 * text.length <= this.keptBytes) {
      this.kept += 2 * text.length;
      return this.places.keep(text);
    }
    // UTF-16 code units as they are: a lone surrogate comes back unchanged (UTF-8 would replace it).
    return this.places.put(this.file.append(Buffer.from(text, 'utf16le')), 2 * text.length);
  }

  /** The string add() numbered `handle`. */
  get(handle: number): string {
    const kept = this.places.keptItem(handle);
    if (kept !== undefined) return kept;
    const bytes = this.file!.read(this.places.where(handle), this.places.size(handle));
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf16le');
  }

  close(): void {
    this.file?.close();
  }
}

/** Numbers a chunk of a NumberSpill holds (256 KB). */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;

/**
 * 32-bit numbers appended at the end and read back by position, mostly in the order they were written (a build's
 * passes over its documents): fixed-size chunks, no copy as it grows; the first `keptBytes` in memory, each later chunk
 * appended to a scratch file once full and read back a chunk at a time. Per-document lists a build keeps from one pass
 * to the next (the keywords' shortlist, the keywords fields) grew with the corpus (~450 bytes a post).
 */
export class NumberSpill {
  private readonly file: ScratchFile | null;
  private readonly keptChunks: number;
  /** Chunks in memory; null where written to the file. */
  private readonly chunks: (Uint32Array | null)[] = [];
  /** The chunk last read back from the file, and its number. */
  private loaded: Uint32Array = new Uint32Array(0);
  private loadedChunk = -1;
  length = 0;

  constructor(dir: string | undefined, keptBytes = KEPT_BYTES) {
    this.file = dir === undefined ? null : new ScratchFile(dir);
    this.keptChunks = Math.ceil(keptBytes / (4 * CHUNK));
  }

  push(value: number): void {
    const at = this.length & (CHUNK - 1);
    if (at === 0) this.chunks.push(new Uint32Array(CHUNK));
    this.chunks[this.chunks.length - 1]![at] = value;
    if (++this.length % CHUNK === 0) this.spill(this.chunks.length - 1);
  }

  /** Appends `values`; returns where they start. */
  append(values: ArrayLike<number>): number {
    const start = this.length;
    for (let i = 0; i < values.length; i++) this.push(values[i]);
    return start;
  }

  at(index: number): number {
    return this.chunk(index >>> CHUNK_BITS)[index & (CHUNK - 1)];
  }

  /** The numbers from `start` to `end`: a view where they lie in one chunk, else a copy. */
  range(start: number, end: number): Uint32Array {
    const chunk = start >>> CHUNK_BITS;
    if (end === start || (end - 1) >>> CHUNK_BITS === chunk) return this.chunk(chunk).subarray(start & (CHUNK - 1), ((end - 1) & (CHUNK - 1)) + 1);
    const copy = new Uint32Array(end - start);
    for (let i = start; i < end; i++) copy[i - start] = this.at(i);
    return copy;
  }

  /** Removes its file and lets go of its numbers. */
  close(): void {
    this.file?.close();
    this.chunks.length = 0;
    this.loaded = new Uint32Array(0);
    this.loadedChunk = -1;
    this.length = 0;
  }

  /** A full chunk beyond the kept ones goes to the file, in order: chunk k at (k − keptChunks) chunks' bytes. */
  private spill(k: number): void {
    if (this.file === null || k < this.keptChunks) return;
    const chunk = this.chunks[k]!;
    this.file.append(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.chunks[k] = null;
  }

  private chunk(k: number): Uint32Array {
    const kept = this.chunks[k];
    if (kept) return kept;
    if (k !== this.loadedChunk) {
      // At a multiple of 4 bytes into a window that starts at one: a view of 32-bit numbers.
      const bytes = this.file!.read((k - this.keptChunks) * 4 * CHUNK, 4 * CHUNK);
      this.loaded = new Uint32Array(bytes.buffer, bytes.byteOffset, CHUNK);
      this.loadedChunk = k;
    }
    return this.loaded;
  }
}
