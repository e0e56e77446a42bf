/**
 * Latin words inside longer ones, found at query time from the index's term list: `gpt` is the end of `chatgpt`,
 * `java` the start of `javascript`, and an unfinished word (`lighth`) the start of `lighthouse`. Such terms join a
 * Latin query word as its sub-words, so they match below the whole word (subwordWeight, partPenalty) and need no
 * reindex. The sorted term lists (forward, and reversed for endings) are built once, after the service starts.
 */
import type { IndexReader } from '../index/types.js';

/** A Latin term the lists hold: letters, then letters or digits. */
const LATIN_TERM = /^[a-z][a-z0-9]*$/;
/** Shortest query word looked up inside longer terms (`ai` would match far too much). */
const MIN_WORD = 3;
/** Most terms added for one query word: the ones in the most documents. */
const MAX_PARTS = 12;

export class LatinParts {
  private forward: string[] | undefined;
  private backward: string[] | undefined;

  constructor(private readonly reader: IndexReader) {}

  buildInBackground(): void {
    setTimeout(() => this.build(), 0).unref();
  }

  /** Index terms that start or end with `word` (a normalised Latin query word), most frequent first. */
  partsOf(word: string): string[] {
    if (!isLatinPartWord(word)) return [];
    this.build();
    return latinPartsAmong(word, this.forward!, this.backward!, (term) => this.reader.docFreq('body', term) + this.reader.docFreq('title', term));
  }

  /** Builds the lists now (about 0.25 s for 24,000 Latin terms) unless built already. */
  build(): void {
    if (this.forward) return;
    const terms = new Set<string>();
    for (const field of ['title', 'body'] as const) for (const term of this.reader.terms(field)) if (isLatinTerm(term)) terms.add(term);
    this.forward = [...terms].sort();
    this.backward = [...terms].map(reverse).sort();
  }
}

/** Whether `word` is looked up inside longer terms: a Latin word of MIN_WORD letters or more. */
export function isLatinPartWord(word: string): boolean {
  return word.length >= MIN_WORD && LATIN_TERM.test(word);
}

/** Whether `term` is one of the Latin terms a query word may be part of. */
export function isLatinTerm(term: string): boolean {
  return LATIN_TERM.test(term);
}

/**
 * The keys of a Latin word's first and last MIN_WORD letters: a term a query word starts or ends is filed under the
 * word's keys (a static export ships the terms by key, so a query fetches only its words' two lists).
 */
export function latinAffixKeys(word: string): [string, string] {
  return [`^${word.slice(0, MIN_WORD)}`, `$${reverse(word.slice(-MIN_WORD))}`];
}

/**
 * The terms of `forward` (sorted Latin terms) starting with `word` and those of `backward` (the same or fewer terms,
 * reversed and sorted) ending with it, `word` itself aside, most documents (`docFreq`: title + body) first. The
 * server passes every Latin term of its index; a static export's runtime the terms sharing the word's first or last
 * three letters (fetched for the query).
 */
export function latinPartsAmong(word: string, forward: string[], backward: string[], docFreq: (term: string) => number): string[] {
  const found = new Set<string>();
  for (const term of withPrefix(forward, word)) if (term !== word) found.add(term);
  const reversed = reverse(word);
  for (const term of withPrefix(backward, reversed)) if (term !== reversed) found.add(reverse(term));
  return [...found].sort((a, b) => docFreq(b) - docFreq(a) || (a < b ? -1 : 1)).slice(0, MAX_PARTS);
}

export function reverse(text: string): string {
  return [...text].reverse().join('');
}

/** The entries of a sorted list that start with `prefix`. */
function withPrefix(sorted: string[], prefix: string): string[] {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < prefix) low = mid + 1;
    else high = mid;
  }
  const result: string[] = [];
  for (let i = low; i < sorted.length && sorted[i]!.startsWith(prefix); i++) result.push(sorted[i]!);
  return result;
}
