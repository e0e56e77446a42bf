/**
 * A jieba-compatible segmenter over a vocabulary given as data, for places where jieba itself cannot run (a static
 * export's browser runtime). Precise mode is jieba's: the maximum-probability route through the DAG of dictionary
 * words (log(freq) − log(total), ties to the longer word), then runs of single characters that are not a dictionary
 * word are re-cut. jieba re-cuts them with its HMM; here the words jieba's HMM found in the indexed corpus (the
 * vocabulary's non-dictionary words) are matched longest first, so every word the index knows is found again.
 * cutAll lists the dictionary words inside a text, as jieba's full mode does for the words of two or more characters.
 */
import type { Segmenter } from './segmenter.js';
import type { SegmenterName } from './types.js';

export interface SegmenterVocabulary {
  /** jieba dictionary frequency of `word`; 0 for a word of the corpus not in the dictionary; undefined if unknown. */
  frequency(word: string): number | undefined;
  /**
   * Whether some longer word of the vocabulary starts with `text`: where none does, the segmenter stops looking for
   * longer words there (jieba's prefix dictionary does the same), instead of trying every length up to maxWordLength.
   */
  extends(text: string): boolean;
  /** log of the sum of the dictionary's frequencies. */
  logTotal: number;
  /** Longest word in characters. */
  maxWordLength: number;
  /** Characters jieba's HMM keeps alone (function words such as 的, 不: the stop words). */
  singles: ReadonlySet<string>;
}

/** jieba treats a line break as a boundary; the tokenizer joins runs with it. */
const BOUNDARY = '\n';

export function createVocabularySegmenter(name: SegmenterName, version: string, vocabulary: SegmenterVocabulary): Segmenter {
  const cutRun = (run: string): string[] => {
    const chars = [...run];
    const n = chars.length;
    const route = new Float64Array(n + 1);
    const next = new Int32Array(n + 1);
    for (let i = n - 1; i >= 0; i--) {
      let best = -Infinity;
      let bestEnd = i + 1;
      let word = '';
      for (let j = i; j < n && j - i < vocabulary.maxWordLength; j++) {
        word += chars[j];
        const freq = vocabulary.frequency(word);
        // A single character is always a candidate; longer candidates must be dictionary words.
        if (j > i && !(freq && freq > 0)) continue;
        const value = Math.log(freq && freq > 0 ? freq : 1) - vocabulary.logTotal + route[j + 1]!;
        if (value >= best) {
          best = value;
          bestEnd = j + 1;
        }
        if (!vocabulary.extends(word)) break;
      }
      route[i] = best;
      next[i] = bestEnd;
    }
    const words: string[] = [];
    let single: string[] = [];
    const flush = () => {
      if (single.length === 1) words.push(single[0]!);
      else if (single.length > 1) {
        const joined = single.join('');
        if (vocabulary.frequency(joined)) words.push(...single);
        else words.push(...corpusWords(single, vocabulary));
      }
      single = [];
    };
    for (let i = 0; i < n; i = next[i]!) {
      if (next[i] === i + 1) single.push(chars[i]!);
      else {
        flush();
        words.push(chars.slice(i, next[i]).join(''));
      }
    }
    flush();
    return words;
  };

  return {
    name,
    version,
    cut(text) {
      const out: string[] = [];
      text.split(BOUNDARY).forEach((run, index) => {
        if (index > 0) out.push(BOUNDARY);
        if (run !== '') out.push(...cutRun(run));
      });
      return out;
    },
    cutAll(text) {
      const chars = [...text];
      const found: string[] = [];
      for (let i = 0; i < chars.length; i++) {
        let word = chars[i]!;
        for (let j = i + 1; j < chars.length && j - i < vocabulary.maxWordLength; j++) {
          word += chars[j];
          const freq = vocabulary.frequency(word);
          if (freq && freq > 0) found.push(word);
          if (!vocabulary.extends(word)) break;
        }
      }
      return found;
    },
  };
}

/**
 * Single characters joined into the longest words of the corpus that are not dictionary words (what jieba's HMM
 * found). Function words stay alone. Characters left between them are words jieba's HMM would make but no article
 * has: they match nothing, so only their number matters (each is a missing query word); the HMM makes one word of
 * two or three such characters.
 */
function corpusWords(chars: string[], vocabulary: SegmenterVocabulary): string[] {
  const words: string[] = [];
  let unknown: string[] = [];
  const flushUnknown = () => {
    for (let i = 0; i < unknown.length; ) {
      const take = unknown.length - i === 3 ? 3 : Math.min(2, unknown.length - i);
      words.push(unknown.slice(i, i + take).join(''));
      i += take;
    }
    unknown = [];
  };
  let i = 0;
  while (i < chars.length) {
    let end = i + 1;
    let word = chars[i]!;
    for (let j = i + 1; j < chars.length && j - i < vocabulary.maxWordLength; j++) {
      word += chars[j];
      if (vocabulary.frequency(word) === 0) end = j + 1;
      if (!vocabulary.extends(word)) break;
    }
    if (end > i + 1 || vocabulary.singles.has(chars[i]!)) {
      flushUnknown();
      words.push(chars.slice(i, end).join(''));
    } else {
      unknown.push(chars[i]!);
    }
    i = end;
  }
  flushUnknown();
  return words;
}
