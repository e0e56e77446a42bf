/**
 * The files of one generation checked against its manifest (size, CRC-32): the small ones read whole (catalog.bin
 * inflated), the block files (`streamed`) read through a small buffer for their checksum and left open, to be read a
 * block at a time (byte-source.ts says why). At once on the calling thread with the streamed files checked in a worker
 * thread meanwhile (a CLI); the small files too in a worker thread when the caller has work of its own meanwhile (a
 * load with its analyzer's dictionary); or all in a worker thread (a server loading a new generation while it answers
 * requests).
 * Under load every turn of a busy event loop takes a round of requests (50 connections on the scale index: ~100 ms),
 * and done on the event loop this work took hundreds of turns: checksums in 1 MB pieces, and zlib's asynchronous
 * brotli, which hands back its output in 16 KB chunks, one turn each (format 8's docs.bin, inflated whole, 17 MB: over
 * a thousand turns, most of the 80 s a switch took). The worker does it all and hands the buffers over in one message.
 * The streamed files are opened on the calling thread (a worker's own descriptors are closed when it ends), and checked
 * through their descriptors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import zlib from 'node:zlib';

export interface FileEntry {
  name: string;
  bytes: number;
  /**
   * CRC-32 of the bytes: it catches what a checksum here is for (a torn write, a flipped bit, a truncated copy) as
   * sha256 did, at ~1/20 of its CPU (sha256 of the scale index's 90 MB was ~0.3 s of every load).
   */
  crc32: number;
}

/** Why a file cannot be used; the caller words the message (it knows the index folder and the rebuild command). */
export type FileProblem =
  | { name: string; kind: 'unreadable'; code: string }
  | { name: string; kind: 'size'; actual: number; expected: number }
  | { name: string; kind: 'checksum' }
  | { name: string; kind: 'inflate'; reason: string };

export type FilesRead =
  | {
      contents: [name: string, bytes: Uint8Array][];
      /** The streamed files, checked and open: the caller owns the descriptors. */
      opened: [name: string, fd: number, size: number][];
    }
  | { problem: FileProblem };

/** Which files to inflate after reading, and which to check by streaming and leave open instead of reading whole. */
export interface ReadPlan {
  inflated: readonly string[];
  streamed: readonly string[];
}

interface Modules {
  readFileSync: (file: string) => Uint8Array;
  sizeOf: (fd: number) => number;
  readSync: (fd: number, buffer: Uint8Array, offset: number, length: number, position: number) => number;
  crc32: (bytes: Uint8Array, value?: number) => number;
  inflate: (bytes: Uint8Array) => Uint8Array;
  join: (dir: string, name: string) => string;
}

/**
 * Reads and checks `files` of `dir` as `plan` says, the streamed ones through their open descriptors `fds`; stops at
 * the first problem. Self-contained (it is also the source text of the worker): it uses nothing but its arguments.
 */
function readFiles(dir: string, files: readonly FileEntry[], plan: ReadPlan, fds: Record<string, number>, modules: Modules): FilesRead {
  const contents: [string, Uint8Array][] = [];
  const opened: [string, number, number][] = [];
  let chunk: Uint8Array | undefined;
  const fail = (problem: FileProblem): FilesRead => ({ problem });
  const unreadable = (name: string, error: unknown): FilesRead => fail({ name, kind: 'unreadable', code: String((error as { code?: unknown }).code) });
  for (const entry of files) {
    const file = modules.join(dir, entry.name);
    const fd = fds[entry.name];
    if (fd !== undefined) {
      opened.push([entry.name, fd, entry.bytes]);
      let crc = 0;
      let size: number;
      try {
        size = modules.sizeOf(fd);
        if (size === entry.bytes) {
          chunk ??= new Uint8Array(1 << 20);
          for (let at = 0; at < size; ) {
            const count = modules.readSync(fd, chunk, 0, Math.min(chunk.length, size - at), at);
            if (count === 0) break;
            crc = modules.crc32(chunk.subarray(0, count), crc);
            at += count;
          }
        }
      } catch (error) {
        return unreadable(entry.name, error);
      }
      if (size !== entry.bytes) return fail({ name: entry.name, kind: 'size', actual: size, expected: entry.bytes });
      if (crc !== entry.crc32) return fail({ name: entry.name, kind: 'checksum' });
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = modules.readFileSync(file);
    } catch (error) {
      return unreadable(entry.name, error);
    }
    if (bytes.length !== entry.bytes) return fail({ name: entry.name, kind: 'size', actual: bytes.length, expected: entry.bytes });
    if (modules.crc32(bytes) !== entry.crc32) return fail({ name: entry.name, kind: 'checksum' });
    if (plan.inflated.includes(entry.name)) {
      try {
        bytes = modules.inflate(bytes);
      } catch (error) {
        return fail({ name: entry.name, kind: 'inflate', reason: (error as Error).message });
      }
    }
    contents.push([entry.name, bytes]);
  }
  return { contents, opened };
}

