/**
 * Per-document keywords: the nouns and names an article is about, by TF-IDF over title + body with idf from the
 * documents being indexed blended with general Chinese, weighted by part of speech, and with the corpus's
 * collocations (加沙 + 地带) counted as one keyword.
 *
 * The same keywords as analysis' topKeywords(counts, docFreq, N, KEYWORDS_PER_DOC, lexicon) where counts include the
 * collocations found here (a test holds them equal on the real corpus), computed on term ids: whether a term can be a
 * keyword and which shorter terms lie inside it are worked out once per term instead of once per document it occurs
 * in, counts live in typed arrays instead of Maps, and only the terms that can reach a document's top are tagged.
 * Every keyword depends on the corpus-wide idf: an incremental build keeps those of the articles its changes cannot
 * rerank (kept-keywords.ts) and works out the others.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  analysisCodeDigest,
  folderCodeDigest,
  generalIdf,
  isKeywordCandidate,
  keywordIdf,
  LATIN_OR_DIGIT,
  nextOccurrence,
  normalizeText,
  occurrencesIn,
  traditionalToSimplifiedTable,
  type KeywordLexicon,
} from '../analysis/index.js';
import {
  CollocationMatcher,
  collocationTerm,
  wordSequence,
  writtenCollocations,
  type Collocation,
  type FieldTerms,
  type FrequentPair,
  type PairSource,
} from './collocations.js';
import type { DocumentList } from './forward.js';
import { grown } from '../analysis/index.js';
import { NumberSpill } from './text-spill.js';
import { titleRoleWords, withoutKeywords } from './title-roles.js';
import type { NewWord, StoredArticle } from './types.js';

/** Keywords kept per document. */
export const KEYWORDS_PER_DOC = 10;

/**
 * The keywords an article is about: those it also names in its title, tags or categories (normalised as terms are)
 * and writes in its body beyond a repeat of its title. Counting keywords alone puts the words of a genre on top
 * (int/ans in every code listing, 规定 in every law); a title or a tag says what an article is about. A Latin keyword
 * must stand as a word there (it is not in edit); a Chinese one must not follow a number, with or without 个 (23日起,
 * 5亿元, 75个基点: a date, an amount, a unit). A word only the title has is a label of the title (《新闻联播》要闻15条,
 * 开订 298人民币): the article does not talk about it. Words common in all Chinese writing (全国, 企业, 产品, 会议: general
 * idf below TOPIC_MIN_GENERAL_IDF) are good keywords for ranking, but a reader does not click them.
 */
export function aboutKeywords(
  article: Pick<StoredArticle, 'title' | 'tags' | 'categories' | 'keywords' | 'summary' | 'text'>,
  normalize: (text: string) => string,
): string[] {
  const names = normalize([article.title, ...article.tags, ...article.categories].join('\n'));
  const named = article.keywords.filter((keyword) => !commonInGeneral(keyword) && namedIn(names, keyword));
  if (named.length === 0) return named;
  // The opening paragraph (stored apart, `summary`) names most topics; the body is only read (decompressed, about
  // 0.2 s per 1,000 articles) for a keyword the opening lacks. What the opening has beyond the title, the body has.
  const opening = afterTitle(article.summary, article.title);
  const inOpening = opening === undefined ? () => false : mentionsIn(opening);
  let inBody: ((term: string) => boolean) | undefined;
  return named.filter((keyword) => inOpening(keyword) || (inBody ??= mentionsIn(afterTitle(article.text, article.title) ?? article.text))(keyword));
}

/** How far into the body (in characters) a repeat of the title may start (【title】财联社…电, # title). */
const TITLE_REPEAT_WITHIN = 8;

/**
 * The text without a repeat of the title at its start (case aside); undefined when nothing but the title is left (a
 * news flash whose title is all it says talks about what its title says: its whole text counts).
 */
function afterTitle(text: string, title: string): string | undefined {
  const wanted = title.trim().toLowerCase();
  if (wanted === '') return text;
  const at = text.slice(0, TITLE_REPEAT_WITHIN + wanted.length).toLowerCase().indexOf(wanted);
  if (at < 0 || at > TITLE_REPEAT_WITHIN) return text;
  const rest = text.slice(0, at) + text.slice(at + wanted.length);
  return HAS_LETTER.test(rest) ? rest : undefined;
}

