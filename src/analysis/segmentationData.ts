/**
 * What a segmenter running elsewhere (a static export's browser runtime) needs to segment like this analyzer: the
 * dictionary words jieba can put in its DAG with their frequencies (built-in + user dictionary), the stop words and
 * the letter words. Only words of Chinese characters that normalisation leaves unchanged: the tokenizer gives jieba
 * normalised Chinese runs, so no other dictionary word can ever match.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_STOP_WORDS } from './defaultStopWords.js';
import { effectiveUserDictPath, segmenterPackage } from './identity.js';
import { normalizeText } from './normalize.js';
import { traditionalToSimplifiedTable } from './openccTable.js';
import { DEFAULT_SEGMENTER } from './segmenter.js';
import { stopWordSet } from './stopWords.js';
import type { AnalyzerOptions } from './types.js';
import { readUserDictionary } from './userDictionary.js';

export interface SegmentationData {
  /** Word → jieba frequency. */
  words: Map<string, number>;
  /** log of the sum of all dictionary frequencies (jieba's total, every entry counted). */
  logTotal: number;
  stopWords: string[];
  letterWords: string[];
}

const HAN_WORD = /^\p{Script=Han}+$/u;
const LETTER_WORD = /^[a-z]\p{Script=Han}+$/u;

export function segmentationData(options: AnalyzerOptions = {}): SegmentationData {
  const { dictionaryFiles } = segmenterPackage(options.segmenter ?? DEFAULT_SEGMENTER);
  const table = traditionalToSimplifiedTable();
  const words = new Map<string, number>();
  let total = 0;
  const add = (word: string, freq: number) => {
    total += freq;
    if (HAN_WORD.test(word) && normalizeText(word, table) === word) words.set(word, freq);
  };
  for (const line of readFileSync(dictionaryFiles[0]!, 'utf8').split('\n')) {
    const [word, freq] = line.trim().split(/\s+/);
    if (word && freq && /^\d+$/.test(freq)) add(word, Number(freq));
  }
  const userDictPath = effectiveUserDictPath(options);
  const userEntries = userDictPath === undefined ? [] : readUserDictionary(userDictPath).entries;
  for (const entry of userEntries) add(entry.word, entry.freq);
  return {
    words,
    logTotal: Math.log(total),
    stopWords: [...stopWordSet(options.stopWords ?? DEFAULT_STOP_WORDS)],
    letterWords: userEntries.map((entry) => entry.word).filter((word) => LETTER_WORD.test(word)),
  };
}
