/**
 * The rebuild's V8 setting (src/cli/build-heap.ts): inside withBuildHeap the heap grows 1.2x past what is live before
 * a full collection, instead of V8's own factor (up to 4x); after it, V8's own again (a server may follow in the
 * process), unless the user gave node a factor: then theirs throughout. Measured in child processes (the setting is
 * process-wide), real V8, no stand-ins.
 */
import { expect, it } from 'vitest';
import { childJson } from './fixtures/child-json.js';

/**
 * The most heap used while a live set of ~45 MB is replaced part by part: inside withBuildHeap or not, and after
 * (node given `nodeArgs`).
 */
function heapPeaks(setting: string[], nodeArgs: string[] = []): Promise<{ during: number; after: number }> {
  return childJson('test/fixtures/cli/build-heap-churn.ts', setting, nodeArgs);
}

it('withBuildHeap lets the heap grow less past what is live, and gives V8 its own factor back when the rebuild ends', async () => {
  const [defaults, rebuild] = await Promise.all([heapPeaks([]), heapPeaks(['build-heap'])]);
  // Measured (load 10): 268–282 MB with V8's defaults, 100–110 MB inside withBuildHeap, 270–281 MB after it.
  expect(rebuild.during).toBeLessThan(0.6 * defaults.during);
  expect(rebuild.after).toBeGreaterThan(0.8 * defaults.after);
}, 60_000);

it('withBuildHeap leaves a growing factor the user gave node alone, after the rebuild too', async () => {
  // The user's 1.2x on node's command line: a rebuild setting V8's own factor back when it ends would lift the peak after it.
  const [defaults, own] = await Promise.all([heapPeaks([]), heapPeaks(['build-heap'], ['--heap-growing-percent=20'])]);
  expect(own.during).toBeLessThan(0.6 * defaults.during);
  expect(own.after).toBeLessThan(0.6 * defaults.after);
}, 60_000);