const HAS_LETTER = /\p{L}/u;

/**
 * jieba's idf of a word found in about 1 general Chinese document in 1,100 (e^7): 游戏 (7.2), 伊朗 (7.6) and 条例 (7.4)
 * are above it; 记录 (6.5), 总统 (6.2), 同比 (5.4), 会议 (5.0), 全国 (4.8), 企业 (4.2), 中国 (3.0) below.
 */
export const TOPIC_MIN_GENERAL_IDF = 7;

const HAN = /\p{Script=Han}/u;

function commonInGeneral(keyword: string): boolean {
  return HAN.test(keyword) && generalIdf(keyword) < TOPIC_MIN_GENERAL_IDF;
}

function namedIn(names: string, keyword: string): boolean {
  const latinStart = LATIN_OR_DIGIT.test(keyword[0] ?? '');
  const latinEnd = LATIN_OR_DIGIT.test(keyword[keyword.length - 1] ?? '');
  for (let at = names.indexOf(keyword); at >= 0; at = names.indexOf(keyword, at + 1)) {
    const before = names[at - 1] ?? ' ';
    const after = names[at + keyword.length] ?? ' ';
    const glued = latinStart ? LATIN_OR_DIGIT.test(before) : afterCount(names, at);
    if (!glued && (!latinEnd || !LATIN_OR_DIGIT.test(after))) return true;
  }
  return false;
}

const DIGIT = /\p{N}/u;

/** Whether text[at] follows a number, with or without the classifier 个. */
function afterCount(text: string, at: number): boolean {
  const before = text[at - 1] === '个' ? at - 2 : at - 1;
  return DIGIT.test(text[before] ?? '');
}

/**
 * Candidates per document ranked before their part of speech is known (as if every one were a noun): only these are
 * tagged. A document whose top turns out to reach below them is ranked again with all its candidates tagged.
 */
const TAGGED_PER_DOC = 4 * KEYWORDS_PER_DOC;
/** Terms per tagger call. */
const TAG_BATCH = 20_000;

/** One keyword: what is shown (加沙地带) and the ids of the index terms it stands for, in order (加沙, 地带). */
export interface Keyword {
  term: string;
  parts: number[];
  /** What its score is made of besides its idf: its count in the document (boilerplate aside) and its weight. */
  count: number;
  weight: number;
}

/**
 * The keywords a previous build ranked for the documents of this one, for an incremental build (kept-keywords.ts):
 * a document marked in `keep` has them again (re-sorted by their idf now) unless a candidate whose idf `moved` may have
 * changed places with one of them.
 */
export interface PreviousKeywords {
  keep: Uint8Array;
  /** Per term (collocations numbered after the dictionary): +1 where its idf fell, −1 where it rose, else 0. */
  moved: Int8Array;
  /** A document's keywords as ranked then, best first (ids as here); undefined when they are not known. */
  keywords(doc: number): readonly { id: number; count: number; weight: number }[] | undefined;
}

export interface CorpusKeywords {
  /** The collocations that can be keywords (their head word is a noun or a name), most frequent first. */
  newWords: NewWord[];
}

/** Above any term id (ids index typed arrays); long words are sorted by (length, id) packed in one number. */
const ID_LIMIT = 2 ** 32;
const MAX_SORTED_CHARS = 1 << 16;

/** What ranking keywords needs before the collocations are known (keywordSetup). */
export interface KeywordSetup {
  /** Each term's length in code points. */
  charCounts: Int32Array;
  /** The general lexicon without the words the titles use around names (titleRoleWords). */
  lexicon: KeywordLexicon;
}

/**
 * What articleKeywords needs that the frequent pairs do not change: worked out (~1 s at scale) while another thread
 * counts those pairs, instead of after them. The general idf table, read on first use, is read here too.
 */
export function keywordSetup(docs: DocumentList<readonly FieldTerms[]>, termStrings: readonly string[], generalLexicon: KeywordLexicon): KeywordSetup {
  // Length in code points, read at every position of every word sequence.
  const charCounts = Int32Array.from(termStrings, codePoints);
  // What the titles show a word to be (a verb, a title, half a name) overrides the dictionary's noun.
  const lexicon = withoutKeywords(generalLexicon, titleRoleWords(titleWords(docs, termStrings, (id) => charCounts[id]), generalLexicon));
  // Its first lookup reads the general idf table (~0.15 CPU s): here rather than once the pairs are in.
  lexicon.backgroundIdf(termStrings[0] ?? '');
  return { charCounts, lexicon };
}

