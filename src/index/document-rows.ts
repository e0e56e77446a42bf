/**
 * Where each document of an IndexBuilder waits for the index to be written: a row of numbers (its handles in the
 * builder's spills and its text's sizes) in NumberRows. A ForwardDocument object apiece, with its spill
 * place another object and its properties an array of their own, was ~170 bytes a post held through the whole build
 * (~47 MB at 10× the scale corpus).
 */
import { NumberRows } from './number-rows.js';

/** A document's row. */
export interface DocumentRow {
  /** Its stored fields but text and keywords, as JSON: a handle in the builder's `metas`. */
  meta: number;
  /** Its text: a handle in the builder's `texts`, or −1 − its number in the index the builder was made from. */
  text: number;
  textLength: number;
  textBytes: number;
  /** Its analysed fields (packForward): a handle in the builder's ForwardSpill. */
  forward: number;
  /** Its edge clauses (packed): a handle in the builder's `edges`; −1 until worked out from its text at build. */
  edges: number;
  /** Where its keywords field starts in the builder's `keywordFields`; −1: none. */
  keywords: number;
  /** Its keywords' counts and weights (Keyword), as JSON: a handle in the builder's `keywordScores`; −1: none. */
  scores: number;
}

const COLUMNS = ['meta', 'text', 'textLength', 'textBytes', 'forward', 'edges', 'keywords', 'scores'] as const;
const COLUMN = Object.fromEntries(COLUMNS.map((name, k) => [name, k])) as Record<keyof DocumentRow, number>;

export class DocumentRows {
  private readonly numbers = new NumberRows(COLUMNS.length);

  /** A new row (its keywords none yet); returns its number. */
  add(row: Omit<DocumentRow, 'keywords' | 'scores'>): number {
    const at = this.numbers.add();
    for (const name of COLUMNS) this.numbers.set(at, COLUMN[name], name === 'keywords' || name === 'scores' ? -1 : row[name]);
    return at;
  }

  get(row: number, column: keyof DocumentRow): number {
    return this.numbers.get(row, COLUMN[column]);
  }

  set(row: number, column: 'edges' | 'keywords' | 'scores', value: number): void {
    this.numbers.set(row, COLUMN[column], value);
  }

  clear(): void {
    this.numbers.clear();
  }
}
