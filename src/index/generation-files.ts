/**
 * The files of one generation read whole, checked against its manifest (size, CRC-32), catalog.bin and docs.bin
 * inflated: at once on the calling thread (a CLI), or in a worker thread (a server loading a new generation while
 * it answers requests). Under load every turn of a busy event loop takes a round of requests (50 connections on the
 * scale index: ~100 ms), and done on the event loop this work took hundreds of turns: checksums in 1 MB pieces, and
 * zlib's asynchronous brotli, which hands back its output in 16 KB chunks, one turn each (docs.bin's 17 MB: over a
 * thousand turns, most of the 80 s a switch took). The worker does it all and hands the buffers over in one message.
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

export type FilesRead = { contents: [name: string, bytes: Uint8Array][] } | { problem: FileProblem };

interface Modules {
  readFileSync: (file: string) => Uint8Array;
  crc32: (bytes: Uint8Array) => number;
  inflate: (bytes: Uint8Array) => Uint8Array;
  join: (dir: string, name: string) => string;
}

/**
 * Reads and checks `files` of `dir`, inflating those named in `inflated`; stops at the first problem.
 * Self-contained (it is also the source text of the worker): it uses nothing but its arguments.
 */
function readFiles(dir: string, files: readonly FileEntry[], inflated: readonly string[], modules: Modules): FilesRead {
  const contents: [string, Uint8Array][] = [];
  for (const entry of files) {
    let bytes: Uint8Array;
    try {
      bytes = modules.readFileSync(modules.join(dir, entry.name));
    } catch (error) {
      return { problem: { name: entry.name, kind: 'unreadable', code: String((error as { code?: unknown }).code) } };
    }
    if (bytes.length !== entry.bytes) return { problem: { name: entry.name, kind: 'size', actual: bytes.length, expected: entry.bytes } };
    if (modules.crc32(bytes) !== entry.crc32) return { problem: { name: entry.name, kind: 'checksum' } };
    if (inflated.includes(entry.name)) {
      try {
        bytes = modules.inflate(bytes);
      } catch (error) {
        return { problem: { name: entry.name, kind: 'inflate', reason: (error as Error).message } };
      }
    }
    contents.push([entry.name, bytes]);
  }
  return { contents };
}

/**
 * Output piece of inflating catalog.bin and docs.bin: at zlib's default 16 KiB, docs.bin's 17 MB came back in ~1,000
 * pieces, each a turn of zlib's loop and all copied once more to join them.
 */
const INFLATE_CHUNK_BYTES = 1 << 20;

/** Reads `files` on this thread (blocking it: for a command line, not a server answering requests). */
export function readGenerationFiles(dir: string, files: readonly FileEntry[], inflated: readonly string[]): FilesRead {
  return readFiles(dir, files, inflated, {
    readFileSync: (file) => fs.readFileSync(file),
    crc32: (bytes) => zlib.crc32(bytes),
    inflate: (bytes) => zlib.brotliDecompressSync(bytes, { chunkSize: INFLATE_CHUNK_BYTES }),
    join: path.join,
  });
}

/*
 * The worker runs readFiles from its source text, so it works the same from the compiled files and from the
 * TypeScript sources (the tests), where no .js worker file exists. Buffers are handed over, not copied; one that
 * shares its memory (Node pools small buffers) is copied first.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const readFiles = ${readFiles.toString()};
const result = readFiles(workerData.dir, workerData.files, workerData.inflated, {
  readFileSync: require('node:fs').readFileSync,
  crc32: (bytes) => require('node:zlib').crc32(bytes),
  inflate: (bytes) => require('node:zlib').brotliDecompressSync(bytes, { chunkSize: ${INFLATE_CHUNK_BYTES} }),
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

/** Reads `files` in a worker thread: the event loop only receives the result, in one message. */
export function readGenerationFilesInWorker(dir: string, files: readonly FileEntry[], inflated: readonly string[]): Promise<FilesRead> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { dir, files, inflated } });
    // A server closing while a generation loads does not wait for it.
    worker.unref();
    worker.once('message', (result: FilesRead) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the thread reading ${dir} stopped (exit code ${code})`)));
  });
}
