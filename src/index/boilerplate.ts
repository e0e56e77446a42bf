/**
 * Boilerplate: the clauses at the edges of an article (its title, the start and the end of its body) that many
 * articles share word for word, digits aside — bylines (财联社11月27日电, 央视网消息, IT 之家 1 月 1 日消息), series labels
 * (央视快评：…, 官图更新), disclaimers (免责声明：…风险自担). They say where an article comes from, not what it is about:
 * the words in them do not count towards its keywords (see topKeywords).
 */
import { normalizeText, traditionalToSimplifiedTable } from '../analysis/index.js';

export const BOILERPLATE_RULES = {
  /** How far into the body (and back from its end), in characters, a clause counts as being at an edge. */
  edgeChars: 120,
  /**
   * A clause at the edge of at least this many articles, and of this share of them, is boilerplate: a source's byline
   * repeats in its every article (每经AI快讯 in all 4 of 每经网's), a phrase many articles use (积极稳妥推进碳达峰碳中和,
   * at the edge of 4 of 27,855) is written, not stamped.
   */
  minDocs: 3,
  minShare: 0.005,
};

/** What separates clauses: punctuation, symbols (【】《》（）：，。|…) and line breaks. */
const CLAUSE_END = /[\p{P}\p{S}\n\r\t]/u;
/** A clause right after a colon is a field's value (类型：手办): what the article is about, never boilerplate. */
const COLON = 0x3a;
const FULLWIDTH_COLON = 0xff1a;
const DIGIT = /\p{Nd}/u;
const DIGITS = /\p{Nd}+/gu;
const SPACE = /\s/;
const SPACES = /\s+/g;
const LETTER = /\p{L}/u;

/** The parts of an article boilerplate is looked for in. */
export interface EdgeText {
  title: string;
  body: string;
}

/**
 * For each of `count` articles, its boilerplate clauses (normalised as terms are, one a line; '' when it has none),
 * from each article's edge clauses, packed (`edgesAt(doc)`: packEdges of edgeClauses, worked out where the article is
 * analysed): the clauses of its title and of the first and last BOILERPLATE_RULES.edgeChars of its body that, with
 * digits folded, stand at such an edge in at least BOILERPLATE_RULES.minDocs articles and minShare of them. A field's
 * value after a colon is never boilerplate (COLON).
 */
export function boilerplateOf(
  count: number,
  edgesAt: (doc: number) => PackedEdges,
  docsWith: ReadonlyMap<string, number> = edgeKeyCounts(count, edgesAt),
): string[] {
  const minDocs = boilerplateMinDocs(count);
  return Array.from({ length: count }, (_, doc) => {
    // A short body's clause is at both edges: it counts once. Read without an object per edge (unpackEdges): only the
    // few boilerplate edges' clauses and sources are cut out.
    const found = new Map<string, string>();
    const packed = edgesAt(doc);
    eachEdge(packed, (key, start, sourceStart, sourceEnd) => {
      if (docsWith.get(key)! >= minDocs) found.set(packed.slice(sourceStart, sourceEnd), packed.slice(start, sourceStart - 1));
    });
    return [...found.values()].join('\n');
  });
}

/** How many of `count` articles have each edge clause key (edgesAt: see boilerplateOf). */
export function edgeKeyCounts(count: number, edgesAt: (doc: number) => PackedEdges): Map<string, number> {
  // Two passes over the packed edges rather than all of them held at once: as objects they take ~2.8 KB per article.
  const docsWith = new Map<string, number>();
  for (let doc = 0; doc < count; doc++) {
    for (const key of new Set(edgeKeys(edgesAt(doc)))) docsWith.set(key, (docsWith.get(key) ?? 0) + 1);
  }
  return docsWith;
}

/** At the edge of how many of `count` articles a clause is boilerplate. */
function boilerplateMinDocs(count: number): number {
  return Math.max(BOILERPLATE_RULES.minDocs, BOILERPLATE_RULES.minShare * count);
}

/**
 * The edge clause keys that are boilerplate in the corpus of `count` articles whose keys are counted in `docsWith`
 * (edgeKeyCounts) and were not before `changes` (each article's keys before and after; as many articles before), or
 * the other way round: only an article with one of those may have other boilerplate than before.
 */
export function flippedKeys(
  docsWith: ReadonlyMap<string, number>,
  count: number,
  changes: readonly { before: readonly string[]; after: readonly string[] }[],
): Set<string> {
  const lost = new Map<string, number>();
  for (const { before, after } of changes) {
    for (const key of new Set(before)) lost.set(key, (lost.get(key) ?? 0) + 1);
    for (const key of new Set(after)) lost.set(key, (lost.get(key) ?? 0) - 1);
  }
  const minDocs = boilerplateMinDocs(count);
  const flipped = new Set<string>();
  for (const [key, more] of lost) {
    const now = docsWith.get(key) ?? 0;
    if (now >= minDocs !== now + more >= minDocs) flipped.add(key);
  }
  return flipped;
}

export interface EdgeClause {
  clause: string;
  /** The clause with digits folded: what is counted across articles. */
  key: string;
  /** Which clause of the article it is (of the title or the body, and its index there). */
  source: string;
}

/**
 * An article's edge clauses in one string: each edge's clause, source and (only where digits make it differ from the
 * clause) key, a tab between them, a line break between edges. A build keeps every article's edges until it writes:
 * as objects (about twenty edges of three strings each) they took ~2.8 KB per article, a string a fifth of that.
 * Clauses hold neither character (CLAUSE); sources read from a file are checked (decodeSummaries).
 */
export type PackedEdges = string;

export function packEdges(edges: readonly EdgeClause[]): PackedEdges {
  return edges.map(({ clause, key, source }) => (key === clause ? `${clause}\t${source}` : `${clause}\t${source}\t${key}`)).join('\n');
}

