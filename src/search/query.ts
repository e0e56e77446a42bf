/**
 * The query language: plain terms, "exact phrases", -exclusions, OR, and field filters
 * (category:, tag:, author:, date:FROM..TO). Parsing never throws: anything it cannot read
 * as syntax is kept as text.
 */

/** The longest query text, in characters (code points), that a search is asked (the HTTP API's limit). */
export const MAX_QUERY_CHARS = 256;

/** A piece of text to look for: loose words, or a phrase whose words must be adjacent. */
export interface QueryAtom {
  kind: 'term' | 'phrase';
  text: string;
}

/**
 * Alternatives joined by OR. A group of plain terms is preferred (a document missing it still
 * matches, ranked lower); a group made only of phrases is required.
 */
export interface QueryGroup {
  alternatives: QueryAtom[];
}

/** Inclusive date bounds as written (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`); either may be open. */
export interface DateRange {
  from?: string;
  to?: string;
}

export interface QueryFilters {
  category: string[];
  tag: string[];
  author: string[];
  dates: DateRange[];
}

export interface QueryAst {
  groups: QueryGroup[];
  excludes: QueryAtom[];
  filters: QueryFilters;
}

/** A lexical piece of the query string. `negated` is a leading '-'. */
interface Piece {
  atom: QueryAtom;
  negated: boolean;
  /** Bare OR keyword (only meaningful between two atoms). */
  isOr: boolean;
}

const FILTER_FIELDS = new Set(['category', 'tag', 'author', 'date']);
const DATE_PART = /^\d{4}(-\d{1,2}(-\d{1,2})?)?$/;
const QUOTE_CLOSERS: Record<string, string> = { '"': '"', '“': '”', '「': '」' };

export function emptyFilters(): QueryFilters {
  return { category: [], tag: [], author: [], dates: [] };
}

/** Parses a query string; malformed syntax degrades to plain text instead of throwing. */
export function parseQuery(q: string): QueryAst {
  const ast: QueryAst = { groups: [], excludes: [], filters: emptyFilters() };
  const pieces: Piece[] = [];
  for (const piece of lex(q ?? '')) {
    if (!piece.isOr && !piece.negated && piece.atom.kind === 'term' && applyFilter(piece.atom.text, ast.filters)) continue;
    pieces.push(piece);
  }
  let joinNext = false;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if (piece.isOr) {
      // OR only joins when there is an atom on both sides; otherwise it is the word "OR".
      const prev = ast.groups.at(-1);
      const next = pieces[i + 1];
      const before = pieces[i - 1];
      if (prev && !joinNext && before && !before.negated && !before.isOr && next && !next.isOr && !next.negated) {
        joinNext = true;
        continue;
      }
      piece.atom = { kind: 'term', text: 'OR' };
    }
    if (piece.negated) {
      ast.excludes.push(piece.atom);
      continue;
    }
    if (joinNext) ast.groups[ast.groups.length - 1].alternatives.push(piece.atom);
    else ast.groups.push({ alternatives: [piece.atom] });
    joinNext = false;
  }
  return ast;
}

/** Splits into whitespace-separated pieces; quotes make phrases (also after '-' or 'field:'). */
function lex(q: string): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  while (i < q.length) {
    if (/\s/.test(q[i])) {
      i++;
      continue;
    }
    let negated = false;
    let start = i;
    if (q[i] === '-' && i + 1 < q.length && !/\s/.test(q[i + 1])) {
      negated = true;
      start = ++i;
    }
    const closer = QUOTE_CLOSERS[q[i]];
    if (closer) {
      const end = q.indexOf(closer, i + 1);
      if (end >= 0) {
        const text = q.slice(i + 1, end).trim();
        if (text) pieces.push({ atom: { kind: 'phrase', text }, negated, isOr: false });
        i = end + 1;
        continue;
      }
      // Unbalanced quote: the quote (and a '-' before it) is dropped; the rest reads as plain text.
      i++;
      continue;
    }
    // A word; a filter value may be quoted (`category:"新 媒体"`).
    let end = i;
    while (end < q.length && !/\s/.test(q[end])) {
      const quoteCloser = QUOTE_CLOSERS[q[end]];
      if (quoteCloser && end > start && /[:：]$/.test(q.slice(start, end))) {
        const close = q.indexOf(quoteCloser, end + 1);
        if (close >= 0) {
          end = close + 1;
          break;
        }
      }
      end++;
    }
    const text = q.slice(start, end);
    i = end;
    if (!text) continue;
    pieces.push({ atom: { kind: 'term', text }, negated, isOr: !negated && text === 'OR' });
  }
  return pieces;
}

/** If `word` is `field:value` for a known field, records the filter and returns true. */
function applyFilter(word: string, filters: QueryFilters): boolean {
  const match = /^([a-z]+)[:：](.+)$/i.exec(word);
  if (!match || !FILTER_FIELDS.has(match[1].toLowerCase())) return false;
  const field = match[1].toLowerCase() as 'category' | 'tag' | 'author' | 'date';
  const value = unquote(match[2]).trim();
  if (!value) return false;
  if (field !== 'date') {
    filters[field].push(value);
    return true;
  }
  const range = parseDateRange(value);
  if (!range) return false;
  filters.dates.push(range);
  return true;
}

function unquote(value: string): string {
  const closer = QUOTE_CLOSERS[value[0]];
  return closer && value.length >= 2 && value.endsWith(closer) ? value.slice(1, -1) : value;
}

/** `2021-01..2021-12`, `2021..`, `..2021-06` or a single period `2021-03`; null if not a date. */
export function parseDateRange(value: string): DateRange | null {
  const dots = value.indexOf('..');
  if (dots < 0) return DATE_PART.test(value) && periodStart(value) !== null ? { from: value, to: value } : null;
  const from = value.slice(0, dots).trim();
  const to = value.slice(dots + 2).trim();
  if (!from && !to) return null;
  if ((from && (!DATE_PART.test(from) || periodStart(from) === null)) || (to && (!DATE_PART.test(to) || periodStart(to) === null))) {
    return null;
  }
  const range: DateRange = {};
  if (from) range.from = from;
  if (to) range.to = to;
  return range;
}

/** First millisecond (UTC) of the period `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; null if invalid. */
export function periodStart(value: string): number | null {
  const parts = parsePeriod(value);
  return parts ? Date.UTC(parts[0], parts[1] - 1, parts[2]) : null;
}

/** Last millisecond (UTC) of the period; null if invalid. */
export function periodEnd(value: string): number | null {
  const parts = parsePeriod(value);
  if (!parts) return null;
  const [year, month, day] = parts;
  const next = value.split('-').length === 1 ? Date.UTC(year + 1, 0, 1) : value.split('-').length === 2 ? Date.UTC(year, month, 1) : Date.UTC(year, month - 1, day + 1);
  return next - 1;
}

function parsePeriod(value: string): [number, number, number] | null {
  if (!DATE_PART.test(value)) return null;
  const [year, month = 1, day = 1] = value.split('-').map(Number);
  if (month < 1 || month > 12 || day < 1) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1) return null;
  return [year, month, day];
}
