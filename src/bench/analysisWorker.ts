/** Worker thread of the analysis throughput figure: loads one analyzer, analyses the texts it is given on 'go'. */
import { parentPort, workerData } from 'node:worker_threads';
import { createAnalyzer } from '../analysis/index.js';
import type { SegmenterName } from '../analysis/types.js';

const { segmenter, texts } = workerData as { segmenter: SegmenterName; texts: string[] };
const analyzer = createAnalyzer({ segmenter });
parentPort!.postMessage('ready');
parentPort!.once('message', () => {
  let tokens = 0;
  for (const text of texts) tokens += analyzer.analyze(text).length;
  parentPort!.postMessage(tokens);
});
