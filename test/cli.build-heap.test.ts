/**
 * The rebuild's V8 setting (src/cli/build-heap.ts): inside withBuildHeap the heap grows 1.2x past what is live before
 * a full collection, instead of V8's own factor (up to 4x); after it, V8's own again (a server may follow in the
 * process). Measured in child processes (the setting is process-wide), real V8, no stand-ins.
 */
import { expect, it } from 'vitest';
import { childJson } from './fixtures/child-json.js';

/** The most heap used while a live set of ~45 MB is replaced part by part: inside withBuildHeap or not, and after. */
function heapPeaks(setting: string[]): Promise<{ during: number; after: number }> {
  return childJson('test/fixtures/cli/build-heap-churn.ts', setting);
}

it('withBuildHeap lets the heap grow less past what is live, and gives V8 its own factor back when the rebuild ends', async () => {
  const [defaults, rebuild] = await Promise.all([heapPeaks([]), heapPeaks(['build-heap'])]);
  // Measured (load 10): 268–282 MB with V8's defaults, 100–110 MB inside withBuildHeap, 270–281 MB after it.
  expect(rebuild.during).toBeLessThan(0.6 * defaults.during);
  expect(rebuild.after).toBeGreaterThan(0.8 * defaults.after);
}, 60_000);
