/** zhsearch's analysis alone (normalise, script runs, jieba, sub-words): MB/s on one thread and on several. */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createAnalyzer } from '../analysis/index.js';
import type { SegmenterName } from '../analysis/types.js';

export interface AnalysisFigures {
  segmenter: SegmenterName;
  threads: number;
  /** UTF-8 bytes of text analysed. */
  bytes: number;
  loadMs: number;
  analyzeMs: number;
  tokens: number;
}

const WORKER = new URL('./analysisWorker.js', import.meta.url);

export async function measureAnalysis(segmenter: SegmenterName, texts: readonly string[], threads: number): Promise<AnalysisFigures> {
  const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  const loadStart = performance.now();
  if (threads === 1) {
    const analyzer = createAnalyzer({ segmenter });
    const loadMs = performance.now() - loadStart;
    const start = performance.now();
    let tokens = 0;
    for (const text of texts) tokens += analyzer.analyze(text).length;
    return { segmenter, threads, bytes, loadMs, analyzeMs: performance.now() - start, tokens };
  }
  const shares: string[][] = Array.from({ length: threads }, () => []);
  texts.forEach((text, i) => shares[i % threads]!.push(text));
  const workers = shares.map((share) => new Worker(WORKER, { workerData: { segmenter, texts: share } }));
  try {
    await Promise.all(workers.map((worker) => new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject))));
    const loadMs = performance.now() - loadStart;
    const start = performance.now();
    const counts = await Promise.all(
      workers.map(
        (worker) =>
          new Promise<number>((resolve, reject) => {
            worker.once('message', resolve).once('error', reject);
            worker.postMessage('go');
          }),
      ),
    );
    return { segmenter, threads, bytes, loadMs, analyzeMs: performance.now() - start, tokens: counts.reduce((a, b) => a + b, 0) };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
