/**
 * A service's suggestions (suggest.ts's entries and words), indexed once and then packed into a few strings and typed
 * arrays: as objects (a string and an array per word, an object and strings per entry: at scale ~110k words and ~44k
 * entries, 33 MB of small objects) they were a third of a server's heap for its whole life, walked by every
 * mark-compact.
 */
import { runAtOnce, type Steps } from '../index/portable.js';
import { distinctEntries, firstCharacter, foundByEvery, keyStartsFirst, suggestWords, typedWords, WORDS_PER_SUGGESTION, type SuggestEntry } from './suggest.js';
import type { Suggestion } from './types.js';

/** Background indexing works in slices of this many milliseconds so queries are not held up. */
const SLICE_MS = 15;

const KINDS: readonly Suggestion['kind'][] = ['title', 'tag', 'keyword'];
/** Set in an entry's kind byte when it has a url. */
const HAS_URL = 4;

/** What an entry shows (its Suggestion) and its key (normalised, compacted text). */
interface SuggestionEntry extends Suggestion {
  key: string;
}

/** Entries (numbered in the order added) and the words that find them, packed once all are added. */
class SuggestionsBuilder {
  /** Each distinct word once, in the order first added, with its entries in the order added. */
  private readonly words = new Map<string, number[]>();
  private readonly entries: SuggestionEntry[] = [];

  /** Adds an entry found by `words` (each once). */
  add(entry: SuggestionEntry, words: readonly string[]): void {
    const n = this.entries.push(entry) - 1;
    for (const word of words) {
      const entries = this.words.get(word);
      if (entries) entries.push(n);
      else this.words.set(word, [n]);
    }
  }

  pack(): PackedSuggestions {
    // The words grouped by first character (each group in the order its words were first added: a counting sort).
    const groupOf = new Map<string, number>();
    const groupSizes: number[] = [];
    const wordGroup = new Uint32Array(this.words.size);
    let w = 0;
    for (const word of this.words.keys()) {
      const first = firstCharacter(word);
      let group = groupOf.get(first);
      if (group === undefined) groupOf.set(first, (group = groupSizes.push(0) - 1));
      groupSizes[group]++;
      wordGroup[w++] = group;
    }
    const groupStart = new Uint32Array(groupSizes.length + 1);
    for (let g = 0; g < groupSizes.length; g++) groupStart[g + 1] = groupStart[g] + groupSizes[g]!;
    const next = groupStart.slice(0, -1);
    const ordered: [string, number[]][] = new Array(this.words.size);
    w = 0;
    for (const wordEntries of this.words) ordered[next[wordGroup[w++]]++] = wordEntries;
    const refCount = ordered.reduce((sum, [, entries]) => sum + entries.length, 0);
    const words = packedStrings(ordered.map(([word]) => word));
    const refStart = new Uint32Array(ordered.length + 1);
    const refs = new Uint32Array(refCount);
    for (let i = 0; i < ordered.length; i++) {
      const entries = ordered[i]![1];
      refs.set(entries, refStart[i]);
      refStart[i + 1] = refStart[i] + entries.length;
    }
    const kinds = Uint8Array.from(this.entries, ({ kind, url }) => KINDS.indexOf(kind) | (url === undefined ? 0 : HAS_URL));
    return new PackedSuggestions(
      { groupOf, groupStart, words, refStart, refs },
      {
        texts: packedStrings(this.entries.map((entry) => entry.text)),
        kinds,
        urls: packedStrings(this.entries.map((entry) => entry.url ?? '')),
        keys: packedStrings(this.entries.map((entry) => entry.key)),
      },
    );
  }
}

/** Strings as one: string i is text[start[i], start[i + 1]). */
interface PackedStrings {
  text: string;
  start: Uint32Array;
}

function packedStrings(strings: readonly string[]): PackedStrings {
  const start = new Uint32Array(strings.length + 1);
  for (let i = 0; i < strings.length; i++) start[i + 1] = start[i] + strings[i]!.length;
  return { text: strings.join(''), start };
}

function stringAt({ text, start }: PackedStrings, i: number): string {
  return text.slice(start[i], start[i + 1]);
}

