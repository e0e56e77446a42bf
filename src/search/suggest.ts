/**
 * As-you-type suggestions: a flexsearch forward (prefix) index over titles, tags and keywords.
 * Chinese has no spaces, so each entry is indexed as the words it starts with at every word
 * boundary (产业互联网正驶向深蓝 → 产业互联网…, 互联网正…, 正驶向…): a prefix typed from any word
 * start finds it.
 */
import { Index } from 'flexsearch';
import type { Analyzer } from '../analysis/types.js';
import type { Suggestion } from './types.js';

/** Longest indexed word; longer typed prefixes still match through their first words. */
const MAX_WORD = 16;

export interface SuggestEntry {
  text: string;
  kind: Suggestion['kind'];
}

export class Suggester {
  private readonly index = new Index({ tokenize: 'forward', encode: (text: string) => text.split(' ').filter(Boolean) });
  private readonly entries: SuggestEntry[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly analyzer: Analyzer) {}

  add(text: string, kind: Suggestion['kind']): void {
    const label = text.trim();
    const key = kind + '\u0000' + label;
    if (!label || this.seen.has(key)) return;
    this.seen.add(key);
    const words = boundaryWords(label, this.analyzer);
    if (words.length === 0) return;
    this.index.add(this.entries.length, words.join(' '));
    this.entries.push({ text: label, kind });
  }

  suggest(prefix: string, limit: number): Suggestion[] {
    const query = this.analyzer.normalize(prefix).trim().replace(/\s+/g, ' ');
    if (!query || limit <= 0) return [];
    const ids = this.index.search(query, { limit: limit * 4 }) as number[];
    const compact = query.replace(/ /g, '');
    const found = ids.map((id) => this.entries[id]);
    // Entries that start with what was typed come first; flexsearch's order is kept otherwise.
    const startsWith = (entry: SuggestEntry) => this.analyzer.normalize(entry.text).replace(/\s+/g, '').startsWith(compact);
    const ordered = [...found.filter(startsWith), ...found.filter((entry) => !startsWith(entry))];
    return ordered.slice(0, limit).map(({ text, kind }) => ({ text, kind }));
  }
}

/** The normalised text from each word boundary on (spaces removed), cut to MAX_WORD characters. */
function boundaryWords(text: string, analyzer: Analyzer): string[] {
  const normalized = analyzer.normalize(text);
  const compact = (s: string) => [...s.replace(/\s+/g, '')].slice(0, MAX_WORD).join('');
  const words = new Set<string>([compact(normalized)]);
  // Offsets are into `text`; normalisation usually keeps lengths, otherwise the words are rebuilt from terms.
  const tokens = analyzer.analyze(text);
  if (normalized.length === text.length) {
    for (const token of tokens) words.add(compact(normalized.slice(token.start)));
  } else {
    const terms = tokens.map((token) => token.term);
    for (let i = 0; i < terms.length; i++) words.add(compact(terms.slice(i).join('')));
  }
  words.delete('');
  return [...words];
}
