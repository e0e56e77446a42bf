/**
 * An engine row's term positions (its `pos` JSON attribute): for each term of the article, where it stands in each
 * field, as the embedded index's postings hold it. The engine's full-text fields answer which articles match and
 * rank them; re-ranking the candidates as the embedded index does (term frequencies per field, phrases, proximity,
 * where the query's topics meet) needs the positions of the query's words in each candidate, which the engine does
 * not give back. Keyed by term, the engine sends only the query's words (`pos['word']` in the select list), not the
 * whole article: a JSON object from engineTerm to `f:p,p f:p` (f the field's index in WHOLE_FIELDS, then the
 * term's ascending positions there, each as its distance from the previous one, in base 36: about half the bytes
 * of plain positions, which is what a search reads per candidate).
 */
import type { FieldName, PostingList } from '../types.js';
import { engineTerm, WHOLE_FIELDS } from './schema.js';

/** The `pos` value of an article from its terms by position in each field. */
export function termPositions(tokensOf: (field: FieldName) => Map<number, string[]>): string {
  const byTerm = new Map<string, string[]>();
  WHOLE_FIELDS.forEach((field, f) => {
    const perTerm = new Map<string, number[]>();
    for (const [position, terms] of tokensOf(field)) {
      for (const term of terms) {
        const key = engineTerm(term);
        const positions = perTerm.get(key);
        if (positions) positions.push(position);
        else perTerm.set(key, [position]);
      }
    }
    for (const [key, positions] of perTerm) {
      positions.sort((a, b) => a - b);
      const entry = `${f}:${positions.map((position, i) => (i === 0 ? position : position - positions[i - 1]!).toString(36)).join(',')}`;
      const entries = byTerm.get(key);
      if (entries) entries.push(entry);
      else byTerm.set(key, [entry]);
    }
  });
  const object: Record<string, string> = {};
  for (const [key, entries] of byTerm) object[key] = entries.join(' ');
  return JSON.stringify(object);
}

/**
 * Postings over a few articles (document i = the i-th value) of some terms, from each term's `pos` values (null or
 * undefined: not in that article): what the embedded index's postings would hold for those articles and terms.
 */
export function positionPostings(valuesByTerm: ReadonlyMap<string, readonly (string | null | undefined)[]>): (field: FieldName, term: string) => PostingList | undefined {
  const lists = new Map<FieldName, Map<string, PostingList>>(WHOLE_FIELDS.map((field) => [field, new Map()]));
  for (const [term, values] of valuesByTerm) {
    // Per field, the list being built; documents come in ascending order, each field once per document.
    const built = WHOLE_FIELDS.map(() => ({ docs: [] as number[], tfs: [] as number[], posStart: [0], positions: [] as number[] }));
    values.forEach((value, doc) => {
      if (!value) return;
      for (const entry of value.split(' ')) {
        const colon = entry.indexOf(':');
        const list = built[Number(entry.slice(0, colon))]!;
        let position = 0;
        const deltas = entry.slice(colon + 1).split(',');
        for (const delta of deltas) list.positions.push((position += parseInt(delta, 36)));
        list.docs.push(doc);
        list.tfs.push(deltas.length);
        list.posStart.push(list.positions.length);
      }
    });
    WHOLE_FIELDS.forEach((field, f) => {
      const { docs, tfs, posStart, positions } = built[f]!;
      if (docs.length > 0) {
        lists.get(field)!.set(term, { docs: Uint32Array.from(docs), tfs: Uint32Array.from(tfs), posStart: Uint32Array.from(posStart), positions: Uint32Array.from(positions) });
      }
    });
  }
  return (field, term) => lists.get(field)?.get(term);
}
