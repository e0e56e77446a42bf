/**
 * A rebuild allocates fast and keeps little of it (each post's analysed fields read back pass after pass, the keywords'
 * lists). V8 lets the heap grow past what is live by a factor of up to 4 before the next full collection, the faster
 * it collects against how fast the program allocates; at 10x the scale corpus that garbage was most of a rebuild's peak
 * (0.93–1.0 GB; 0.85–0.88 GB with the factor fixed at 1.2: bench/RESULTS.md, "Indexing memory", rounds 13 and 14).
 */
import { setFlagsFromString } from 'node:v8';

/** The V8 option, process-wide (every thread's heap). */
export const BUILD_HEAP_FLAG = '--heap-growing-percent=20';
/** V8's own factor again (0: none fixed). */
const DEFAULT_HEAP_FLAG = '--heap-growing-percent=0';

/** Runs a rebuild (`zhsearch reindex`, `start`'s indexing) with BUILD_HEAP_FLAG; what follows it (a server) without. */
export async function withBuildHeap<T>(rebuild: () => Promise<T>): Promise<T> {
  setFlagsFromString(BUILD_HEAP_FLAG);
  try {
    return await rebuild();
  } finally {
    setFlagsFromString(DEFAULT_HEAP_FLAG);
  }
}
