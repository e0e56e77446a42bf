/**
 * The segmentations of Chinese runs of two to four UTF-16 units, by their units: a run met again is cut from here, not
 * sent to the segmenter. The tokenizer's runs are each cut on their own (joined by a boundary), so a run's words
 * depend on its text alone. On a 10 % scale sample short runs are 101,635 of the 353,908 runs a round (27,354
 * distinct), and each cost the segmenter a block, a separator and a string per word.
 */

/**
 * Runs kept before all are forgotten (the table then starts again); its slots, at most half full, take 1.5 MB. A
 * quarter of this kept too few of the sample's runs to gain anything.
 */
const LIMIT = 1 << 16;
const SLOT_BITS = 17;
const SLOT_COUNT = 1 << SLOT_BITS;

export class ShortRuns {
  /** Triples (key of units 0–1, key of units 2–3, word ends), 0 0 0 where empty. */
  private readonly slots = new Int32Array(3 * SLOT_COUNT);
  private size = 0;

  /**
   * The word ends inside the run [start, end) of `text` (2 ≤ end − start ≤ 4): bit k set when a word ends after its unit
   * k + 1, and bit 3 always (0: not known).
   */
  wordEnds(text: string, start: number, end: number): number {
    const high = highKey(text, start);
    const low = lowKey(text, start, end);
    const slots = this.slots;
    for (let slot = slotOf(high, low); ; slot = (slot + 1) & (SLOT_COUNT - 1)) {
      const ends = slots[3 * slot + 2]!;
      if (ends === 0 || (slots[3 * slot] === high && slots[3 * slot + 1] === low)) return ends;
    }
  }

  /** Records the word ends of a run (as wordEnds gives them). */
  remember(text: string, start: number, end: number, ends: number): void {
    if (this.size === LIMIT) {
      this.slots.fill(0);
      this.size = 0;
    }
    const high = highKey(text, start);
    const low = lowKey(text, start, end);
    const slots = this.slots;
    let slot = slotOf(high, low);
    for (; slots[3 * slot + 2] !== 0; slot = (slot + 1) & (SLOT_COUNT - 1)) {
      if (slots[3 * slot] === high && slots[3 * slot + 1] === low) return;
    }
    slots[3 * slot] = high;
    slots[3 * slot + 1] = low;
    slots[3 * slot + 2] = ends;
    this.size += 1;
  }
}

/** The longest run kept, in UTF-16 units. */
export const MAX_SHORT_RUN = 4;

/** Always set in a known run's word ends. */
export const KNOWN_ENDS = 1 << 3;

/** Units 0 and 1 of the run. */
function highKey(text: string, start: number): number {
  return (text.charCodeAt(start) << 16) | text.charCodeAt(start + 1);
}

/**
 * Units 2 and 3, as many as there are: 0 for two, the unit for three, both for four. A Chinese run's units are never
 * 0, and its third unit is at least U+2E80 (CJK radicals) or a surrogate, so the three cases never share a key.
 */
function lowKey(text: string, start: number, end: number): number {
  const length = end - start;
  if (length === 2) return 0;
  const third = text.charCodeAt(start + 2);
  return length === 3 ? third : (third << 16) | text.charCodeAt(start + 3);
}

function slotOf(high: number, low: number): number {
  return Math.imul(high ^ Math.imul(low, 0x85ebca6b), 0x9e3779b1) >>> (32 - SLOT_BITS);
}
