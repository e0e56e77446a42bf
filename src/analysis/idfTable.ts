/**
 * jieba's idf table (`word idf` a line, UTF-8) looked up where it lies: a hash table of line offsets over its bytes
 * (open addressing on the word's UTF-8 bytes), each line's value beside its slot. Decoding the 6 MB table, splitting
 * it into lines and filling a Map of its 270,000 words took ~0.26 CPU s and ~70 MB per build (this: ~0.14 s, and
 * 16 MiB of slots beside the table's bytes: 1,048,576 of them), for the tens of thousands of words a corpus asks about.
 */

export interface IdfTable {
  readonly bytes: Buffer;
  /** Per slot, the offset of its line + 1; 0 where empty. At most half full. */
  readonly lines: Int32Array;
  /** Per slot, the hash of its word (hashBytes): most slots a probe passes are told apart without reading the table. */
  readonly hashes: Int32Array;
  /** Per slot, its line's idf. */
  readonly values: Float64Array;
  /** The median of all idfs: a word the table does not list has it (as jieba does). */
  readonly median: number;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;

/**
 * The table of `bytes`, with the values and words Number and a first space make of each line, as a Map of its
 * lines would (a line without a word or a finite value does not count; of two lines of a word the later one).
 */
export function readIdfTable(bytes: Buffer): IdfTable {
  let lineCount = 1;
  for (let i = bytes.indexOf(NEWLINE); i >= 0; i = bytes.indexOf(NEWLINE, i + 1)) lineCount++;
  let size = 1024;
  while (size < 2 * lineCount) size *= 2;
  const lines = new Int32Array(size);
  const hashes = new Int32Array(size);
  const values = new Float64Array(size);
  let count = 0;
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end < 0) end = bytes.length;
    const line = start;
    start = end + 1;
    const space = bytes.indexOf(SPACE, line);
    if (space <= line || space >= end) continue;
    const value = Number(bytes.toString('utf8', space + 1, end));
    if (!Number.isFinite(value)) continue;
    const hash = hashBytes(bytes, line, space);
    const slot = slotOf(bytes, lines, hashes, hash, bytes, line, space - line);
    if (lines[slot] === 0) count++;
    lines[slot] = line + 1;
    hashes[slot] = hash;
    values[slot] = value;
  }
  const listed = new Float64Array(count);
  for (let slot = 0, k = 0; slot < size; slot++) if (lines[slot] !== 0) listed[k++] = values[slot];
  listed.sort();
  return { bytes, lines, hashes, values, median: count === 0 ? 0 : listed[count >> 1] };
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/** The idf `table` lists for `word`, or undefined. */
export function idfOf(table: IdfTable, word: string): number | undefined {
  // A UTF-8 character takes at most three bytes per UTF-16 unit.
  if (scratch.length < 3 * word.length) scratch = new Uint8Array(3 * word.length);
  const length = encoder.encodeInto(word, scratch).written;
  const { bytes, lines, hashes, values } = table;
  const slot = slotOf(bytes, lines, hashes, hashBytes(scratch, 0, length), scratch, 0, length);
  return lines[slot] === 0 ? undefined : values[slot];
}

/** The slot of the word of `length` bytes at word[from…] with hash `hash`: its line's, or the empty one it would take. */
function slotOf(bytes: Uint8Array, lines: Int32Array, hashes: Int32Array, hash: number, word: Uint8Array, from: number, length: number): number {
  const mask = lines.length - 1;
  let slot = hash & mask;
  while (lines[slot] !== 0 && (hashes[slot] !== hash || !sameWord(bytes, lines[slot] - 1, word, from, length))) slot = (slot + 1) & mask;
  return slot;
}

/** FNV-1a of bytes[from, to), as a signed 32-bit integer (an Int32Array's element). */
function hashBytes(bytes: Uint8Array, from: number, to: number): number {
  let hash = 0x811c9dc5;
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return hash;
}

/** Whether the line at `line` of `bytes` has the word of `length` bytes at word[from…] (then a space). */
function sameWord(bytes: Uint8Array, line: number, word: Uint8Array, from: number, length: number): boolean {
  if (bytes[line + length] !== SPACE) return false;
  for (let i = 0; i < length; i++) if (bytes[line + i] !== word[from + i]) return false;
  return true;
}
