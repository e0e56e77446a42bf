/** A growable pair of Int32Arrays: for each output UTF-16 unit, the [start, end) of the input it came from. */
export class OffsetMapBuilder {
  private starts: Int32Array;
  private ends: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.starts = new Int32Array(Math.max(16, capacity));
    this.ends = new Int32Array(Math.max(16, capacity));
  }

  /** `count` output units copied one to one from input units starting at `from`. */
  pushIdentity(from: number, count: number): void {
    this.reserve(count);
    for (let k = 0; k < count; k++) {
      this.starts[this.length] = from + k;
      this.ends[this.length] = from + k + 1;
      this.length++;
    }
  }

  /** `count` output units that all came from the input span [start, end). */
  pushSpan(start: number, end: number, count: number): void {
    this.reserve(count);
    for (let k = 0; k < count; k++) {
      this.starts[this.length] = start;
      this.ends[this.length] = end;
      this.length++;
    }
  }

  build(): { sourceStart: Int32Array; sourceEnd: Int32Array } {
    return { sourceStart: this.starts.subarray(0, this.length), sourceEnd: this.ends.subarray(0, this.length) };
  }

  private reserve(count: number): void {
    if (this.length + count <= this.starts.length) return;
    const capacity = Math.max(this.starts.length * 2, this.length + count);
    const starts = new Int32Array(capacity);
    const ends = new Int32Array(capacity);
    starts.set(this.starts.subarray(0, this.length));
    ends.set(this.ends.subarray(0, this.length));
    this.starts = starts;
    this.ends = ends;
  }
}
