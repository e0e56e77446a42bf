/**
 * Abbreviations learned from the corpus itself (俄乌 ↔ 俄罗斯 乌克兰, 医保 ↔ 医疗保险): a two-character word whose
 * characters are the first characters of two adjacent words (or of the two halves of a longer word: 医疗 + 保险),
 * where that pair is frequent and written in the same articles as the short word far more often than chance says
 * (a news report names the full form once, then abbreviates). Found at index time, stored with the index, and used at
 * query time like synonyms.
 */
import { wordSequence, type FieldTerms } from './collocations.js';
import type { DocumentList } from './forward.js';
import { grown } from '../analysis/index.js';
import { PairIndex } from './pair-index.js';
import type { Abbreviation } from './types.js';

export const ABBREVIATION_RULES = {
  /** The full form occurs at least this often … */
  minFormCount: 5,
  /** … in at least this many articles. */
  minFormDocs: 3,
  /** Articles having both the abbreviation and its full form. */
  minSharedDocs: 3,
  /** How many times more often than chance the full form is written in the abbreviation's articles. */
  minLift: 10,
  /** Share of the abbreviation's articles that also write the full form. */
  minShare: 0.1,
  /** Full forms kept per abbreviation (the most shared first). */
  maxForms: 3,
};

/** What counting the full forms needs: the documents' words and the dictionary (no lexicon). */
export interface AbbreviationCounts {
  /** The fields of each document in which words are looked for (title and body). */
  docs: DocumentList<readonly FieldTerms[]>;
  dictionarySize: number;
  term(id: number): string;
  /** Length of a term in characters. */
  chars(id: number): number;
  /** The id of a term, if the dictionary has it. */
  id(term: string): number | undefined;
}

/** What frequentForms counts in documents' fields (title and body) of terms `termStrings`; `id` looks a term up. */
export function formSource(docs: DocumentList<readonly FieldTerms[]>, termStrings: readonly string[], id: (term: string) => number | undefined): AbbreviationCounts {
  return {
    docs,
    dictionarySize: termStrings.length,
    term: (term) => termStrings[term],
    chars: (term) => [...termStrings[term]].length,
    id,
  };
}

/** What choosing among the frequent forms needs. */
export interface FormNaming {
  term(id: number): string;
  /**
   * Whether each word names something (a noun, a name: the keyword weight of the lexicon above 0): a full form is
   * made of such words (停放 车辆 is no full form of 停车, 作为 证据 none of 作证). One call for all words.
   */
  naming(words: readonly string[]): boolean[];
}

const HAN = /^\p{Script=Han}+$/u;
/** Numbers are no abbreviations (一万 for 一百万元, 二人 for 第二条 人民法院). */
const NUMERAL = /[〇零一二三四五六七八九十百千万亿两]/u;

/** A frequent full form: two adjacent words, or one longer word made of two. */
export interface Form {
  abbreviation: number;
  words: string[];
  count: number;
  shared: number;
}

/**
 * The full forms frequent enough, and written with their abbreviation often enough, to be one: the pass over every
 * word of every document (on a thread of its own at a CLI build: counting-thread.ts).
 */
