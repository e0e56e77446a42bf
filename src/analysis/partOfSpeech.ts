/**
 * What a word is, from jieba's part-of-speech tags (the ICTCLAS tag set jieba's dictionary uses), as far as
 * keywords care: nouns and names are what an article is about; verbs, amounts, measure words, adverbs and
 * adjectives are how it talks about them.
 */

/**
 * Weight of a tag as a keyword. Tags not listed weigh 0 (verbs v/vd/vi/vg, numerals m/mq, measure words q,
 * adverbs d, adjectives a/ad, idioms i/l, time words t, pronouns r, function words, …).
 */
const TAG_WEIGHTS: Readonly<Record<string, number>> = {
  n: 1, // noun
  nr: 1, // person name
  nrfg: 1, // person name (full)
  nrt: 1, // person name (transliterated)
  ns: 1, // place name
  nt: 1, // organisation name
  nz: 1, // other proper noun
  eng: 1, // Latin word
  x: 1, // not in the dictionary: found by the HMM (a new word, a name) — what a collection's own topics often are
  j: 0.5, // abbreviation: 俄军, 央视, but also 同比
  // Half: they name a topic (设计, 困难) as often as an activity or a quality (发展, 管理).
  vn: 0.5, // verbal noun
  an: 0.5, // adjectival noun
  ng: 0.5, // noun morpheme
  s: 0.5, // place word (海外, 国内)
  l: 0.5, // set phrase: 毫米波, 供暖系统, but also 值得一提
};

/** Tags of words a reader would not click as a topic: verbs, numerals, measure words, adverbs, adjectives. */
const GENERIC_TAG = /^(v|vd|vi|vg|vq|m|mq|mg|q|d|df|dg|a|ad|ag)$/;

/** One word of a tagged term. */
export interface TaggedPiece {
  word: string;
  tag: string;
}

/**
 * Weight (0–1) of a term as a keyword from the tagged words it consists of. A term the tagger keeps whole weighs
 * what its tag does; one it splits (加沙/ns + 地带/n, 同比/j + 增长/v, 十二/m + 届/q) is a compound whose last word is
 * its head in Chinese: it weighs what the head does.
 */
export function keywordWeightOf(pieces: readonly TaggedPiece[]): number {
  const head = headOf(pieces);
  return head === undefined ? 0 : (TAG_WEIGHTS[head.tag] ?? 0);
}

/**
 * Whether a term is a generic word rather than a topic (the measure the topic targets use): one character, or tagged
 * as a verb, numeral, measure word, adverb or adjective (a compound by its head).
 */
export function isGenericWord(term: string, pieces: readonly TaggedPiece[]): boolean {
  if ([...term].length <= 1) return true;
  const head = headOf(pieces);
  return head === undefined || GENERIC_TAG.test(head.tag);
}

/** Whether a term is a person's name (nr, nrfg, nrt; a compound by its head). */
export function isPersonName(pieces: readonly TaggedPiece[]): boolean {
  return headOf(pieces)?.tag.startsWith('nr') ?? false;
}

/** The last word of a tagged term, its head in Chinese (spaces aside). */
function headOf(pieces: readonly TaggedPiece[]): TaggedPiece | undefined {
  for (let i = pieces.length - 1; i >= 0; i--) if (pieces[i].word.trim() !== '') return pieces[i];
  return undefined;
}
