/**
 * Which articles of an incremental build keep the keywords the generation it was made from ranked for them: ranking an
 * article reads its own words, the idf of its candidates (their document frequencies and the article count), their
 * weights (the lexicon and the words the titles use around names), the corpus's collocations and the article's
 * boilerplate. When the changed articles leave the article count, every title and the collocations as they were, an
 * article is ranked again only if it changed, has an edge clause that became or stopped being boilerplate, or has a
 * candidate whose idf moved so that it may change places with a keyword (articleKeywords' `previous`): a one-file edit
 * ranks a few articles instead of all of them.
 */
import type { FieldTerms } from './collocations.js';

/** An article whose text changed: its title and body fields, collocations (ids as in articleKeywords), then and now. */
export interface KeywordChange {
  /** Its number in the build. */
  doc: number;
  before: readonly FieldTerms[];
  after: readonly FieldTerms[];
  collocationsBefore: ArrayLike<number>;
  collocationsAfter: ArrayLike<number>;
}

/**
 * What `changes` moved of what articles are ranked by (null when every article must be ranked again: a title changed,
 * which may change the lexicon): `keep`, 1 for each of `count` articles that may keep its keywords (it did not change
 * and `boilerplateMoved(doc)` says its boilerplate did not either: it has none of flippedKeys); `moved`, for each term
 * below `size` (collocations included) that can be a keyword (`candidate(id)`), +1 where its document frequency rose
 * (its idf fell), −1 where it fell, else 0.
 */
export function movedByChanges(
  count: number,
  changes: readonly KeywordChange[],
  size: number,
  candidate: (id: number) => boolean,
  boilerplateMoved: (doc: number) => boolean,
): { keep: Uint8Array; moved: Int8Array } | null {
  if (changes.some(({ before, after }) => !sameField(before[0], after[0]))) return null;
  const rose = new Int32Array(size);
  for (const change of changes) {
    const was = termsOf(change.before, change.collocationsBefore);
    const is = termsOf(change.after, change.collocationsAfter);
    for (const id of was) if (!is.has(id) && candidate(id)) rose[id]--;
    for (const id of is) if (!was.has(id) && candidate(id)) rose[id]++;
  }
  const moved = Int8Array.from(rose, Math.sign);
  const keep = new Uint8Array(count).fill(1);
  for (const { doc } of changes) keep[doc] = 0;
  for (let doc = 0; doc < count; doc++) if (keep[doc] === 1 && boilerplateMoved(doc)) keep[doc] = 0;
  return { keep, moved };
}

function termsOf(fields: readonly FieldTerms[], collocations: ArrayLike<number>): Set<number> {
  const terms = new Set<number>(Array.from(collocations));
  for (const { termIds } of fields) for (const id of termIds) terms.add(id);
  return terms;
}

/** Whether two fields have the same terms at the same positions (in whatever order their terms are listed). */
function sameField(a: FieldTerms, b: FieldTerms): boolean {
  if (a.length !== b.length || a.termIds.length !== b.termIds.length) return false;
  const positionsOf = (field: FieldTerms): Map<number, string> => {
    const map = new Map<number, string>();
    let p = 0;
    field.termIds.forEach((id, i) => map.set(id, Array.from(field.positions.subarray(p, (p += field.freqs[i]))).join()));
    return map;
  };
  const before = positionsOf(a);
  for (const [id, positions] of positionsOf(b)) if (before.get(id) !== positions) return false;
  return true;
}