/**
 * How many documents have each term (ids below `dictionarySize`) in one of their fields (title or body): the document
 * frequencies of articleKeywords' idf but the collocations', counted on the counting thread while the main thread works
 * out the boilerplate (counting-thread.ts).
 */
export function termDocFreqs(docs: DocumentList<readonly FieldTerms[]>, dictionarySize: number): Uint32Array {
  const docFreq = new Uint32Array(dictionarySize);
  // Which document last counted a term: a term in both fields counts once.
  const lastDoc = new Int32Array(dictionarySize).fill(-1);
  for (let doc = 0; doc < docs.count; doc++) {
    for (const { termIds } of docs.at(doc)) {
      for (let i = 0; i < termIds.length; i++) {
        const id = termIds[i];
        if (lastDoc[id] === doc) continue;
        lastDoc[id] = doc;
        docFreq[id]++;
      }
    }
  }
  return docFreq;
}

/** The collocations that count as keywords, and where each document has them (keywordCollocations). */
export interface KeywordCollocations {
  collocations: Collocation[];
  /** Each collocation's term (加沙地带). */
  extraTerms: string[];
  occurrences: Occurrences;
}

/**
 * The collocations among the frequent pairs of words of the documents' title and body fields (frequentPairs of
 * pairSource) that count as keywords, and where they occur: what articleKeywords needs of the pairs, worked out while
 * the counting thread still counts the documents' terms (termDocFreqs). `textOf(doc)`: a document's text as written
 * (title and body).
 */
export function keywordCollocations(
  docs: DocumentList<readonly FieldTerms[]>,
  textOf: (doc: number) => string,
  termStrings: readonly string[],
  termIds: ReadonlyMap<string, number>,
  { charCounts, lexicon }: KeywordSetup,
  pairs: readonly FrequentPair[],
): KeywordCollocations {
  const dictionarySize = termStrings.length;
  // Collocations that can be keywords (a noun or a name at their head; 数据显示 would only take 数据 away) and that the
  // segmenter never makes one word (then they are no new word) count as terms of their own, numbered after the
  // dictionary's.
  const found = writtenCollocations(pairs, { term: (id) => termStrings[id], written: writtenIn(textOf) }).filter(({ first, second }) => !termIds.has(collocationTerm(termStrings[first], termStrings[second])));
  const foundWeights = lexicon.keywordWeights(found.map(({ first, second }) => collocationTerm(termStrings[first], termStrings[second])));
  const collocations = found.filter((_, k) => foundWeights[k] > 0);
  const extraTerms = collocations.map(({ first, second }) => collocationTerm(termStrings[first], termStrings[second]));
  return { collocations, extraTerms, occurrences: collocationsIn(docs, { collocations }, dictionarySize, { charCounts }) };
}

/**
 * Keywords of each document, best first, handed to `use` one document after another (held for all of them, as
 * objects, they were ~85 MB at 3× the scale corpus), given its title and body fields as term ids into `termStrings`,
 * and its boilerplate (boilerplateOf; occurrences there do not count, as in topKeywords), with the `setup`
 * (keywordSetup), the collocations (keywordCollocations) and each term's document frequency (termDocFreqs) of the
 * same documents. What waits from one pass over the documents to the next goes to a scratch file in `scratch.dir`
 * beyond its first keptBytes (NumberSpill). A document whose `previous` keywords still hold is not ranked again.
 */