/**
 * The words' groups: group g (of the first characters in groupOf) holds words groupStart[g] to groupStart[g + 1];
 * word w finds entries refs[refStart[w], refStart[w + 1]).
 */
interface PackedWords {
  groupOf: ReadonlyMap<string, number>;
  groupStart: Uint32Array;
  words: PackedStrings;
  refStart: Uint32Array;
  refs: Uint32Array;
}

interface PackedEntries {
  texts: PackedStrings;
  /** Index in KINDS, | HAS_URL. */
  kinds: Uint8Array;
  urls: PackedStrings;
  keys: PackedStrings;
}

class PackedSuggestions {
  constructor(
    private readonly words: PackedWords,
    private readonly entries: PackedEntries,
  ) {}

  /**
   * The entries having, for every typed word, a word it begins; the first typed word's order is kept (as
   * PrefixWords.match). Each typed word reads its first `limit` × WORDS_PER_SUGGESTION matching words.
   */
  match(typed: string[], limit: number): number[] {
    const { groupOf, groupStart, words, refStart, refs } = this.words;
    return foundByEvery(typed, (word) => {
      const matching = new Set<number>();
      const group = groupOf.get(firstCharacter(word));
      const end = group === undefined ? 0 : groupStart[group + 1];
      let matchingWords = 0;
      for (let w = group === undefined ? 0 : groupStart[group]; w < end; w++) {
        const start = words.start[w];
        if (words.start[w + 1] - start < word.length || !words.text.startsWith(word, start)) continue;
        for (let r = refStart[w]; r < refStart[w + 1]; r++) matching.add(refs[r]);
        if (++matchingWords >= limit * WORDS_PER_SUGGESTION) break;
      }
      return matching;
    });
  }

  key(entry: number): string {
    return stringAt(this.entries.keys, entry);
  }

  suggestion(entry: number): Suggestion {
    const { texts, kinds, urls } = this.entries;
    const text = stringAt(texts, entry);
    const kind = KINDS[kinds[entry] & ~HAS_URL]!;
    return kinds[entry] & HAS_URL ? { text, kind, url: stringAt(urls, entry) } : { text, kind };
  }
}

/**
 * Entries are indexed in the background, in slices, starting when the service is created (a 28k-post
 * corpus takes seconds); the first suggest() before that finishes completes the build synchronously.
 */
export class Suggester {
  private builder: SuggestionsBuilder | undefined = new SuggestionsBuilder();
  private packed: PackedSuggestions | undefined;
  private pending: SuggestEntry[] | undefined;
  private next = 0;

  constructor(
    private readonly normalize: (text: string) => string,
    private readonly collect: () => Steps<SuggestEntry[]>,
  ) {}

  /** Indexes everything, yielding every few milliseconds (see runInSlices). */
  *buildSteps(): Steps<void> {
    if (this.packed) return;
    this.pending ??= distinctEntries(yield* this.collect());
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
    const typed = typedWords(prefix, this.normalize);
    if (typed.length === 0 || limit <= 0) return [];
    this.indexFor(Infinity);
    const packed = this.packed!;
    return keyStartsFirst(packed.match(typed, limit), (entry) => packed.key(entry), typed)
      .slice(0, limit)
      .map((entry) => packed.suggestion(entry));
  }

  /** Indexes pending entries for up to `ms` milliseconds; true when everything is indexed (and packed). */
  private indexFor(ms: number): boolean {
    const builder = this.builder;
    if (!builder) return true;
    const deadline = performance.now() + ms;
    const pending = (this.pending ??= distinctEntries(runAtOnce(this.collect())));
    while (this.next < pending.length) {
      const entry = pending[this.next++]!;
      const { text, kind, url } = entry;
      const { key, words } = suggestWords(entry, this.normalize);
      if (words.length > 0) builder.add(url === undefined ? { text, kind, key } : { text, kind, url, key }, words);
      if ((this.next & 63) === 0 && performance.now() > deadline) return false;
    }
    // Done: drop the collected entries and the builder.
    this.packed = builder.pack();
    this.builder = undefined;
    this.pending = undefined;
    return true;
  }
}