/**
 * Output piece of inflating catalog.bin: at zlib's default 16 KiB, format 8's docs.bin (17 MB) came back in ~1,000
 * pieces, each a turn of zlib's loop and all copied once more to join them. A piece of 8× the compressed size holds
 * the whole output (JSON compresses ~5×): no join, whose copy into fresh memory took a third of inflating that
 * docs.bin (240 → 155 ms of CPU at scale); the part of the piece left unwritten is never touched.
 */
const INFLATE_MIN_PIECE = 1 << 20;
const INFLATE_PIECE_RATIO = 8;

function inflatePiece(compressedBytes: number): number {
  return Math.max(INFLATE_MIN_PIECE, INFLATE_PIECE_RATIO * compressedBytes);
}

/** Opens the streamed files of `files`; on a problem, closes those it opened. */
function openStreamed(dir: string, files: readonly FileEntry[], plan: ReadPlan): { fds: Record<string, number> } | { problem: FileProblem } {
  const fds: Record<string, number> = {};
  for (const { name } of files.filter((entry) => plan.streamed.includes(entry.name))) {
    try {
      fds[name] = fs.openSync(path.join(dir, name), 'r');
    } catch (error) {
      closeAll(fds);
      return { problem: { name, kind: 'unreadable', code: String((error as { code?: unknown }).code) } };
    }
  }
  return { fds };
}

function closeAll(fds: Record<string, number>): void {
  for (const fd of Object.values(fds)) fs.closeSync(fd);
}

/** The read's result; its open files closed when it found a problem. */
function settled(read: FilesRead, fds: Record<string, number>): FilesRead {
  if ('problem' in read) closeAll(fds);
  return read;
}