export function unpackEdges(packed: PackedEdges): EdgeClause[] {
  if (packed === '') return [];
  return packed.split('\n').map((edge) => {
    const [clause, source, key = clause] = edge.split('\t');
    return { clause, key, source };
  });
}

/** The keys of packed edges, in order, without an object for each edge (unpackEdges' keys). */
export function edgeKeys(packed: PackedEdges): string[] {
  const keys: string[] = [];
  eachEdge(packed, (key) => keys.push(key));
  return keys;
}

/**
 * Calls `visit` with each edge of packed edges in order: its key, and where it lies in `packed` (its clause from
 * `start` to `sourceStart` − 1, its source from `sourceStart` to `sourceEnd`).
 */
function eachEdge(packed: PackedEdges, visit: (key: string, start: number, sourceStart: number, sourceEnd: number) => void): void {
  if (packed === '') return;
  for (let start = 0; start <= packed.length; ) {
    let end = packed.indexOf('\n', start);
    if (end < 0) end = packed.length;
    const sourceStart = packed.indexOf('\t', start) + 1;
    const keyStart = packed.indexOf('\t', sourceStart) + 1;
    if (keyStart > 0 && keyStart <= end) visit(packed.slice(keyStart, end), start, sourceStart, keyStart - 1);
    else visit(packed.slice(start, sourceStart - 1), start, sourceStart, end);
    start = end + 1;
  }
}

/** What an edge clause is counted as across articles: the clause with digits folded. */
export function edgeKey(clause: string): string {
  return clause.replace(DIGITS, '0');
}

/** The clauses of the title and of the body's edges (a clause cut by the edge is left out), normalised. */
export function edgeClauses({ title, body }: EdgeText): EdgeClause[] {
  const { edgeChars } = BOILERPLATE_RULES;
  const sourced = (clauses: Clause[], source: string): EdgeClause[] => {
    const edges: EdgeClause[] = [];
    clauses.forEach(({ clause, value, letter, digit }, i) => {
      if (!value && letter) edges.push({ clause, key: digit ? edgeKey(clause) : clause, source: `${source}${i}` });
    });
    return edges;
  };
  if (body.length <= 2 * edgeChars) return [...sourced(clausesOf(title), 't'), ...sourced(clausesOf(body), 'b')];
  // The clause the cut falls in is incomplete: dropped (the last of the head, the first of the tail).
  const head = clausesOf(body.slice(0, edgeChars)).slice(0, -1);
  const tail = clausesOf(body.slice(-edgeChars)).slice(1);
  return [...sourced(clausesOf(title), 't'), ...sourced(head, 'h'), ...sourced(tail, 'e')];
}

interface Clause {
  clause: string;
  /** Whether it follows a colon: a field's value. */
  value: boolean;
  /** Whether it has a letter (only such clauses are edges) and a digit (folded in its key). */
  letter: boolean;
  digit: boolean;
}

/** What a character is to clausesOf, a bit each (CLASSIFIED once it is known). */
const CLASSIFIED = 1;
const ENDS = 2;
const IS_LETTER = 4;
const IS_DIGIT = 8;
const IS_SPACE = 16;
/** Per BMP unit, its bits, worked out on first sight: the clauses are found by table reads, not by a regex per clause. */
const bmpBits = new Uint8Array(0x10000);

function bitsOf(char: string): number {
  let bits = CLASSIFIED;
  if (CLAUSE_END.test(char)) bits |= ENDS;
  if (LETTER.test(char)) bits |= IS_LETTER;
  if (DIGIT.test(char)) bits |= IS_DIGIT;
  if (SPACE.test(char)) bits |= IS_SPACE;
  return bits;
}

/** The clauses of a text, normalised: the runs of characters that end none (CLAUSE_END), by code point. */
function clausesOf(text: string): Clause[] {
  const normalized = normalizeText(text, traditionalToSimplifiedTable());
  const clauses: Clause[] = [];
  const n = normalized.length;
  let start = -1;
  let value = false;
  let letter = false;
  let digit = false;
  let space = false;
  const close = (end: number): void => {
    const raw = normalized.slice(start, end);
    clauses.push({ clause: space ? raw.replace(SPACES, ' ').trim() : raw, value, letter, digit });
    start = -1;
    value = letter = digit = space = false;
  };
  for (let i = 0; i < n; ) {
    const code = normalized.charCodeAt(i);
    let bits: number;
    let length = 1;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < n && (normalized.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bits = bitsOf(normalized.slice(i, i + 2));
      length = 2;
    } else {
      bits = bmpBits[code]!;
      if (bits === 0) bmpBits[code] = bits = bitsOf(String.fromCharCode(code));
    }
    if ((bits & ENDS) !== 0) {
      if (start >= 0) close(i);
      if (code === COLON || code === FULLWIDTH_COLON) value = true;
    } else {
      if (start < 0) start = i;
      letter ||= (bits & IS_LETTER) !== 0;
      digit ||= (bits & IS_DIGIT) !== 0;
      space ||= (bits & IS_SPACE) !== 0;
    }
    i += length;
  }
  if (start >= 0) close(n);
  return clauses;
}

/**
 * What an article's edge clauses depend on besides the analyzer's identity (which covers normalisation), as text:
 * edge clauses kept from a build under other rules (summaries.ts) are not taken over.
 */
export function edgeClauseRules(): string {
  return [edgeClauses, clausesOf, bitsOf, edgeKey, CLAUSE_END, COLON, FULLWIDTH_COLON, DIGIT, DIGITS, SPACE, SPACES, LETTER].map(String).join('\n') + `\nedgeChars ${BOILERPLATE_RULES.edgeChars}`;
}
