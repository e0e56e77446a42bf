/** Both segmenters load inside node:worker_threads (the CLI analyses in workers) and give the main thread's tokens. */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, type SegmenterName } from '../src/analysis/index.js';

const TEXT = 'Kubernetes与新基础设施：資訊安全，iPhone14';

function analyzeInWorker(segmenter: SegmenterName, text: string, release = false): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./fixtures/analysis/analyzeInWorker.mjs', import.meta.url), { workerData: { segmenter, text, release } });
    worker.once('message', (message) => {
      void worker.terminate();
      resolve(message);
    });
    worker.once('error', reject);
  });
}

describe.each<SegmenterName>(['nodejieba', 'node-rs'])('%s in a worker thread', (segmenter) => {
  it('loads and analyses exactly as on the main thread, with the same identity', async () => {
    const analyzer = createAnalyzer({ segmenter });
    const [first, second] = await Promise.all([analyzeInWorker(segmenter, TEXT), analyzeInWorker(segmenter, TEXT)]);
    const expected = { identity: analyzer.identity, tokens: analyzer.analyze(TEXT) };
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
  });

  it('analyses the same after its thread released its segmenter (loaded again at the next cut)', async () => {
    const answer = await analyzeInWorker(segmenter, TEXT, true);
    expect(answer.tokensAfterRelease).toEqual(answer.tokens);
  });
});

describe('releaseSegmenters', () => {
  it("frees nodejieba's dictionaries, which outlive their thread otherwise (~230 MB a thread, ~100 MB of it returned)", async () => {
    const answer = await analyzeInWorker('nodejieba', TEXT, true);
    expect(answer.freedBytes).toBeGreaterThan(50e6);
  });
});
