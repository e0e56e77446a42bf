/**
 * Work written as steps (a generator that yields between steps) runs either at once (a CLI command) or in time
 * slices with the event loop free in between (a server loading a new generation while it answers requests).
 */
export type Steps<T> = Generator<void, T, void>;

export function runAtOnce<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The longest slice: what a request may wait behind the work when the server is busiest. */
export const MAX_SLICE_MS = 250;

/**
 * Runs steps for `sliceMs` at a time, then lets pending I/O (requests) through before going on. Under load the
 * requests let through take far longer than a slice (50 connections on the scale index: hundreds of ms), which left
 * the work a few percent of the event loop (a switch came 136 s after the reindex); so a slice lasts twice as long
 * as the requests took in between, up to MAX_SLICE_MS: the work gets two thirds of a busy event loop, and a request
 * waits behind it at most that long.
 */
export async function runInSlices<T>(steps: Steps<T>, sliceMs: number): Promise<T> {
  let slice = sliceMs;
  for (;;) {
    const deadline = performance.now() + slice;
    do {
      const step = steps.next();
      if (step.done) return step.value;
    } while (performance.now() < deadline);
    const away = performance.now();
    await new Promise<void>((resolve) => setImmediate(resolve));
    slice = Math.min(MAX_SLICE_MS, Math.max(sliceMs, 2 * (performance.now() - away)));
  }
}
