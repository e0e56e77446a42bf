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
  /** A clause at the edge of at least this many articles is boilerplate. */
  minDocs: 3,
};

/** A clause: a run of text between punctuation, symbols (【】《》（）：，。|…) and line breaks. */
const CLAUSE = /[^\p{P}\p{S}\n\r\t]+/gu;
/** A clause right after a colon is a field's value (类型：手办): what the article is about, never boilerplate. */
const COLON = /[:：]/u;
const DIGITS = /\p{Nd}+/gu;
const SPACES = /\s+/g;
const HAS_LETTER = /\p{L}/u;

/** The parts of an article boilerplate is looked for in. */
export interface EdgeText {
  title: string;
  body: string;
}

/**
 * For each of `count` articles (`at(doc)`), its boilerplate clauses (normalised as terms are, one a line; '' when it
 * has none): the clauses of its title and of the first and last BOILERPLATE_RULES.edgeChars of its body that, with
 * digits folded, stand at the edge of at least BOILERPLATE_RULES.minDocs articles (a field's value aside: COLON).
 */
export function findBoilerplate(count: number, at: (doc: number) => EdgeText): string[] {
  const edges: string[][] = [];
  const docsWith = new Map<string, number>();
  for (let doc = 0; doc < count; doc++) {
    const clauses = edgeClauses(at(doc));
    edges.push(clauses);
    for (const key of new Set(clauses.map(foldDigits))) docsWith.set(key, (docsWith.get(key) ?? 0) + 1);
  }
  return edges.map((clauses) => clauses.filter((clause) => docsWith.get(foldDigits(clause))! >= BOILERPLATE_RULES.minDocs).join('\n'));
}

/** The clauses of the title and of the body's edges (a clause cut by the edge is left out), normalised. */
function edgeClauses({ title, body }: EdgeText): string[] {
  const { edgeChars } = BOILERPLATE_RULES;
  const parts = [clausesOf(title)];
  if (body.length <= 2 * edgeChars) parts.push(clausesOf(body));
  else {
    // The clause the cut falls in is incomplete: dropped (the last of the head, the first of the tail).
    parts.push(clausesOf(body.slice(0, edgeChars)).slice(0, -1), clausesOf(body.slice(-edgeChars)).slice(1));
  }
  return parts.flat().flatMap(({ clause, value }) => (value || !HAS_LETTER.test(clause) ? [] : [clause]));
}

/** The clauses of a text, normalised, each with whether it follows a colon. */
function clausesOf(text: string): { clause: string; value: boolean }[] {
  const normalized = normalizeText(text, traditionalToSimplifiedTable());
  const clauses: { clause: string; value: boolean }[] = [];
  let end = 0;
  for (const match of normalized.matchAll(CLAUSE)) {
    const value = COLON.test(normalized.slice(end, match.index));
    end = match.index + match[0].length;
    clauses.push({ clause: match[0].replace(SPACES, ' ').trim(), value });
  }
  return clauses;
}

function foldDigits(clause: string): string {
  return clause.replace(DIGITS, '0');
}