export function frequentForms(source: AbbreviationCounts): Form[] {
  const { docs, dictionarySize, term } = source;
  // Lengths are read once per posting position (wordSequence): computed once per term.
  const lengths = new Int32Array(dictionarySize).fill(-1);
  const chars = (id: number): number => (lengths[id] >= 0 ? lengths[id] : (lengths[id] = source.chars(id)));
  const rules = ABBREVIATION_RULES;
  // Candidates: two-character Chinese words, by their characters. Only a word standing on its own counts (防部 inside
  // 国防部, a search-mode sub-word, is no abbreviation), so articles are counted from the precise-mode words.
  const candidates = new PairIndex();
  const candidateIds: number[] = [];
  for (let id = 0; id < dictionarySize; id++) {
    const word = term(id);
    if (chars(id) === 2 && HAN.test(word) && !NUMERAL.test(word)) candidateIds[candidates.add(word.codePointAt(0)!, [...word][1]!.codePointAt(0)!)] = id;
  }
  const candidate = (first: number, second: number): number => {
    const pair = candidates.find(first, second);
    return pair < 0 ? -1 : candidateIds[pair];
  };
  const docFreq = new Uint32Array(dictionarySize);
  const present = new Int32Array(dictionarySize).fill(-1);
  // First character (code point) of a Chinese word of two or more characters; 0 otherwise, −1 not known yet.
  const initials = new Int32Array(dictionarySize).fill(-1);
  const initialOf = (id: number): number => {
    if (initials[id] < 0) initials[id] = chars(id) >= 2 && HAN.test(term(id)) ? term(id).codePointAt(0)! : 0;
    return initials[id];
  };
  // A longer word made of two dictionary words of two or more characters: the abbreviation of its halves (-1: none).
  const halves = new Int32Array(dictionarySize).fill(-2);
  const halvesOf = (id: number): number => {
    if (halves[id] !== -2) return halves[id];
    halves[id] = -1;
    const word = [...term(id)];
    if (word.length < 4 || !HAN.test(term(id))) return -1;
    for (let k = 2; k <= word.length - 2; k++) {
      const first = source.id(word.slice(0, k).join(''));
      const second = source.id(word.slice(k).join(''));
      const abbreviation = first === undefined || second === undefined ? -1 : candidate(word[0]!.codePointAt(0)!, word[k]!.codePointAt(0)!);
      if (abbreviation >= 0) return (halves[id] = abbreviation);
    }
    return -1;
  };

  // Forms by their words: (word, next) for two adjacent words, (word, WHOLE) for a word made of two.
  const WHOLE = dictionarySize;
  // Counted in typed arrays by form number: as objects, the forms seen (a quarter of a million at 3× the scale corpus)
  // were a large part of the step's memory; only the frequent ones become Form objects.
  const forms = new PairIndex();
  let formAbbreviation = new Int32Array(1 << 12);
  let formLastDoc = new Int32Array(1 << 12);
  let formCount = new Uint32Array(1 << 12);
  let formDocs = new Uint32Array(1 << 12);
  let formShared = new Uint32Array(1 << 12);
  const see = (word: number, next: number, abbreviation: number, doc: number) => {
    const key = forms.add(word, next);
    if (key === formCount.length) {
      [formAbbreviation, formLastDoc] = [grown(formAbbreviation, 2 * key), grown(formLastDoc, 2 * key)];
      [formCount, formDocs, formShared] = [grown(formCount, 2 * key), grown(formDocs, 2 * key), grown(formShared, 2 * key)];
    }
    if (formCount[key]++ === 0) {
      formAbbreviation[key] = abbreviation;
      formLastDoc[key] = -1;
    }
    if (formLastDoc[key] === doc) return;
    formLastDoc[key] = doc;
    formDocs[key]++;
    if (present[abbreviation] === doc) formShared[key]++;
  };
  const buffers: Int32Array[] = [];
  for (let doc = 0; doc < docs.count; doc++) {
    const fields = docs.at(doc);
    fields.forEach((field, f) => {
      if (!buffers[f] || buffers[f].length < field.length) buffers[f] = new Int32Array(Math.max(1024, field.length * 2));
    });
    const sequences = fields.map((field, f) => wordSequence(field, chars, buffers[f]));
    for (const sequence of sequences) {
      for (const word of sequence) {
        if (word < 0 || present[word] === doc) continue;
        present[word] = doc;
        docFreq[word]++;
      }
    }
    for (const sequence of sequences) {
      for (let i = 0; i < sequence.length; i++) {
        const word = sequence[i];
        if (word < 0) continue;
        const whole = halvesOf(word);
        if (whole >= 0 && whole !== word) see(word, WHOLE, whole, doc);
        // The next word, or the one after a stop word (俄罗斯和乌克兰: stop words keep their position, as −1).
        let next = sequence[i + 1];
        if (next === -1 && i + 2 < sequence.length) next = sequence[i + 2];
        if (next === undefined || next < 0) continue;
        const a = initialOf(word);
        const b = a === 0 ? 0 : initialOf(next);
        const abbreviation = b === 0 ? -1 : candidate(a, b);
        if (abbreviation >= 0 && abbreviation !== word && abbreviation !== next) see(word, next, abbreviation, doc);
      }
    }
  }

  const frequent: Form[] = [];
  for (let key = 0; key < forms.size; key++) {
    const [abbreviation, count, shared] = [formAbbreviation[key], formCount[key], formShared[key]];
    if (count < rules.minFormCount || formDocs[key] < rules.minFormDocs || shared < rules.minSharedDocs) continue;
    const abbreviationDocs = docFreq[abbreviation];
    if (shared < rules.minShare * abbreviationDocs || (shared * docs.count) / (abbreviationDocs * formDocs[key]) < rules.minLift) continue;
    const [word, next] = [forms.first(key), forms.second(key)];
    frequent.push({ abbreviation, words: next === WHOLE ? [term(word)] : [term(word), term(next)], count, shared });
  }
  return frequent;
}

/**
 * The corpus's abbreviations: those of the frequent forms whose words all name something, by word, each with its
 * full forms (most shared first).
 */
export function namedAbbreviations(frequent: readonly Form[], { term, naming: namingOf }: FormNaming): Abbreviation[] {
  const rules = ABBREVIATION_RULES;
  const words = [...new Set(frequent.flatMap((form) => form.words))];
  const naming = namingOf(words);
  const names = new Set(words.filter((_, i) => naming[i]));
  const byWord = new Map<number, Form[]>();
  for (const form of frequent) {
    if (!form.words.every((word) => names.has(word))) continue;
    const list = byWord.get(form.abbreviation);
    if (list) list.push(form);
    else byWord.set(form.abbreviation, [form]);
  }
  return [...byWord]
    .map(([id, list]) => {
      list.sort((x, y) => y.shared - x.shared || y.count - x.count || (x.words.join(' ') < y.words.join(' ') ? -1 : 1));
      return { word: term(id), forms: list.slice(0, rules.maxForms).map(({ words, shared }) => ({ words, docs: shared })) };
    })
    .sort((x, y) => (x.word < y.word ? -1 : x.word > y.word ? 1 : 0));
}