/** readFiles' modules on this thread. */
const THIS_THREAD: Modules = {
  readFileSync: (file) => fs.readFileSync(file),
  sizeOf: (fd) => fs.fstatSync(fd).size,
  readSync: (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
  crc32: (bytes, value) => zlib.crc32(bytes, value),
  inflate: (bytes) => zlib.brotliDecompressSync(bytes, { chunkSize: inflatePiece(bytes.length) }),
  join: path.join,
};

/**
 * A load at once (a command line, the bench): the small files read and checked on this thread, `read` as soon as they are;
 * the streamed files opened here and checked in a worker thread meanwhile, while the caller decodes (their block
 * tables are all it reads of them at load: 85 of the scale index's 90 MB, ~0.1 s of reading and CRC-32 taken off
 * this thread). `checked` settles with the problem the worker found, null when none: the caller must not hand out
 * what it decoded before that. With `meanwhile` (work of the caller's own, such as loading a dictionary), the small
 * files are read in a second worker thread while it runs here: the check of the large ones, longer than that work
 * on a large index, goes on while the caller decodes the small ones.
 */
export async function readGenerationFilesBeside(
  dir: string,
  files: readonly FileEntry[],
  plan: ReadPlan,
  meanwhile?: () => void,
): Promise<{ read: FilesRead; checked: Promise<FileProblem | null> }> {
  const streamed = files.filter((entry) => plan.streamed.includes(entry.name));
  const open = openStreamed(dir, streamed, plan);
  if ('problem' in open) return { read: open, checked: Promise.resolve(null) };
  const checking = readInWorker(dir, streamed, plan, open.fds, () => {});
  // Closed once the worker is done with them (a number closed under it could name another file meanwhile).
  const closeWhenChecked = () => void checking.catch(() => null).then(() => closeAll(open.fds));
  const small = files.filter((entry) => !plan.streamed.includes(entry.name));
  let read: FilesRead;
  if (meanwhile === undefined) read = readFiles(dir, small, plan, {}, THIS_THREAD);
  else {
    // Like the check, read on this thread if the thread cannot start (a load at once has no requests to keep waiting).
    const reading = readInWorker(dir, small, plan, {}, () => {});
    try {
      meanwhile();
      read = await reading;
    } catch (error) {
      void reading.catch(() => null);
      closeWhenChecked();
      throw error;
    }
  }
  if ('problem' in read) {
    closeWhenChecked();
    return { read, checked: Promise.resolve(null) };
  }
  return {
    read: { contents: read.contents, opened: streamed.map((entry): [string, number, number] => [entry.name, open.fds[entry.name], entry.bytes]) },
    checked: checking.then((result) => ('problem' in result ? result.problem : null)),
  };
}

/*
 * The worker runs readFiles from its source text, so it works the same from the compiled files and from the
 * TypeScript sources (the tests), where no .js worker file exists. Buffers are handed over, not copied; one that
 * shares its memory (Node pools small buffers) is copied first.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const readFiles = ${readFiles.toString()};
const INFLATE_MIN_PIECE = ${INFLATE_MIN_PIECE};
const INFLATE_PIECE_RATIO = ${INFLATE_PIECE_RATIO};
const inflatePiece = ${inflatePiece.toString()};
const result = readFiles(workerData.dir, workerData.files, workerData.plan, workerData.fds, {
  readFileSync: fs.readFileSync,
  sizeOf: (fd) => fs.fstatSync(fd).size,
  readSync: (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
  crc32: (bytes, value) => require('node:zlib').crc32(bytes, value),
  inflate: (bytes) => require('node:zlib').brotliDecompressSync(bytes, { chunkSize: inflatePiece(bytes.length) }),
  join: require('node:path').join,
});
if ('contents' in result) {
  result.contents = result.contents.map(([name, bytes]) =>
    [name, bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()]);
  parentPort.postMessage(result, result.contents.map(([, bytes]) => bytes.buffer));
} else {
  parentPort.postMessage(result);
}
`;

/**
 * Reads `files` in a worker thread: the event loop only receives the result, in one message. A thread that cannot
 * start (no threads left, a permission model without --allow-worker) or ends without an answer says nothing about
 * the generation: the files are then read on this thread (blocking it for that read), with a process warning.
 * `meanwhile` runs on this thread while the worker reads; when it throws, so does this, and the files are closed
 * once the worker is done with them.
 */
export async function readGenerationFilesInWorker(dir: string, files: readonly FileEntry[], plan: ReadPlan, meanwhile?: () => void): Promise<FilesRead> {
  const open = openStreamed(dir, files, plan);
  if ('problem' in open) return open;
  const warn = (error: Error) =>
    process.emitWarning(`读取索引文件的线程未能完成（${error.message}），改在主线程读取 ${dir}：这次切换时请求会多等一会儿`);
  const reading = readInWorker(dir, files, plan, open.fds, warn).then((read) => settled(read, open.fds));
  try {
    meanwhile?.();
  } catch (error) {
    void reading.then((read) => {
      if (!('problem' in read)) closeAll(open.fds);
    });
    throw error;
  }
  return reading;
}

/** readFiles in a worker thread, or on this thread (after `fellBack` is told why) when the thread fails. */
function readInWorker(dir: string, files: readonly FileEntry[], plan: ReadPlan, fds: Record<string, number>, fellBack: (error: Error) => void): Promise<FilesRead> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const failed = (error: Error) => {
      if (answered) return;
      answered = true;
      fellBack(error);
      // Inside a worker's event handler: what throws here must reach the loader, not end the process.
      try {
        resolve(readFiles(dir, files, plan, fds, THIS_THREAD));
      } catch (readError) {
        reject(readError);
      }
    };
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { dir, files, plan, fds } });
    } catch (error) {
      failed(error as Error);
      return;
    }
    // A server closing while a generation loads does not wait for it.
    worker.unref();
    worker.once('message', (result: FilesRead) => {
      answered = true;
      resolve(result);
    });
    worker.once('error', failed);
    worker.once('exit', (code) => failed(new Error(`exit code ${code}`)));
  });
}
