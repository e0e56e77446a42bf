/**
 * Pre-tokeniser: splits normalised text into runs that are segmented differently.
 *
 * - `han`: Chinese characters, given to jieba.
 * - `word`: letters, digits and marks of every other script (Latin, Cyrillic, Greek, Tamil, Japanese kana,
 *   Hangul), kept whole: `kubernetes`, `iphone14`, `5g`. Inside a word, `- . _ ' ’ &` join when letters or
 *   digits stand on both sides (`covid-19`, `v1.2.3`, `node.js`), and a letter may be followed by `+`, `++` or
 *   `#` (`c++`, `c#`, `a+`).
 * Everything else (spaces, punctuation, symbols, emoji) separates runs and produces nothing.
 */

import { grown } from './typedArrays.js';

export type ScriptRunKind = 'han' | 'word';

export interface ScriptRun {
  kind: ScriptRunKind;
  /** UTF-16 offsets into the normalised text. */
  start: number;
  end: number;
}

const HAN = /\p{Script=Han}/u;
const WORD_START = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;
const LETTER = /\p{L}/u;
const JOINERS = new Set(['-', '.', '_', "'", '’', '&']);

/** `mark`: a combining mark, part of a word only after a letter or digit (alone, e.g. after 字, it separates). */
type CharClass = 'han' | 'word' | 'mark' | 'other';

function classify(text: string, i: number): CharClass {
  const code = text.charCodeAt(i);
  if (code < 0x80) {
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90)) return 'word';
    return 'other';
  }
  if (code >= 0x4e00 && code <= 0x9fff) return 'han';
  if (code >= 0xd800 && code <= 0xdfff) return classifyChar(String.fromCodePoint(text.codePointAt(i)!));
  // Chinese text is full of CJK punctuation (，。、“”): its class is worked out once per unit, not by three regexes each time.
  let known = bmpClasses[code]!;
  if (known === 0) bmpClasses[code] = known = CLASSES.indexOf(classifyChar(String.fromCharCode(code))) + 1;
  return CLASSES[known - 1]!;
}

/** Per BMP unit outside surrogates: 0 not yet known, else 1 + its index in CLASSES. */
const CLASSES: readonly CharClass[] = ['han', 'word', 'mark', 'other'];
const bmpClasses = new Uint8Array(0x10000);

function classifyChar(char: string): CharClass {
  if (HAN.test(char)) return 'han';
  if (WORD_START.test(char)) return 'word';
  return MARK.test(char) ? 'mark' : 'other';
}

function isWordContinuation(kind: CharClass): boolean {
  return kind === 'word' || kind === 'mark';
}

function codePointLength(text: string, i: number): number {
  return text.codePointAt(i)! > 0xffff ? 2 : 1;
}

/**
 * A text's runs as numbers, in buffers kept from text to text (the tokenizer's runs took an object each): run r is
 * kinds[r] (HAN_RUN or WORD_RUN; the tokenizer marks letter words LETTER_RUN) over [starts[r], ends[r]).
 */
export class ScriptRunList {
  count = 0;
  kinds = new Uint8Array(256);
  starts = new Int32Array(256);
  ends = new Int32Array(256);
}

export const HAN_RUN = 0;
export const WORD_RUN = 1;
export const LETTER_RUN = 2;

export function splitScriptRuns(text: string): ScriptRun[] {
  const list = scriptRunsOf(text, new ScriptRunList());
  return Array.from({ length: list.count }, (_, r) => ({ kind: list.kinds[r] === HAN_RUN ? 'han' : 'word', start: list.starts[r]!, end: list.ends[r]! }));
}

/** Writes the runs of `text` to `list` (its buffers grown as needed); `list`. */
export function scriptRunsOf(text: string, list: ScriptRunList): ScriptRunList {
  list.count = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const kind = classify(text, i);
    if (kind === 'other' || kind === 'mark') {
      i += codePointLength(text, i);
      continue;
    }
    const start = i;
    i += codePointLength(text, i);
    if (kind === 'han') {
      i = hanRunEnd(text, i);
    } else {
      i = wordRunEnd(text, i);
    }
    const r = list.count++;
    if (r === list.kinds.length) {
      list.kinds = grown(list.kinds, 2 * r);
      list.starts = grown(list.starts, 2 * r);
      list.ends = grown(list.ends, 2 * r);
    }
    list.kinds[r] = kind === 'han' ? HAN_RUN : WORD_RUN;
    list.starts[r] = start;
    list.ends[r] = i;
  }
  return list;
}

/** End of the Chinese run whose first character ends at `i`: most of its units are of the main CJK block, told by their range alone. */
function hanRunEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (code >= 0x4e00 && code <= 0x9fff) i++;
    else if (classify(text, i) === 'han') i += codePointLength(text, i);
    else break;
  }
  return i;
}

/** End of the word run whose first character ends at `i`. */
function wordRunEnd(text: string, i: number): number {
  const n = text.length;
  for (;;) {
    while (i < n && isWordContinuation(classify(text, i))) i += codePointLength(text, i);
    if (i + 1 < n && JOINERS.has(text[i]!) && classify(text, i + 1) === 'word') {
      i += 1;
      continue;
    }
    break;
  }
  // Most words are followed by neither + nor #: no look at their last letter then.
  const next = text.charCodeAt(i);
  if (next !== 0x2b && next !== 0x23) return i;
  const last = String.fromCodePoint(text.codePointAt(i - 1 - (isLowSurrogate(text, i - 1) ? 1 : 0))!);
  if (LETTER.test(last)) {
    const suffix = /^(\+\+|\+|#)/.exec(text.slice(i, i + 2));
    if (suffix) {
      const after = i + suffix[0].length;
      if (after >= n || !isWordContinuation(classify(text, after))) return after;
    }
  }
  return i;
}

function isLowSurrogate(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return code >= 0xdc00 && code <= 0xdfff;
}
