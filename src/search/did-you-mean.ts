/**
 * "Did you mean": when a search finds nothing or little, the query with each word the index does not
 * know replaced by the closest word it does know (Kubernets → Kubernetes), from the index's own
 * vocabulary. Works on the normalised query, so full-width and Traditional spellings are compared as
 * their half-width, Simplified forms. Any backend can use it with its own vocabulary.
 */

/** What the corrector needs of an index: its terms, and how many documents have one. */
export interface Vocabulary {
  terms(): Iterable<string>;
  docFreq(term: string): number;
  /**
   * Terms with a document frequency each, a term possibly several times (once per field, say): its frequency is the
   * largest given. Read once, instead of looking up every Han word's frequency; default terms() with docFreq().
   */
  termDocFreqs?(): Iterable<[term: string, docFreq: number]>;
}

/** Latin words shorter than this are not corrected (too many neighbours). */
const MIN_LATIN = 4;
const LATIN_WORD = /[a-z][a-z0-9]*(?:[.+#-][a-z0-9]+)*/g;
const HAN_RUN = /\p{Script=Han}{2,4}/gu;
/** Known Latin words a correction may be. */
const LATIN_TERM = /^[a-z][a-z0-9.+#-]*$/;
/** Known Han words a correction may be. */
const HAN_TERM = /^\p{Script=Han}{2,4}$/u;
/** Edit distance a Latin word of `length` letters may be corrected over. */
function latinLimit(length: number): number {
  return length <= 6 ? 1 : 2;
}

/**
 * Keys a known term is filed under for corrections (a static export's chunks): a Latin word under its length with its
 * first letter and with its last letter, a Han word under each of its patterns with one character blanked.
 */
export function correctionKeys(term: string): string[] {
  if (HAN_TERM.test(term)) {
    const chars = [...term];
    return chars.map((_, i) => pattern(chars, i));
  }
  if (term.length >= MIN_LATIN - 2 && LATIN_TERM.test(term)) return [`${term.length}<${term[0]}`, `${term.length}>${term[term.length - 1]}`];
  return [];
}

/**
 * The correctionKeys whose terms correcting `normalizedQuery` reads: for each Latin word, the words of the lengths
 * within its edit distance starting with its first or ending with its last letter (a word two edits away with both
 * ends changed is not among them), and, when nothing was found, the patterns of each Han run.
 */
export function queryCorrectionKeys(normalizedQuery: string, nothingFound: boolean): string[] {
  const keys = new Set<string>();
  for (const { word, han } of correctionSpans(normalizedQuery.toLowerCase(), nothingFound)) {
    if (han) {
      for (const key of correctionKeys(word)) keys.add(key);
    } else if (word.length >= MIN_LATIN) {
      const limit = latinLimit(word.length);
      for (let length = word.length - limit; length <= word.length + limit; length++) {
        keys.add(`${length}<${word[0]}`);
        keys.add(`${length}>${word[word.length - 1]}`);
      }
    }
  }
  return [...keys];
}

interface Span {
  start: number;
  end: number;
  word: string;
  han: boolean;
}

/** The words of a lowercased, normalised query a correction may replace, in order: Latin words, and Han runs when nothing was found. */
function correctionSpans(lower: string, nothingFound: boolean): Span[] {
  const spans: Span[] = [];
  for (const match of lower.matchAll(LATIN_WORD)) spans.push({ start: match.index, end: match.index + match[0].length, word: match[0], han: false });
  if (nothingFound) for (const match of lower.matchAll(HAN_RUN)) spans.push({ start: match.index, end: match.index + match[0].length, word: match[0], han: true });
  return spans.sort((a, b) => a.start - b.start);
}

/** A known word and how many documents have it. */
interface Known {
  term: string;
  freq: number;
}

/** Whether a is the better correction: more documents, then the first in code-unit order. */
function betterThan(a: Known, b: Known | undefined): boolean {
  return b === undefined || a.freq > b.freq || (a.freq === b.freq && a.term < b.term);
}

export class SpellingCorrector {
  private byLength: Map<number, string[]> | undefined;
  /**
   * Han words with one character blanked (`元宇*`) → the most frequent known word having that pattern: a correction
   * compares ≤ 4 words, not every word of each pattern (hundreds for a two-character one, each looked up).
   */
  private hanPatterns: Map<string, Known> | undefined;

  constructor(private readonly vocabulary: Vocabulary) {}

  /**
   * The corrected query (from the normalised one, Latin words keeping a leading capital), or null when
   * every word is known or nothing close is. Han runs are corrected only when `nothingFound`: a run the
   * index lacks as one word is usually several known words.
   */
  correct(normalizedQuery: string, originalQuery: string, nothingFound: boolean): string | null {
    const lower = normalizedQuery.toLowerCase();
    const shown = keepCase(originalQuery.normalize('NFKC'), lower);
    let changed = false;
    let result = '';
    let at = 0;
    const replace = (start: number, end: number, word: string) => {
      result += shown.slice(at, start) + word;
      at = end;
      changed = true;
    };
    for (const { start, end, word, han } of correctionSpans(lower, nothingFound)) {
      if (this.vocabulary.docFreq(word) > 0) continue;
      const better = han ? this.closestHan(word) : word.length >= MIN_LATIN ? this.closestLatin(word) : null;
      if (!better) continue;
      const capital = !han && /^\p{Lu}/u.test(shown.slice(start, end));
      replace(start, end, capital ? better[0]!.toUpperCase() + better.slice(1) : better);
    }
    if (!changed) return null;
    return result + shown.slice(at);
  }

  /**
   * The known Latin word nearest by edit distance (1 for words up to 6 letters, else 2); ties by document frequency,
   * then the first in code-unit order (the same answer whatever order the vocabulary lists its terms in).
   */
  private closestLatin(word: string): string | null {
    this.byLength ??= this.latinByLength();
    const limit = latinLimit(word.length);
    let best: string | null = null;
    let bestDistance = limit + 1;
    let bestFreq = 0;
    for (let length = word.length - limit; length <= word.length + limit; length++) {
      for (const term of this.byLength.get(length) ?? []) {
        const distance = editDistance(word, term, limit);
        if (distance > limit || distance > bestDistance) continue;
        const freq = this.vocabulary.docFreq(term);
        if (distance < bestDistance || freq > bestFreq || (freq === bestFreq && best !== null && term < best)) {
          best = term;
          bestDistance = distance;
          bestFreq = freq;
        }
      }
    }
    return best;
  }

  /** The most frequent known Han word of the same length differing in one character; ties: the first in code-unit order. */
  private closestHan(word: string): string | null {
    this.hanPatterns ??= this.hanWordPatterns();
    let best: Known | undefined;
    const chars = [...word];
    for (let i = 0; i < chars.length; i++) {
      const known = this.hanPatterns.get(pattern(chars, i));
      if (known !== undefined && betterThan(known, best)) best = known;
    }
    return best?.term ?? null;
  }

  private latinByLength(): Map<number, string[]> {
    const map = new Map<number, string[]>();
    for (const term of this.vocabulary.terms()) {
      if (term.length < MIN_LATIN - 2 || !LATIN_TERM.test(term)) continue;
      const list = map.get(term.length);
      if (list) list.push(term);
      else map.set(term.length, [term]);
    }
    return map;
  }

  private hanWordPatterns(): Map<string, Known> {
    const map = new Map<string, Known>();
    const vocabulary = this.vocabulary;
    const entries = vocabulary.termDocFreqs?.() ?? withDocFreqs(vocabulary);
    for (const [term, freq] of entries) {
      // Words no document has are never a correction.
      if (freq <= 0 || !HAN_TERM.test(term)) continue;
      const known = { term, freq };
      const chars = [...term];
      for (let i = 0; i < chars.length; i++) {
        const key = pattern(chars, i);
        if (betterThan(known, map.get(key))) map.set(key, known);
      }
    }
    return map;
  }
}

function* withDocFreqs(vocabulary: Vocabulary): Iterable<[string, number]> {
  for (const term of vocabulary.terms()) if (HAN_TERM.test(term)) yield [term, vocabulary.docFreq(term)];
}

/** The normalised query with the typed capitals back where the two line up character for character. */
function keepCase(typed: string, normalized: string): string {
  if (typed.length !== normalized.length) return normalized;
  let result = '';
  for (let i = 0; i < typed.length; i++) result += typed[i]!.toLowerCase() === normalized[i] ? typed[i] : normalized[i];
  return result;
}

function pattern(chars: string[], blank: number): string {
  return chars.map((c, i) => (i === blank ? '*' : c)).join('');
}

/** Optimal string alignment distance (adjacent transpositions count 1), or limit + 1 once it must exceed `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous2 = previous;
    previous = current;
  }
  return previous[b.length]!;
}
