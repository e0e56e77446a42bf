/**
 * Sub-words of a whole word (a `word` script run): the pieces between joiners and at letter↔digit
 * boundaries, so `covid-19` also matches `covid`, `iphone14` matches `iphone`, `node.js` matches `node`.
 * Only pieces of two or more characters, and only for words that contain a letter: never a single letter,
 * never `1`, `2`, `3` out of `v1.2.3`.
 */

export interface WordPart {
  /** Offsets relative to the word. */
  start: number;
  end: number;
}

const PIECE = /\p{L}[\p{L}\p{M}]*|\p{N}+/gu;
const HAS_LETTER = /\p{L}/u;

export function wordParts(word: string): WordPart[] {
  if (!HAS_LETTER.test(word)) return [];
  const pieces: WordPart[] = [];
  for (const match of word.matchAll(PIECE)) {
    pieces.push({ start: match.index, end: match.index + match[0].length });
  }
  if (pieces.length < 2) return [];
  return pieces.filter((piece) => [...word.slice(piece.start, piece.end)].length >= 2);
}