export function articleKeywords(
  docs: DocumentList<readonly FieldTerms[]>,
  termStrings: readonly string[],
  { charCounts, lexicon }: KeywordSetup,
  { collocations, extraTerms, occurrences }: KeywordCollocations,
  docFreqs: Uint32Array,
  boilerplate: readonly string[],
  use: (doc: number, keywords: Keyword[]) => void,
  scratch: { dir?: string; keptBytes?: number } = {},
  previous?: PreviousKeywords,
): CorpusKeywords {
  const dictionarySize = termStrings.length;
  const docCount = docs.count;
  const size = dictionarySize + extraTerms.length;
  const termOf = (id: number): string => (id < dictionarySize ? termStrings[id] : extraTerms[id - dictionarySize]);
  const partsOf = (id: number): number[] => {
    if (id < dictionarySize) return [id];
    const { first, second } = collocations[id - dictionarySize];
    return [first, second];
  };

  // Whether a term can be a keyword (1) or not (0), found on first use (−1). Read for every term of every document:
  // a typed array, not an object of facts per term.
  const candidates = new Int8Array(size).fill(-1);
  const candidate = (id: number): boolean => (candidates[id] >= 0 ? candidates[id] : (candidates[id] = isKeywordCandidate(termOf(id)) ? 1 : 0)) === 1;
  const chars = new Int32Array(size);
  chars.set(charCounts);
  extraTerms.forEach((term, k) => (chars[dictionarySize + k] = codePoints(term)));
  // Only needed for a word that stands on its own somewhere, and the costliest part (a lookup per substring).
  const inners: (Uint32Array | undefined)[] = new Array(size);
  // Inner terms that are no candidates and too short to have inner terms themselves cannot change any keyword.
  const matters = (id: number): boolean => candidate(id) || chars[id] >= 3;
  let substrings: SubstringTerms | undefined;
  const innerOf = (id: number): Uint32Array => (inners[id] ??= innerTerms(termOf(id), (substrings ??= new SubstringTerms(size, termOf)), matters));

  const docFreq = new Uint32Array(size);
  docFreq.set(docFreqs);
  // A document's collocations are listed once each.
  for (let o = 0; o < occurrences.ids.length; o++) docFreq[occurrences.ids[o]]++;
  const idfs = new Float64Array(size).fill(NaN);
  const idf = (id: number): number => {
    if (Number.isNaN(idfs[id])) idfs[id] = keywordIdf(docFreq[id], docCount, lexicon.backgroundIdf(termOf(id)));
    return idfs[id];
  };

  const weights = new Float64Array(size).fill(NaN);
  const tagAll = (ids: Iterable<number>): void => {
    const untagged = [...new Set(ids)].filter((id) => Number.isNaN(weights[id]));
    for (let from = 0; from < untagged.length; from += TAG_BATCH) {
      const batch = untagged.slice(from, from + TAG_BATCH);
      lexicon.keywordWeights(batch.map(termOf)).forEach((weight, i) => (weights[batch[i]] = weight));
    }
  };

  const own = new Float64Array(size);
  // Which count a term's own count belongs to (a document may be counted twice: see below): reset lazily.
  const stamps = new Int32Array(size).fill(-1);
  let stamp = -1;
  /** A document's long words as sort keys (see below), reused from document to document. */
  let longKeys = new Float64Array(1 << 10);
  /** Each term's count as a word of its own in the document; returns the terms it has. */
  const ownCounts = (doc: number): number[] => {
    const touched: number[] = [];
    stamp++;
    const add = (id: number, count: number): void => {
      if (stamps[id] !== stamp) {
        stamps[id] = stamp;
        own[id] = 0;
        touched.push(id);
      }
      own[id] += count;
    };
    for (const { termIds: ids, freqs } of docs.at(doc)) for (let i = 0; i < ids.length; i++) add(ids[i], freqs[i]);
    for (let o = occurrences.start[doc]; o < occurrences.start[doc + 1]; o++) add(occurrences.ids[o], occurrences.counts[o]);
    // Longest first: a word's own count is final once every longer word containing it has been subtracted.
    // Sorted as numbers (fewer characters, larger key; equal lengths cannot contain each other, so any order).
    let longCount = 0;
    for (const id of touched) {
      if (chars[id] < 3) continue;
      if (longCount === longKeys.length) longKeys = grown(longKeys, 2 * longCount);
      longKeys[longCount++] = (MAX_SORTED_CHARS - Math.min(chars[id], MAX_SORTED_CHARS)) * ID_LIMIT + id;
    }
    for (const key of longKeys.subarray(0, longCount).sort()) {
      const id = key % ID_LIMIT;
      const count = own[id];
      if (count <= 0) continue;
      for (const inner of innerOf(id)) if (stamps[inner] === stamp) own[inner] -= count;
    }
    return touched;
  };
  /**
   * Which UTF-16 units the document's boilerplate has (set while its candidates are scored): a candidate starting with
   * none of them is not written there. Looking each candidate up in the text took ~0.6 s of profile samples at scale.
   */
  const inNoise = new Uint8Array(0x10000);
  /** own count (boilerplate aside) × idf of each candidate of the document, before its part of speech counts. */
  const rawScores = (doc: number): { ids: number[]; counts: number[]; scores: number[] } => {
    const ids: number[] = [];
    const counts: number[] = [];
    const scores: number[] = [];
    const noise = boilerplate[doc] ?? '';
    for (let i = 0; i < noise.length; i++) inNoise[noise.charCodeAt(i)] = 1;
    for (const id of ownCounts(doc)) {
      let count = own[id];
      if (count > 0 && candidate(id) && weights[id] !== 0) {
        const term = termOf(id);
        if (inNoise[term.charCodeAt(0)] === 1) count -= occurrencesIn(noise, term);
        if (count <= 0) continue;
        ids.push(id);
        counts.push(count);
        scores.push(count * idf(id));
      }
    }
    for (let i = 0; i < noise.length; i++) inNoise[noise.charCodeAt(i)] = 0;
    return { ids, counts, scores };
  };

  /** Each term's count in the title and body of the document being looked at (stillRanked), reset after it. */
  const fieldCounts = new Float64Array(size);
  /**
   * The document's previous keywords ranked by their scores with the idf now, when no other candidate can have come
   * to rank among them: every candidate but a keyword scored below the lowest keyword before (it was not one),
   * and only one whose idf rose (moved −1) can score more now; its score is at most its count in the fields (inner
   * words and boilerplate only take from that) × its idf × its weight. When a keyword's idf fell, one that is not may
   * now rank above it: the document is ranked again. Fewer than KEYWORDS_PER_DOC keywords were every candidate with a
   * weight and a count: whatever idf now, none other ranks. undefined: the document is to be ranked again.
   */
  const stillRanked = (doc: number): Keyword[] | undefined => {
    const before = previous!.keywords(doc);
    if (before === undefined) return undefined;
    const { moved } = previous!;
    const best = new TopTerms(KEYWORDS_PER_DOC, termOf);
    let lowest = Infinity;
    before.forEach(({ id, count, weight }, k) => {
      const score = count * idf(id) * weight;
      best.offer(id, score, k);
      lowest = Math.min(lowest, score);
    });
    const ranked = (): Keyword[] => best.entries().map(({ id, extra }) => ({ term: termOf(id), parts: partsOf(id), count: before[extra].count, weight: before[extra].weight }));
    if (before.length < KEYWORDS_PER_DOC) return ranked();
    if (before.some(({ id }) => moved[id] > 0)) return undefined;
    const risen: number[] = [];
    const count = (id: number, times: number): void => {
      if (moved[id] >= 0) return;
      if (fieldCounts[id] === 0) risen.push(id);
      fieldCounts[id] += times;
    };
    for (const { termIds, freqs } of docs.at(doc)) for (let i = 0; i < termIds.length; i++) count(termIds[i], freqs[i]);
    for (let o = occurrences.start[doc]; o < occurrences.start[doc + 1]; o++) count(occurrences.ids[o], occurrences.counts[o]);
    let overtaken = false;
    for (const id of risen) {
      if (!before.some((keyword) => keyword.id === id) && candidate(id)) {
        tagAll([id]);
        if (weights[id] > 0 && fieldCounts[id] * idf(id) * weights[id] >= lowest) overtaken = true;
      }
      fieldCounts[id] = 0;
    }
    return overtaken ? undefined : ranked();
  };

  // First pass: each document's best candidates as if all were nouns (an upper bound: weights are at most 1), all
  // documents' one after another (for document d, entries shortlistStart[d]..shortlistStart[d+1], each its id and
  // count); a candidate keeps its whole-number count, its score being count × idf again. ~39 entries a post (~313
  // bytes) wait for the second pass in `scratch`'s file beyond its first keptBytes.
  const shortlistStart = new Uint32Array(docCount + 1);
  const shortlist = new NumberSpill(scratch.dir, scratch.keptBytes);
  try {
    /** The lowest score on a full shortlist (no candidate left out scores above it); −∞ when nothing was left out. */
    const cutoff = new Float64Array(docCount);
    /** Documents whose previous keywords were handed to `use`. */
    const unchanged = new Uint8Array(docCount);
    for (let doc = 0; doc < docCount; doc++) {
      const same = previous?.keep[doc] === 1 ? stillRanked(doc) : undefined;
      if (same) {
        use(doc, same);
        unchanged[doc] = 1;
        shortlistStart[doc + 1] = shortlist.length / 2;
        continue;
      }
      const { ids, counts, scores } = rawScores(doc);
      const best = new TopTerms(TAGGED_PER_DOC, termOf);
      ids.forEach((id, i) => best.offer(id, Number.isNaN(weights[id]) ? scores[i] : scores[i] * weights[id], counts[i]));
      const kept = best.entries();
      for (const { id, extra } of kept) {
        shortlist.push(id);
        shortlist.push(extra);
      }
      shortlistStart[doc + 1] = shortlist.length / 2;
      cutoff[doc] = ids.length > TAGGED_PER_DOC ? kept[kept.length - 1].score : -Infinity;
    }
    tagAll(evenOf(shortlist));

    for (let doc = 0; doc < docCount; doc++) {
      if (unchanged[doc] === 1) continue;
      let best = new TopTerms(KEYWORDS_PER_DOC, termOf);
      for (let i = shortlistStart[doc]; i < shortlistStart[doc + 1]; i++) {
        const id = shortlist.at(2 * i);
        if (weights[id] > 0) best.offer(id, shortlist.at(2 * i + 1) * idf(id) * weights[id], shortlist.at(2 * i + 1));
      }
      let entries = best.entries();
      const lowest = entries.length === KEYWORDS_PER_DOC ? entries[entries.length - 1].score : -Infinity;
      if (cutoff[doc] !== -Infinity && !(lowest > cutoff[doc])) {
        // A candidate beyond the shortlist may still rank: rank them all, tagged.
        const { ids, counts, scores } = rawScores(doc);
        tagAll(ids);
        best = new TopTerms(KEYWORDS_PER_DOC, termOf);
        ids.forEach((id, i) => {
          if (weights[id] > 0) best.offer(id, scores[i] * weights[id], counts[i]);
        });
        entries = best.entries();
      }
      use(doc, entries.map(({ id, extra: count }) => ({ term: termOf(id), parts: partsOf(id), count, weight: weights[id] })));
    }
  } finally {
    shortlist.close();
  }

  const newWords = collocations.map(({ count, docs: docCount }, k) => ({ word: extraTerms[k], parts: partsOf(dictionarySize + k).map((part) => termStrings[part]), count, docs: docCount }));
  return { newWords };
}

