/**
 * Article texts in blocks, so a hit's snippet downloads a block or two instead of the whole text. Each block records
 * the first body word position in it: the runtime picks the block where the hit's query words are (their positions
 * are in the postings it already has). Positions are tied to characters here without analysing again: the body's
 * whole words, rebuilt from the postings, are found one after another in the lowercased text.
 */
import type { PostingList } from '../index/types.js';

/**
 * Characters aimed at per block (a snippet is 120): a block ends at the next line break or sentence end after it.
 * A hit downloads its snippet's block, and the next when the passage runs on: smaller blocks, fewer bytes a hit.
 */
const BLOCK_CHARS = 200;
const BLOCK_SLACK = 60;
const BREAK = /[\n。！？!?；;]/;
/** A word not found this far after the previous one is taken as not written as such (Traditional, full-width). */
const MAX_GAP = 400;

/** Per document, the longest term at each body position (the whole word; sub-words share its position). */
export class BodyWords {
  private readonly words: (Int32Array | undefined)[];
  private readonly lengths: (Uint8Array | undefined)[];
  private readonly terms: string[] = [];

  constructor(private readonly bodyLength: (doc: number) => number, docCount: number) {
    this.words = new Array(docCount);
    this.lengths = new Array(docCount);
  }

  add(term: string, list: PostingList): void {
    const id = this.terms.push(term) - 1;
    for (let i = 0; i < list.docs.length; i++) {
      const doc = list.docs[i]!;
      let words = this.words[doc];
      let lengths = this.lengths[doc];
      if (!words || !lengths) {
        const length = this.bodyLength(doc) + 1;
        words = this.words[doc] = new Int32Array(length).fill(-1);
        lengths = this.lengths[doc] = new Uint8Array(length);
      }
      for (let p = list.posStart[i]!; p < list.posStart[i + 1]!; p++) {
        const position = list.positions[p]!;
        if (position < words.length && term.length > lengths[position]!) {
          words[position] = id;
          lengths[position] = Math.min(255, term.length);
        }
      }
    }
  }

  /** Character offset of each body position's word in `text`, -1 where it is not found as written. */
  offsets(doc: number, text: string): Int32Array {
    const words = this.words[doc];
    const offsets = new Int32Array(words?.length ?? 0).fill(-1);
    const lower = text.toLowerCase();
    if (!words || lower.length !== text.length) return offsets;
    let cursor = 0;
    for (let position = 0; position < words.length; position++) {
      const id = words[position]!;
      if (id < 0) continue;
      const term = this.terms[id]!;
      const at = lower.indexOf(term, cursor);
      if (at < 0 || at - cursor > MAX_GAP) continue;
      offsets[position] = at;
      cursor = at + term.length;
    }
    return offsets;
  }

  /** Frees a document's words once its blocks are written. */
  release(doc: number): void {
    this.words[doc] = undefined;
    this.lengths[doc] = undefined;
  }
}

/** Block start offsets of `text` (the first is 0), each block ending after a line break or sentence end. */
export function blockStarts(text: string): number[] {
  const starts = [0];
  let at = BLOCK_CHARS;
  while (at < text.length) {
    let end = at;
    while (end < text.length && end < at + BLOCK_SLACK && !BREAK.test(text[end]!)) end++;
    end = Math.min(text.length, end + 1);
    // Never split a surrogate pair.
    if (end < text.length && text.charCodeAt(end) >= 0xdc00 && text.charCodeAt(end) <= 0xdfff) end++;
    if (end >= text.length) break;
    starts.push(end);
    at = end + BLOCK_CHARS;
  }
  return starts;
}

/**
 * The first body position of each block: the first word found at or after its start; where none is found (text
 * not written as indexed), estimated in proportion to the text.
 */
export function blockPositions(starts: number[], offsets: Int32Array, textLength: number): number[] {
  const positions: number[] = [];
  let position = 0;
  for (const start of starts) {
    while (position < offsets.length && (offsets[position] === -1 || offsets[position]! < start)) position++;
    positions.push(position < offsets.length ? position : Math.round((start / Math.max(1, textLength)) * offsets.length));
  }
  // Estimates must not break the order.
  for (let i = 1; i < positions.length; i++) positions[i] = Math.max(positions[i]!, positions[i - 1]!);
  return positions;
}
