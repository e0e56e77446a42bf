/**
 * As-you-type suggestions: a forward (prefix) index over titles, tags and keywords.
 * Chinese has no spaces, so each entry is indexed as the words it starts with at every word
 * boundary (产业互联网正驶向深蓝 → 产业互联网…, 互联网正…, 正驶向…): a prefix typed from any word
 * start finds it. The words are grouped by their first character (PrefixWords), which a static
 * export ships as chunks: the browser loads the groups of the typed words and matches as the server.
 */
import type { Steps } from '../index/portable.js';
import type { IndexReader } from '../index/types.js';
import type { Suggestion } from './types.js';

/** Indexed length of an entry's whole text; longer typed prefixes still match through their first words. */
const MAX_WORD = 10;
/** Indexed length from a later word boundary (enough for as-you-type, and keeps the index small). */
const MAX_INNER_WORD = 4;
/** Keywords offered as suggestions (the most widely shared); the rest are mostly one-article words. */
const MAX_SUGGESTED_KEYWORDS = 20_000;
/** Words read per typed word, as a multiple of the suggestions wanted. */
export const WORDS_PER_SUGGESTION = 20;

export interface SuggestEntry {
  text: string;
  kind: Suggestion['kind'];
  /** A title's article link (Suggestion.url). */
  url?: string;
  /** The entry's text from each later word boundary on (e.g. a title's terms from each position on). */
  wordStarts?: string[];
  /** Set when `text` is already normalised (index terms), to skip normalising it again. */
  normalized?: boolean;
}

/** What an entry is found by: its key (normalised, compacted text) and its words (the key, then its later word starts). */
export interface SuggestWords {
  key: string;
  words: string[];
}

/** The words an entry is indexed under (none when its text normalises to nothing). */
export function suggestWords(entry: SuggestEntry, normalize: (text: string) => string): SuggestWords {
  const key = compact(entry.normalized ? entry.text : normalize(entry.text), MAX_WORD);
  const words = new Set([key, ...(entry.wordStarts ?? []).map((word) => compact(word, MAX_INNER_WORD))]);
  words.delete('');
  return { key, words: [...words] };
}

/** The first character of a word: the group it is filed in. */
export function firstCharacter(word: string): string {
  return String.fromCodePoint(word.codePointAt(0)!);
}

/** What was typed, normalised, as words (empty when nothing was). */
export function typedWords(prefix: string, normalize: (text: string) => string): string[] {
  const query = normalize(prefix).trim().replace(/\s+/g, ' ');
  return query ? query.split(' ') : [];
}

/**
 * Words and the entries (numbers) each finds, grouped by first character, each group in the order its words were
 * first added: a typed word matches the words it begins, in that order.
 */
export class PrefixWords {
  private readonly ids = new Map<string, number>();
  private readonly groups = new Map<string, number[]>();
  private readonly words: string[] = [];
  private readonly entries: number[][] = [];

  /** Files `entry` under `word` (after the entries already there). */
  add(word: string, entry: number): void {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.words.push(word) - 1;
      this.entries.push([]);
      this.ids.set(word, id);
      const first = firstCharacter(word);
      const group = this.groups.get(first);
      if (group) group.push(id);
      else this.groups.set(first, [id]);
    }
    this.entries[id]!.push(entry);
  }

  /**
   * The entries having, for every typed word, a word it begins; the first typed word's order is kept. Each typed word
   * reads its first `limit` × WORDS_PER_SUGGESTION matching words.
   */
  match(typed: string[], limit: number): number[] {
    return foundByEvery(typed, (word) => {
      const matchingWords: number[] = [];
      for (const id of this.groups.get(firstCharacter(word)) ?? []) {
        if (this.words[id]!.startsWith(word) && matchingWords.push(id) >= limit * WORDS_PER_SUGGESTION) break;
      }
      return new Set(matchingWords.flatMap((id) => this.entries[id]!));
    });
  }
}

/** The entries every typed word finds (`entriesOf`), in the order the first one finds them. */
export function foundByEvery(typed: readonly string[], entriesOf: (word: string) => Set<number>): number[] {
  let found: number[] | undefined;
  for (const word of typed) {
    const matching = entriesOf(word);
    found = found === undefined ? [...matching] : found.filter((entry) => matching.has(entry));
  }
  return found ?? [];
}

