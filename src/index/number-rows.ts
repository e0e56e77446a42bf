/**
 * Rows of a fixed number of numbers (float64), numbered as they are added, in chunks of a fixed size: a build's
 * per-document tables (DocumentRows, SpillPlaces). One array doubled as it grew was up to half empty, and each doubling
 * left the old one as garbage until collected: a table of seven columns and five spills' places for 278,550 documents
 * (10× the scale corpus) held 93 MiB of array buffers at the end, 47 MiB once collected; in chunks 37 MiB.
 */
const CHUNK_BITS = 12;
const CHUNK_ROWS = 1 << CHUNK_BITS;
const ROW_MASK = CHUNK_ROWS - 1;

export class NumberRows {
  private chunks: Float64Array[] = [];
  private count = 0;

  constructor(private readonly width: number) {}

  get size(): number {
    return this.count;
  }

  /** A new row, its numbers 0; returns its number. */
  add(): number {
    if ((this.count & ROW_MASK) === 0) this.chunks.push(new Float64Array(CHUNK_ROWS * this.width));
    return this.count++;
  }

  /** NaN for a row not added (or forgotten by clear()). */
  get(row: number, column: number): number {
    return row < this.count ? this.chunks[row >>> CHUNK_BITS][(row & ROW_MASK) * this.width + column] : NaN;
  }

  set(row: number, column: number, value: number): void {
    this.chunks[row >>> CHUNK_BITS][(row & ROW_MASK) * this.width + column] = value;
  }

  /** Forgets every row. */
  clear(): void {
    this.chunks = [];
    this.count = 0;
  }
}
