/**
 * Sub-words of a whole word (a `word` script run): the pieces between joiners and at letter↔digit
 * boundaries, so `covid-19` also matches `covid`, `iphone14` matches `iphone`, `node.js` matches `node`.
 * An English clitic after an apostrophe is no piece (`paul's` → `paul`, `i've` → nothing, never `ve`).
 * Only pieces of two or more characters, and only for words that contain a letter: never a single letter,
 * never `1`, `2`, `3` out of `v1.2.3`.
 */

export interface WordPart {
  /** Offsets relative to the word. */
  start: number;
  end: number;
  /** The sub-word's text: the word's slice [start, end). */
  term: string;
}

const PIECE = /['’]\p{L}+|\p{L}[\p{L}\p{M}]*|\p{N}+/gu;
const HAS_LETTER = /\p{L}/u;
const APOSTROPHES = new Set(["'", '’']);

export function wordParts(word: string): WordPart[] {
  if (isLowercaseAscii(word) || !HAS_LETTER.test(word)) return [];
  const parts: WordPart[] = [];
  for (const match of word.matchAll(PIECE)) {
    const piece = match[0];
    if (APOSTROPHES.has(piece[0]!) || piece.length === word.length || [...piece].length < 2) continue;
    parts.push({ start: match.index, end: match.index + piece.length, term: piece });
  }
  return parts;
}

/** Most words are ASCII lowercase letters alone: one piece, the whole word, so no parts (without the regexes). */
function isLowercaseAscii(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code < 97 || code > 122) return false;
  }
  return true;
}
