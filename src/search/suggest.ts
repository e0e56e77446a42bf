/**
 * As-you-type suggestions: a flexsearch forward (prefix) index over titles, tags and keywords.
 * Chinese has no spaces, so each entry is indexed as the words it starts with at every word
 * boundary (产业互联网正驶向深蓝 → 产业互联网…, 互联网正…, 正驶向…): a prefix typed from any word
 * start finds it.
 */
import { Index } from 'flexsearch';
import type { IndexReader } from '../index/types.js';
import type { Suggestion } from './types.js';

/** Longest indexed word; longer typed prefixes still match through their first words. */
const MAX_WORD = 10;

export interface SuggestEntry {
  text: string;
  kind: Suggestion['kind'];
}

export class Suggester {
  private readonly index = new Index({ tokenize: 'forward', encode: (text: string) => text.split(' ').filter(Boolean) });
  private readonly entries: (SuggestEntry & { key: string })[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly normalize: (text: string) => string) {}

  /**
   * Adds an entry findable by prefixes of its whole text and of `wordStarts` (the entry's text from
   * each word boundary on, e.g. its terms from each position on), all normalised.
   */
  add(text: string, kind: Suggestion['kind'], wordStarts: string[] = []): void {
    const label = text.trim();
    const key = kind + '\u0000' + label;
    if (!label || this.seen.has(key)) return;
    this.seen.add(key);
    const compactText = compact(this.normalize(label));
    const words = new Set([compactText, ...wordStarts.map(compact)]);
    words.delete('');
    if (words.size === 0) return;
    this.index.add(this.entries.length, [...words].join(' '));
    this.entries.push({ text: label, kind, key: compactText });
  }

  suggest(prefix: string, limit: number): Suggestion[] {
    const query = this.normalize(prefix).trim().replace(/\s+/g, ' ');
    if (!query || limit <= 0) return [];
    const found = (this.index.search(query, { limit: limit * 4 }) as number[]).map((id) => this.entries[id]);
    // Entries that start with what was typed come first; flexsearch's order is kept otherwise.
    const typed = query.replace(/ /g, '');
    const ordered = [...found.filter((e) => e.key.startsWith(typed)), ...found.filter((e) => !e.key.startsWith(typed))];
    return ordered.slice(0, limit).map(({ text, kind }) => ({ text, kind }));
  }
}

/** Spaces removed, cut to MAX_WORD characters. */
function compact(text: string): string {
  return [...text.replace(/\s+/g, '')].slice(0, MAX_WORD).join('');
}

/**
 * Each document's title words from every position on, read back from the title postings (no
 * re-analysis at start-up): 产业 互联网 正 驶向 深蓝 → 产业互联网正驶向深蓝, 互联网正驶向深蓝, 正驶向深蓝, …
 */
export function titleWordStarts(reader: IndexReader): string[][] {
  const termsAt: Map<number, string[]>[] = Array.from({ length: reader.docCount }, () => new Map());
  for (const term of reader.terms('title')) {
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
  return termsAt.map((byPosition) => {
    const positions = [...byPosition.keys()].sort((a, b) => a - b);
    // The longest term at a position is the word; the others are its sub-words.
    const words = positions.map((p) => byPosition.get(p)!.reduce((a, b) => (b.length > a.length ? b : a)));
    return words.map((_, i) => words.slice(i, i + MAX_WORD).join(''));
  });
}