/** The numbers at even positions of `list` (the shortlist's ids). */
function* evenOf(list: NumberSpill): Generator<number> {
  for (let i = 0; i < list.length; i += 2) yield list.at(i);
}

/** What frequentPairs counts in documents' fields (title and body) of terms `termStrings`: keyword candidates. */
export function pairSource(
  docs: DocumentList<readonly FieldTerms[]>,
  termStrings: readonly string[],
  // Read at every position of every word sequence (KeywordSetup.charCounts where the builder has it).
  charCounts: Int32Array = Int32Array.from(termStrings, codePoints),
): PairSource {
  return {
    docs,
    dictionarySize: termStrings.length,
    candidate: (id) => isKeywordCandidate(termStrings[id]),
    chars: (id) => charCounts[id],
  };
}

/** Each document's title (its first field) as the word at each position, undefined where there is none. */
function* titleWords(docs: DocumentList<readonly FieldTerms[]>, termStrings: readonly string[], chars: (id: number) => number): Generator<(string | undefined)[]> {
  for (let doc = 0; doc < docs.count; doc++) {
    const fields = docs.at(doc);
    if (fields.length === 0) continue;
    yield Array.from(wordSequence(fields[0], chars), (id) => (id < 0 ? undefined : termStrings[id]));
  }
}

