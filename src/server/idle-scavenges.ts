/**
 * A server idles between requests. V8 runs a young-generation collection as a task between them once the new space
 * is this full; at its default (80 %) a burst of requests that starts below it fills the rest and collects inside a
 * request (1–6 ms added to one answer of ~0.3 ms). At 30 % the collection falls in the gap before the burst instead,
 * with about as many collections overall (bench/RESULTS.md, "Two-term and phrase tails, round 1").
 */
import { setFlagsFromString } from 'node:v8';

/** The V8 option, also given to every system's query sessions by the bench so that they run as the server does. */
export const IDLE_SCAVENGE_FLAG = '--minor-gc-task-trigger=30';

/** Process-wide: called by startServer, which takes its process over to serve. */
export function scavengeWhileIdle(): void {
  setFlagsFromString(IDLE_SCAVENGE_FLAG);
}
