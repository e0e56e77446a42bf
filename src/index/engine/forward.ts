/**
 * An engine row's forward fields (its `fwd` attribute): each field's terms at their positions, as the embedded index's
 * postings hold them. The engine's full-text fields answer which articles match and rank them; re-ranking the head of
 * that ranking as the embedded index does (term frequencies per field, phrases, proximity, where the query's topics
 * meet) needs the positions of the query's words in each head article, which the engine does not give back. One line
 * per field of WHOLE_FIELDS; positions separated by spaces, the terms at one position (a word and its sub-words) by
 * commas, FILLER where there is none; terms in the engine's spelling (engineTerm: no space, comma or 4-byte UTF-8).
 */
import type { FieldName, PostingList } from '../types.js';
import { engineTerm, FILLER, WHOLE_FIELDS } from './schema.js';

/** The `fwd` value of an article from its terms by position in each field. */
export function forwardFields(tokensOf: (field: FieldName) => Map<number, string[]>): string {
  return WHOLE_FIELDS.map((field) => {
    const byPosition = tokensOf(field);
    let last = -1;
    for (const position of byPosition.keys()) if (position > last) last = position;
    const positions: string[] = new Array(last + 1).fill(FILLER);
    for (const [position, terms] of byPosition) positions[position] = terms.map(engineTerm).join(',');
    return positions.join(' ');
  }).join('\n');
}

/**
 * Postings over a few articles (document i = forwards[i]) of the given terms only, read from their `fwd` values: what
 * the embedded index's postings would hold for those articles and terms. Fields not in WHOLE_FIELDS have none.
 */
export function forwardPostings(forwards: readonly string[], terms: Iterable<string>): (field: FieldName, term: string) => PostingList | undefined {
  const byEngineTerm = new Map<string, string>();
  for (const term of terms) byEngineTerm.set(engineTerm(term), term);
  // Per field and term: per document, its positions.
  const found = new Map<FieldName, Map<string, number[][]>>(WHOLE_FIELDS.map((field) => [field, new Map()]));
  forwards.forEach((forward, doc) => {
    const lines = forward.split('\n');
    WHOLE_FIELDS.forEach((field, f) => {
      const line = lines[f];
      if (!line) return;
      const perTerm = found.get(field)!;
      const positions = line.split(' ');
      for (let p = 0; p < positions.length; p++) {
        const at = positions[p]!;
        if (at === FILLER) continue;
        for (const spelled of at.includes(',') ? at.split(',') : [at]) {
          const term = byEngineTerm.get(spelled);
          if (term === undefined) continue;
          let perDoc = perTerm.get(term);
          if (!perDoc) perTerm.set(term, (perDoc = []));
          (perDoc[doc] ??= []).push(p);
        }
      }
    });
  });
  const lists = new Map<FieldName, Map<string, PostingList>>();
  for (const [field, perTerm] of found) {
    const byTerm = new Map<string, PostingList>();
    for (const [term, perDoc] of perTerm) byTerm.set(term, postingList(perDoc));
    lists.set(field, byTerm);
  }
  return (field, term) => lists.get(field)?.get(term);
}

/** A posting list from each document's ascending positions (documents without any left out). */
function postingList(perDoc: number[][]): PostingList {
  const docs: number[] = [];
  const tfs: number[] = [];
  const posStart: number[] = [0];
  const positions: number[] = [];
  perDoc.forEach((list, doc) => {
    if (!list) return;
    docs.push(doc);
    tfs.push(list.length);
    positions.push(...list);
    posStart.push(positions.length);
  });
  return { docs: Uint32Array.from(docs), tfs: Uint32Array.from(tfs), posStart: Uint32Array.from(posStart), positions: Uint32Array.from(positions) };
}
