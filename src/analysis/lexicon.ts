/**
 * What general Chinese says about a word, for keywords: its part of speech from @node-rs/jieba's tagger (with the
 * built-in and the user dictionary) and its idf in general writing (the idf table @node-rs/jieba ships, the one
 * jieba's own TF-IDF keyword extraction uses). Whichever segmenter built the index, the tags come from this one
 * tagger, so keywords do not depend on the segmenter's tagging quirks.
 */
import { Jieba } from '@node-rs/jieba';
import { dict, idf as idfTable } from '@node-rs/jieba/dict.js';
import { effectiveUserDictPath } from './identity.js';
import { idfOf, readIdfTable, type IdfTable } from './idfTable.js';
import { keywordWeightOf, type TaggedPiece } from './partOfSpeech.js';
import type { AnalyzerOptions } from './types.js';
import { readUserDictionary } from './userDictionary.js';

export interface Lexicon {
  /** The words the tagger cuts each term into, with their tags (one tagger call for all terms). */
  tag(terms: readonly string[]): TaggedPiece[][];
  /** Weight (0–1) of each term as a keyword by its part of speech (see keywordWeightOf). */
  keywordWeights(terms: readonly string[]): Float64Array;
  /** idf of a word in general Chinese writing; the table's median for a word it does not list (as jieba does). */
  backgroundIdf(term: string): number;
}

const HAS_HAN = /\p{Script=Han}/u;

/** Lexicons by user dictionary text: a tagger loads its dictionary in ~0.3 s, so once per process. */
const lexicons = new Map<string, Lexicon>();

/** The lexicon going with an analyzer's options (the same user dictionary rule as createAnalyzer). */
export function createLexicon(options: Pick<AnalyzerOptions, 'userDictPath'> = {}): Lexicon {
  const userDictPath = effectiveUserDictPath(options);
  const userDictText = userDictPath === undefined ? '' : readUserDictionary(userDictPath).jiebaText;
  let lexicon = lexicons.get(userDictText);
  if (!lexicon) {
    lexicon = lexiconWith(userDictText);
    lexicons.set(userDictText, lexicon);
  }
  return lexicon;
}

function lexiconWith(userDictText: string): Lexicon {
  let tagger: Jieba | undefined;
  const taggerOf = (): Jieba => {
    if (!tagger) {
      tagger = Jieba.withDict(dict);
      if (userDictText !== '') tagger.loadDict(Buffer.from(userDictText, 'utf8'));
    }
    return tagger;
  };

  function tag(terms: readonly string[]): TaggedPiece[][] {
    const result: TaggedPiece[][] = terms.map((term) => (HAS_HAN.test(term) ? [] : [{ word: term, tag: 'eng' }]));
    const han = terms.flatMap((term, i) => (HAS_HAN.test(term) ? [i] : []));
    if (han.length === 0) return result;
    // Lines are tagged independently (jieba splits its input at every character outside words), so one call serves
    // all terms; the newline pieces mark where each term ends.
    const pieces = taggerOf().tag(han.map((i) => terms[i].replace(/\n/g, ' ')).join('\n'), true);
    let next = 0;
    for (const piece of pieces) {
      if (piece.word === '\n') next++;
      else if (next < han.length) result[han[next]].push({ word: piece.word, tag: piece.tag });
    }
    return result;
  }

  /**
   * A word kept whole that starts with a time word and goes on with no noun (去年 + 同期/b, 上周 + 末) is a time
   * phrase, whatever the dictionary calls it (去年同期/n): it says when, not what. 今日 + 头条/n stays a name.
   */
  function keywordWeights(terms: readonly string[]): Float64Array {
    const tagged = tag(terms);
    const weights = Float64Array.from(tagged, keywordWeightOf);
    const phrases: { i: number; rest: string }[] = [];
    tagged.forEach((pieces, i) => {
      if (weights[i] === 0 || pieces.length !== 1) return;
      const rest = afterTimeWord(terms[i]);
      if (rest !== undefined) phrases.push({ i, rest });
    });
    if (phrases.length === 0) return weights;
    const rests = tag(phrases.map((phrase) => phrase.rest));
    phrases.forEach(({ i }, k) => {
      if (keywordWeightOf(rests[k]) === 0) weights[i] = 0;
    });
    return weights;
  }

  return { tag, keywordWeights, backgroundIdf: generalIdf };
}

let timeWords: Set<string> | undefined;

/** What follows the longest time word (tagged t or tg in jieba's dictionary) `term` starts with, if any. */
function afterTimeWord(term: string): string | undefined {
  if (term.length < 3 || !HAS_HAN.test(term[0])) return undefined;
  timeWords ??= dictionaryWords(/^tg?$/);
  for (let end = term.length - 1; end >= 2; end--) if (timeWords.has(term.slice(0, end))) return term.slice(end);
  return undefined;
}

/**
 * The words of jieba's dictionary (`word count tag` a line) whose tag matches. Only the tag is cut out of each of its
 * 350,000 lines, and the word only when it is kept: splitting every line into fields took 0.2 s of CPU per build.
 */
function dictionaryWords(tagPattern: RegExp): Set<string> {
  const words = new Set<string>();
  const text = new TextDecoder().decode(dict);
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    const first = line.indexOf(' ');
    const second = first < 0 ? -1 : line.indexOf(' ', first + 1);
    if (second < 0) continue;
    const third = line.indexOf(' ', second + 1);
    if (tagPattern.test(line.slice(second + 1, third < 0 ? line.length : third))) words.add(line.slice(0, first));
  }
  return words;
}

let background: IdfTable | undefined;

/** idf of a word in general Chinese writing (jieba's table); the table's median for a word it does not list. */
export function generalIdf(term: string): number {
  background ??= readIdfTable(Buffer.from(idfTable.buffer, idfTable.byteOffset, idfTable.byteLength));
  return idfOf(background, term) ?? background.median;
}
