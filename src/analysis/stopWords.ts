import { DEFAULT_STOP_WORDS } from './defaultStopWords.js';
import { normalizeText } from './normalize.js';
import { traditionalToSimplifiedTable } from './openccTable.js';

const defaultStopWordSet: ReadonlySet<string> = new Set(DEFAULT_STOP_WORDS);

/** A stop-word set from a list given by the user, normalised like terms. */
export function stopWordSet(words: readonly string[]): ReadonlySet<string> {
  return new Set(words.map((word) => normalizeText(word.trim(), traditionalToSimplifiedTable())).filter((word) => word !== ''));
}

/** Whether a normalised term is in the default stop-word list. */
export function isStopWord(term: string): boolean {
  return defaultStopWordSet.has(term);
}