/** Matched entries, those whose key starts with what was typed (spaces removed) first, each part in its order. */
export function keyStartsFirst<T>(found: T[], keyOf: (entry: T) => string, typed: string[]): T[] {
  const joined = typed.join('');
  const starts = (entry: T) => keyOf(entry).startsWith(joined);
  return [...found.filter(starts), ...found.filter((entry) => !starts(entry))];
}

/** Trimmed, non-empty, first of each text: a text that is a title, a tag and a keyword is offered once, as its first kind. */
export function distinctEntries(entries: SuggestEntry[]): SuggestEntry[] {
  const seen = new Set<string>();
  const result: SuggestEntry[] = [];
  for (const entry of entries) {
    const text = entry.text.trim();
    if (!text || seen.has(text)) continue;
    seen.add(text);
    result.push({ ...entry, text });
  }
  return result;
}

/** Spaces removed, cut to `length` characters (split into characters only when it may be longer: most are not). */
function compact(text: string, length: number): string {
  const spaceless = text.replace(/\s+/g, '');
  return spaceless.length <= length ? spaceless : [...spaceless].slice(0, length).join('');
}

/**
 * Each document's title words from every position on, read back from the title postings (no
 * re-analysis at start-up): 产业 互联网 正 驶向 深蓝 → 产业互联网正驶向深蓝, 互联网正驶向深蓝, 正驶向深蓝, …
 */
export function* titleWordStarts(reader: IndexReader): Steps<string[][]> {
  // The longest term at each position is the word, the others its sub-words. One slot per title position of every
  // document, document doc's from start[doc] (a title is one value: its positions are below its length), instead of
  // a map of positions per document (most of this function's time at scale).
  const start = new Float64Array(reader.docCount + 1);
  for (let doc = 0; doc < reader.docCount; doc++) start[doc + 1] = start[doc] + reader.fieldLength('title', doc);
  const longest: (string | undefined)[] = new Array(start[reader.docCount]);
  let visited = 0;
  for (const term of reader.terms('title')) {
    if ((++visited & 255) === 0) yield;
    const list = reader.readPostings('title', term);
    if (!list) continue;
    for (let i = 0; i < list.docs.length; i++) {
      const first = start[list.docs[i]];
      for (let p = list.posStart[i]; p < list.posStart[i + 1]; p++) {
        const at = first + list.positions[p];
        const word = longest[at];
        if (word === undefined || term.length > word.length) longest[at] = term;
      }
    }
  }
  const starts: string[][] = [];
  for (let doc = 0; doc < reader.docCount; doc++) {
    const words: string[] = [];
    for (let at = start[doc]; at < start[doc + 1]; at++) {
      const word = longest[at];
      if (word !== undefined) words.push(word);
    }
    starts.push(words.slice(1).map((_, i) => words.slice(i + 1, i + 1 + MAX_INNER_WORD).join('')));
    if ((starts.length & 1023) === 0) yield;
  }
  return starts;
}

/** Titles (with their word starts), tags, and the keywords shared by the most articles. */
export function* suggestEntries(reader: IndexReader): Steps<SuggestEntry[]> {
  const titleWords = yield* titleWordStarts(reader);
  const entries: SuggestEntry[] = [];
  const keywordCounts = new Map<string, number>();
  for (let doc = 0; doc < reader.docCount; doc++) {
    const article = reader.stored(doc);
    entries.push({ text: article.title, kind: 'title', url: article.url, wordStarts: titleWords[doc] });
    for (const tag of article.tags) entries.push({ text: tag, kind: 'tag' });
    for (const keyword of article.keywords) keywordCounts.set(keyword, (keywordCounts.get(keyword) ?? 0) + 1);
    if ((doc & 1023) === 1023) yield;
  }
  yield;
  // Stored keywords, not the keywords field's terms: a collocation (加沙地带) is one keyword but two terms there.
  const keywords = [...keywordCounts].sort((a, b) => b[1] - a[1]);
  for (const [keyword] of keywords.slice(0, MAX_SUGGESTED_KEYWORDS)) entries.push({ text: keyword, kind: 'keyword', normalized: true });
  return entries;
}