/** Whether a document's text has a term written out (normalised as terms are); remembers the last text looked at. */
function writtenIn(textOf: (doc: number) => string): (doc: number, term: string) => boolean {
  let lastDoc = -1;
  let mentions: (term: string) => boolean = () => false;
  return (doc, term) => {
    if (doc !== lastDoc) {
      lastDoc = doc;
      mentions = mentionsIn(textOf(doc));
    }
    return mentions(term);
  };
}

/** Whether `text` has a term written out (normalised as terms are; a Latin term as a word of its own). */
function mentionsIn(text: string): (term: string) => boolean {
  const lower = text.toLowerCase();
  let normalized: string | undefined;
  // Most text needs no normalising beyond case; only a miss pays for the full one (width, Traditional → Simplified).
  return (term) => nextOccurrence(lower, term) >= 0 || nextOccurrence((normalized ??= normalizeText(lower, traditionalToSimplifiedTable())), term) >= 0;
}

/** Where each document's collocations occur: for document d, entries start[d]..start[d+1] of ids and counts. */
export interface Occurrences {
  start: Uint32Array;
  ids: Uint32Array;
  counts: Uint32Array;
}

function collocationOccurrences(
  docs: DocumentList<readonly FieldTerms[]>,
  collocations: readonly Collocation[],
  collocationIds: readonly number[],
  dictionarySize: number,
  chars: (id: number) => number,
): Occurrences {
  const start = new Uint32Array(docs.count + 1);
  // Grown as needed: arrays of numbers took ~4× the bytes.
  let ids = new Uint32Array(1 << 10);
  let counts = new Uint32Array(1 << 10);
  let end = 0;
  if (collocations.length > 0) {
    const matcher = new CollocationMatcher(collocations, dictionarySize);
    // A document's count of each collocation, and those it has in the order first met: no Map per document.
    const perDoc = new Uint32Array(collocations.length);
    const met: number[] = [];
    const count = (k: number): void => {
      if (perDoc[k]++ === 0) met.push(k);
    };
    let buffer = new Int32Array(1024);
    for (let doc = 0; doc < docs.count; doc++) {
      for (const field of docs.at(doc)) {
        if (field.length > buffer.length) buffer = new Int32Array(field.length * 2);
        matcher.match(wordSequence(field, chars, buffer), count);
      }
      if (end + met.length > ids.length) [ids, counts] = [grown(ids, 2 * (end + met.length)), grown(counts, 2 * (end + met.length))];
      for (const k of met) {
        ids[end] = collocationIds[k];
        counts[end++] = perDoc[k];
        perDoc[k] = 0;
      }
      met.length = 0;
      start[doc + 1] = end;
    }
  }
  return { start, ids: ids.slice(0, end), counts: counts.slice(0, end) };
}

