/**
 * A rebuild allocates fast and keeps little of it (each post's analysed fields read back pass after pass, the keywords'
 * lists). V8 lets the heap grow past what is live by a factor of up to 4 before the next full collection, the faster
 * it collects against how fast the program allocates; at 10x the scale corpus that garbage was most of a rebuild's peak
 * (0.93–1.0 GB; 0.853–0.855 GB with the factor fixed at 1.2: bench/RESULTS.md, "Indexing memory", rounds 13 and 14).
 */
import { setFlagsFromString } from 'node:v8';

/** The V8 option, process-wide (every thread's heap). */
export const BUILD_HEAP_FLAG = '--heap-growing-percent=20';
/** V8's own factor again (0: none fixed). */
const DEFAULT_HEAP_FLAG = '--heap-growing-percent=0';
/** The option as node's command line may name it (V8 takes - or _ between the words; NODE_OPTIONS refuses it). */
const HEAP_FLAG_NAME = /^--heap[-_]growing[-_]percent\b/;

/**
 * Runs a rebuild (`zhsearch reindex`, `start`'s indexing) with BUILD_HEAP_FLAG; what follows it (a server) without.
 * A factor the user gave node is theirs for the whole process: left alone.
 */
export async function withBuildHeap<T>(rebuild: () => Promise<T>): Promise<T> {
  if (process.execArgv.some((option) => HEAP_FLAG_NAME.test(option))) return rebuild();
  setFlagsFromString(BUILD_HEAP_FLAG);
  try {
    return await rebuild();
  } finally {
    setFlagsFromString(DEFAULT_HEAP_FLAG);
  }
}
