/**
 * What a stat of each article's file said when the generation was built (size, modification and change times, inode),
 * kept beside the generation's files like its summaries: a file whose stat still says the same was not changed since,
 * and the next incremental reindex takes its content hash from the catalog instead of reading and hashing it again
 * (most of a reindex with nothing to do). Git trusts its index the same way. Not in the manifest: no reader opens it;
 * a missing, damaged or foreign file only costs the reads it would have saved.
 *
 * A change in the same tick of the file system's clock as the stat that saw the file, with the same size, would leave
 * the stat as it was: a stamp is trusted only when the file last changed well before the listing that stamped it
 * (`RACY_MARGIN_MS`), so that no later write can share its times.
 */
import { readFileSync, statfsSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FileStamp } from '../ingest/types.js';

/** Its name in a generation's folder. */
export const STAMPS_FILE = 'stamps.bin';
const MAGIC = 0x5453485a; // "ZHST" read little-endian
const VERSION = 1;
const HEADER_BYTES = 24;
/** Per document: size, modification time, change time, inode (float64 each; NaN when the file was not stamped). */
const VALUES = 4;
/**
 * A stamp counts only if its file last changed this long before the listing began: above the tick of a coarse file
 * system clock (a few ms on Linux) and FAT's 2 s times.
 */
const RACY_MARGIN_MS = 3000;

/**
 * File systems whose stats cannot vouch for a file: network and user-space ones (NFS, SMB/CIFS, FUSE, 9p, Ceph), whose
 * times come from another machine's clock (the margin compares them with this one's) and whose cached stats may not
 * yet show another client's write.
 */
const UNTRUSTED_FILE_SYSTEMS = new Set([0x6969, 0x517b, 0xff534d42, 0xfe534d42, 0x65735546, 0x01021997, 0x00c36400]);

/** Whether the stats of the files under `corpusDir` can stand for their content (its file system is local). */
export function stampsTrusted(corpusDir: string): boolean {
  try {
    return !UNTRUSTED_FILE_SYSTEMS.has(statfsSync(corpusDir).type);
  } catch {
    return false;
  }
}

/** A listed file as stamped: its size beside its stat's times. */
export interface StampedFile {
  id: string;
  bytes: number;
  stamp?: FileStamp;
}

/** The stamps of one listing: when it began, and each file's stamp by id. */
export class ListingStamps {
  private readonly slots = new Map<string, number>();
  private readonly values: Float64Array;

  constructor(
    files: readonly StampedFile[],
    readonly listedAt: number,
  ) {
    this.values = new Float64Array(files.length * VALUES).fill(NaN);
    files.forEach((file, slot) => {
      if (file.stamp === undefined) return;
      this.slots.set(file.id, slot);
      this.values.set([file.bytes, file.stamp.mtimeMs, file.stamp.ctimeMs, file.stamp.ino], slot * VALUES);
    });
  }

  /** The four values of `id`'s stamp, or undefined when it was not listed with one. */
  valuesOf(id: string): Float64Array | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : this.values.subarray(slot * VALUES, (slot + 1) * VALUES);
  }
}

/** The stamps of a generation's documents, in document order (`ids`), as written beside it. */
export function encodeStamps(ids: readonly string[], stamps: ListingStamps): Uint8Array {
  const bytes = Buffer.alloc(HEADER_BYTES + ids.length * VALUES * 8);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setFloat64(8, stamps.listedAt, true);
  view.setUint32(16, ids.length, true);
  ids.forEach((id, doc) => {
    const values = stamps.valuesOf(id);
    for (let k = 0; k < VALUES; k++) view.setFloat64(HEADER_BYTES + (doc * VALUES + k) * 8, values?.[k] ?? NaN, true);
  });
  view.setUint32(20, zlib.crc32(bytes.subarray(HEADER_BYTES)), true);
  return bytes;
}

/**
 * The content hash of a listed file whose stamp is the one kept beside the live generation, for each of its
 * documents (`documents` in document order, as its catalog lists them); undefined when the file must be read.
 */
export type KnownHash = (file: StampedFile) => string | undefined;

/** The stamps beside `generation`; null when there are none to use (missing, damaged, of another version or size). */
export function readStamps(indexDir: string, generation: string, documents: readonly { id: string; contentHash: string }[]): KnownHash | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(indexDir, generation, STAMPS_FILE));
  } catch {
    return null;
  }
  if (bytes.length < HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(16, true);
  if (
    view.getUint32(0, true) !== MAGIC ||
    view.getUint32(4, true) !== VERSION ||
    count !== documents.length ||
    bytes.length !== HEADER_BYTES + count * VALUES * 8 ||
    view.getUint32(20, true) !== zlib.crc32(bytes.subarray(HEADER_BYTES))
  ) {
    return null;
  }
  const trustedBefore = view.getFloat64(8, true) - RACY_MARGIN_MS;
  const docs = new Map<string, number>();
  documents.forEach(({ id }, doc) => docs.set(id, doc));
  return ({ id, bytes: size, stamp }) => {
    const doc = docs.get(id);
    if (doc === undefined || stamp === undefined) return undefined;
    const at = HEADER_BYTES + doc * VALUES * 8;
    const ctimeMs = view.getFloat64(at + 16, true);
    const same =
      view.getFloat64(at, true) === size &&
      view.getFloat64(at + 8, true) === stamp.mtimeMs &&
      ctimeMs === stamp.ctimeMs &&
      view.getFloat64(at + 24, true) === stamp.ino &&
      ctimeMs < trustedBefore;
    return same ? documents[doc]!.contentHash : undefined;
  };
}
