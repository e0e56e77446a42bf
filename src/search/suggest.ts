/**
 * As-you-type suggestions: a flexsearch forward (prefix) index over titles, tags and keywords.
 * Chinese has no spaces, so each entry is indexed as the words it starts with at every word
 * boundary (产业互联网正驶向深蓝 → 产业互联网…, 互联网正…, 正驶向…): a prefix typed from any word
 * start finds it.
 */
import { Index } from 'flexsearch';
import { runAtOnce, type Steps } from '../index/index.js';
import type { IndexReader } from '../index/types.js';
import type { Suggestion } from './types.js';

/** Indexed length of an entry's whole text; longer typed prefixes still match through their first words. */
const MAX_WORD = 10;
/** Indexed length from a later word boundary (enough for as-you-type, and keeps the index small). */
const MAX_INNER_WORD = 4;
/** Background indexing works in slices of this many milliseconds so queries are not held up. */
const SLICE_MS = 15;

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

/**
 * Entries are indexed in the background, in slices, starting when the service is created (a 28k-post
 * corpus takes seconds); the first suggest() before that finishes completes the build synchronously.
 */
export class Suggester {
  /** flexsearch indexes each distinct word once (titles share many); a word maps to its entries. */
  private readonly index = new Index({ tokenize: 'forward', encode: (text: string) => [text] });
  private readonly wordIds = new Map<string, number>();
  private readonly wordEntries: number[][] = [];
  private readonly entries: { text: string; kind: Suggestion['kind']; url?: string; key: string }[] = [];
  private pending: SuggestEntry[] | undefined;
  private next = 0;

  constructor(
    private readonly normalize: (text: string) => string,
    private readonly collect: () => Steps<SuggestEntry[]>,
  ) {}

  /** Indexes everything, yielding every few milliseconds (see runInSlices). */
  *buildSteps(): Steps<void> {
    this.pending ??= dedupe(yield* this.collect());
    while (!this.indexFor(2)) yield;
  }

  /** Starts indexing in the background (timers do not keep the process alive). */
  buildInBackground(): void {
    const step = () => {
      if (!this.indexFor(SLICE_MS)) setTimeout(step, 0).unref();
    };
    setTimeout(step, 0).unref();
  }

  suggest(prefix: string, limit: number): Suggestion[] {
    const query = this.normalize(prefix).trim().replace(/\s+/g, ' ');
    if (!query || limit <= 0) return [];
    this.indexFor(Infinity);
    // Every typed word must prefix some word of the entry.
    let ids: number[] | undefined;
    for (const word of query.split(' ')) {
      const words = this.index.search(word, { limit: limit * 20 }) as number[];
      const matching = [...new Set(words.flatMap((id) => this.wordEntries[id]))];
      ids = ids === undefined ? matching : ids.filter((id) => matching.includes(id));
    }
    const found = (ids ?? []).map((id) => this.entries[id]);
    // Entries that start with what was typed come first; flexsearch's order is kept otherwise.
    const typed = query.replace(/ /g, '');
    const ordered = [...found.filter((e) => e.key.startsWith(typed)), ...found.filter((e) => !e.key.startsWith(typed))];
    return ordered.slice(0, limit).map(({ text, kind, url }) => (url === undefined ? { text, kind } : { text, kind, url }));
  }

  /** Indexes pending entries for up to `ms` milliseconds; true when everything is indexed. */
  private indexFor(ms: number): boolean {
    const deadline = performance.now() + ms;
    this.pending ??= dedupe(runAtOnce(this.collect()));
    const pending = this.pending;
    while (this.next < pending.length) {
      const { text, kind, url, wordStarts = [], normalized } = pending[this.next++];
      const key = compact(normalized ? text : this.normalize(text), MAX_WORD);
      const words = new Set([key, ...wordStarts.map((word) => compact(word, MAX_INNER_WORD))]);
      words.delete('');
      if (words.size > 0) {
        for (const word of words) {
          let id = this.wordIds.get(word);
          if (id === undefined) {
            id = this.wordEntries.push([]) - 1;
            this.wordIds.set(word, id);
            this.index.add(id, word);
          }
          this.wordEntries[id].push(this.entries.length);
        }
        this.entries.push(url === undefined ? { text, kind, key } : { text, kind, url, key });
      }
      if ((this.next & 63) === 0 && performance.now() > deadline) return false;
    }
    // Done: drop the collected entries, keep the (empty) marker so they are not collected again.
    this.pending = [];
    this.next = 0;
    return true;
  }
}

/** Trimmed, non-empty, first of each text: a text that is a title, a tag and a keyword is offered once, as its first kind. */
function dedupe(entries: SuggestEntry[]): SuggestEntry[] {
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

/** Spaces removed, cut to `length` characters. */
function compact(text: string, length: number): string {
  return [...text.replace(/\s+/g, '')].slice(0, length).join('');
}

/**
 * Each document's title words from every position on, read back from the title postings (no
 * re-analysis at start-up): 产业 互联网 正 驶向 深蓝 → 产业互联网正驶向深蓝, 互联网正驶向深蓝, 正驶向深蓝, …
 */
export function* titleWordStarts(reader: IndexReader): Steps<string[][]> {
  const termsAt: Map<number, string[]>[] = Array.from({ length: reader.docCount }, () => new Map());
  let visited = 0;
  for (const term of reader.terms('title')) {
    if ((++visited & 255) === 0) yield;
    const list = reader.postings('title', term);
    if (!list) continue;
    for (let i = 0; i < list.docs.length; i++) {
      const byPosition = termsAt[list.docs[i]];
      for (let p = list.posStart[i]; p < list.posStart[i + 1]; p++) {
        const position = list.positions[p];
        const terms = byPosition.get(position);
        if (terms) terms.push(term);
        else byPosition.set(position, [term]);
      }
    }
  }
  const starts: string[][] = [];
  for (const byPosition of termsAt) {
    const positions = [...byPosition.keys()].sort((a, b) => a - b);
    // The longest term at a position is the word; the others are its sub-words.
    const words = positions.map((p) => byPosition.get(p)!.reduce((a, b) => (b.length > a.length ? b : a)));
    starts.push(words.slice(1).map((_, i) => words.slice(i + 1, i + 1 + MAX_INNER_WORD).join('')));
    if ((starts.length & 1023) === 0) yield;
  }
  return starts;
}