/**
 * The collocations (ids as articleKeywords numbers them: after the `dictionarySize` terms) that stand in each of
 * `docs`, as keywordCollocations finds them in the documents of a build.
 */
export function collocationsIn(
  docs: DocumentList<readonly FieldTerms[]>,
  { collocations }: Pick<KeywordCollocations, 'collocations'>,
  dictionarySize: number,
  { charCounts }: Pick<KeywordSetup, 'charCounts'>,
): Occurrences {
  const collocationIds = collocations.map((_, k) => dictionarySize + k);
  return collocationOccurrences(docs, collocations, collocationIds, dictionarySize, (id) => charCounts[id]);
}

/**
 * What a document's keywords are worked out by, beyond its own words and the corpus's counts: the code of this stage
 * (its functions, the tables and helpers they call, boilerplate) and of the analysis, and the tagger's package. A
 * generation whose keywords were ranked by other code (summaries.ts records this) has none the next build may keep.
 */
export function keywordRules(): string {
  return (indexRules ??= `${folderCodeDigest(path.dirname(fileURLToPath(import.meta.url)))} ${analysisCodeDigest()}`);
}

let indexRules: string | undefined;

function codePoints(term: string): number {
  let chars = 0;
  for (let i = 0; i < term.length; chars++) i += term.codePointAt(i)! > 0xffff ? 2 : 1;
  return chars;
}

/**
 * Ids of the shorter terms inside `term` that `matter`, once per place they occur (see ownWordCounts in analysis):
 * a count of the term as a word of its own was also emitted once per place as a sub-word (or, for a collocation, as
 * its words). Single characters are never keywords and contain nothing, so they are not even looked up.
 */
