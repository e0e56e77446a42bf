/**
 * Search-mode sub-words of a Chinese word of three or more characters: every dictionary word strictly inside it
 * (jieba's cutForSearch adds only the 2- and 3-character ones; we take all lengths so 新基础设施 yields
 * 基础设施 too), plus each character no such word covers (the 新 of 新基础设施), so the sub-words cover the word.
 * A word with no dictionary word inside (a name found by the HMM, 马斯克) gets no sub-words.
 */
import type { Segmenter } from './segmenter.js';
import type { WordPart } from './wordParts.js';

/** Not cached here: the tokenizer remembers each word's sub-words with its other facts. */
export type HanSubWordFinder = (word: string) => readonly WordPart[];

export function hanSubWordFinder(segmenter: Segmenter): HanSubWordFinder {
  return (word) => findHanSubWords(word, segmenter);
}

function findHanSubWords(word: string, segmenter: Segmenter): WordPart[] {
  const chars = [...word];
  if (chars.length < 3) return [];
  const found = new Map<string, WordPart>();
  let cursor = 0;
  for (const candidate of segmenter.cutAll(word)) {
    if (candidate === word || [...candidate].length < 2) continue;
    // cutAll lists words in order of their start; the first occurrence from the last start is this one.
    const start = word.indexOf(candidate, cursor);
    if (start < 0) continue;
    cursor = start;
    found.set(`${start}:${start + candidate.length}`, { start, end: start + candidate.length, term: candidate });
  }
  if (found.size === 0) return [];
  const covered = new Array<boolean>(word.length).fill(false);
  for (const part of found.values()) covered.fill(true, part.start, part.end);
  let charStart = 0;
  for (const char of chars) {
    const charEnd = charStart + char.length;
    if (!covered[charStart]) found.set(`${charStart}:${charEnd}`, { start: charStart, end: charEnd, term: char });
    charStart = charEnd;
  }
  return [...found.values()].sort((a, b) => a.start - b.start || a.end - b.end);
}
