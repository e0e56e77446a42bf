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

/** Runs steps for up to `sliceMs` at a time, then lets pending I/O (requests) through before going on. */
export async function runInSlices<T>(steps: Steps<T>, sliceMs: number): Promise<T> {
  for (;;) {
    const deadline = performance.now() + sliceMs;
    do {
      const step = steps.next();
      if (step.done) return step.value;
    } while (performance.now() < deadline);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