function innerTerms(term: string, terms: SubstringTerms, matters: (id: number) => boolean): Uint32Array {
  const bounds = [0];
  for (let i = 0; i < term.length; ) {
    i += term.codePointAt(i)! > 0xffff ? 2 : 1;
    bounds.push(i);
  }
  const chars = bounds.length - 1;
  const inner: number[] = [];
  for (let start = 0; start < chars; start++) {
    let hash = SubstringTerms.EMPTY;
    let unit = bounds[start];
    for (let end = start + 1; end <= chars; end++) {
      for (; unit < bounds[end]; unit++) hash = SubstringTerms.extend(hash, term.charCodeAt(unit));
      if (end - start < 2 || end - start === chars) continue;
      const id = terms.find(term, bounds[start], unit, hash);
      if (id >= 0 && matters(id)) inner.push(id);
    }
  }
  return Uint32Array.from(inner);
}

/**
 * The terms (ids below `count`) found by their text as a substring of another, without making a string of each
 * substring: their hash over UTF-16 units grows a unit at a time (a substring's from that of the one a unit shorter)
 * and a term is compared only where its hash matches. A slice and a Map lookup per substring (2.5 million of them at
 * scale, most of them in long Latin identifiers) were the costliest part of keywords.
 */
class SubstringTerms {
  static readonly EMPTY = 0x811c9dc5 | 0;
  /** Term id + 1 per slot, 0 where none (open addressing). */
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly mask: number;

  constructor(
    count: number,
    private readonly termOf: (id: number) => string,
  ) {
    let size = 1 << 10;
    while (size < count * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size);
    this.mask = size - 1;
    for (let id = 0; id < count; id++) {
      const term = termOf(id);
      // What is looked up has two characters at least: shorter terms are never found.
      if (term.length < 2) continue;
      let hash = SubstringTerms.EMPTY;
      for (let unit = 0; unit < term.length; unit++) hash = SubstringTerms.extend(hash, term.charCodeAt(unit));
      let slot = spread(hash) & this.mask;
      // Two collocations may be written alike (ab + c, a + bc): the later one is found, as a Map keeps the last value set.
      while (this.slots[slot] !== 0 && !(this.hashes[slot] === hash && termOf(this.slots[slot] - 1) === term)) slot = (slot + 1) & this.mask;
      this.slots[slot] = id + 1;
      this.hashes[slot] = hash;
    }
  }

  /** FNV-1a, one UTF-16 unit at a time. */
  static extend(hash: number, unit: number): number {
    return Math.imul(hash ^ unit, 0x01000193);
  }

  /** The id of the term text.slice(from, to), whose hash is `hash`; −1 when no term is written so. */
  find(text: string, from: number, to: number, hash: number): number {
    for (let slot = spread(hash) & this.mask; this.slots[slot] !== 0; slot = (slot + 1) & this.mask) {
      if (this.hashes[slot] !== hash) continue;
      const id = this.slots[slot] - 1;
      const term = this.termOf(id);
      if (term.length === to - from && text.startsWith(term, from)) return id;
    }
    return -1;
  }
}

function spread(hash: number): number {
  return hash ^ (hash >>> 15);
}

/** The `limit` best terms offered, best first: higher score, then the smaller term (UTF-16 order). */
class TopTerms {
  private readonly ids: Int32Array;
  private readonly scores: Float64Array;
  private readonly extras: Float64Array;
  private size = 0;

  constructor(
    private readonly limit: number,
    private readonly termOf: (id: number) => string,
  ) {
    this.ids = new Int32Array(limit);
    this.scores = new Float64Array(limit);
    this.extras = new Float64Array(limit);
  }

  /** Offers a term with its score and a number carried along (`extra`). */
  offer(id: number, score: number, extra = 0): void {
    if (this.size === this.limit && !this.before(id, score, this.size - 1)) return;
    let i = this.size < this.limit ? this.size++ : this.limit - 1;
    for (; i > 0 && this.before(id, score, i - 1); i--) {
      this.ids[i] = this.ids[i - 1];
      this.scores[i] = this.scores[i - 1];
      this.extras[i] = this.extras[i - 1];
    }
    this.ids[i] = id;
    this.scores[i] = score;
    this.extras[i] = extra;
  }

  entries(): { id: number; score: number; extra: number }[] {
    return Array.from(this.ids.subarray(0, this.size), (id, i) => ({ id, score: this.scores[i], extra: this.extras[i] }));
  }

  /** Whether (id, score) ranks before the entry at `slot`. */
  private before(id: number, score: number, slot: number): boolean {
    const other = this.scores[slot];
    return score > other || (score === other && this.termOf(id) < this.termOf(this.ids[slot]));
  }
}
