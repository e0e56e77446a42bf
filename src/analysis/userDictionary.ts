/**
 * The jieba-format user dictionary: one entry per line, `word [freq] [tag]`, `#` starts a comment line.
 * Entries are normalised like text (NFKC, lowercase, Simplified), because jieba only ever sees normalised text.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normalizeText } from './normalize.js';
import { traditionalToSimplifiedTable } from './openccTable.js';

export interface UserDictionaryEntry {
  word: string;
  freq: number;
  tag: string;
}

export interface UserDictionary {
  /** Where it was read from (for messages). */
  path: string;
  entries: UserDictionaryEntry[];
  /** The normalised entries in jieba format, `word freq tag` per line: what both segmenters load. */
  jiebaText: string;
}

/** Frequency given to entries without one: high enough that the word wins over its parts in jieba's DAG. */
export const DEFAULT_USER_WORD_FREQ = 1000;
const DEFAULT_TAG = 'n';

/** The repository's `corpus/dict.txt`, found from this module's location (src/analysis or dist/analysis). */
export function defaultUserDictPath(): string {
  return fileURLToPath(new URL('../../corpus/dict.txt', import.meta.url));
}

export function parseUserDictionary(text: string, path: string): UserDictionary {
  const entries: UserDictionaryEntry[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    if (fields.length > 3) {
      throw new Error(`${path}:${index + 1}: expected "word [freq] [tag]", got ${fields.length} fields: "${line}"`);
    }
    const [rawWord, second, third] = fields as [string, string | undefined, string | undefined];
    let freq = DEFAULT_USER_WORD_FREQ;
    let tag = DEFAULT_TAG;
    if (second !== undefined && /^\d+$/.test(second)) {
      freq = Number(second);
      if (third !== undefined) tag = third;
    } else if (second !== undefined) {
      if (third !== undefined) {
        throw new Error(`${path}:${index + 1}: frequency must be a whole number, got "${second}"`);
      }
      tag = second;
    }
    const word = normalizeText(rawWord, traditionalToSimplifiedTable());
    if (word === '') throw new Error(`${path}:${index + 1}: empty word`);
    entries.push({ word, freq, tag });
  });
  const jiebaText = entries.map((entry) => `${entry.word} ${entry.freq} ${entry.tag}\n`).join('');
  return { path, entries, jiebaText };
}

export function readUserDictionary(path: string): UserDictionary {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`user dictionary ${path} cannot be read: ${(error as Error).message}`);
  }
  return parseUserDictionary(text, path);
}
