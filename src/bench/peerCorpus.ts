/** Loads a corpus with zhsearch's own ingest and segments it once for all peers, timing both steps. */
import { performance } from 'node:perf_hooks';
import { loadCorpus, type Article } from '../ingest/index.js';
import { cpuMsSince } from './stats.js';
import { createJiebaTokenizer, toPeerDoc, type PeerDoc } from './peerText.js';

export interface PeerCorpus {
  docs: PeerDoc[];
  /** Sum of the indexed files' sizes. */
  sourceBytes: number;
  /** Files ingest rejected. */
  rejected: number;
  ingestMs: number;
  segmentMs: number;
  /** CPU time (user + system) of each step. */
  ingestCpuMs: number;
  segmentCpuMs: number;
}

export async function loadPeerCorpus(root: string): Promise<PeerCorpus> {
  const articles: Article[] = [];
  let rejected = 0;
  const ingestStart = performance.now();
  const ingestCpu = process.cpuUsage();
  for await (const result of loadCorpus(root)) {
    if (!result.ok) rejected++;
    else articles.push(result.article);
  }
  const ingestMs = performance.now() - ingestStart;
  const ingestCpuMs = cpuMsSince(ingestCpu);
  const segmentStart = performance.now();
  const segmentCpu = process.cpuUsage();
  const tokenize = createJiebaTokenizer();
  const docs = articles.map((article) => toPeerDoc(article, tokenize));
  const segmentMs = performance.now() - segmentStart;
  const segmentCpuMs = cpuMsSince(segmentCpu);
  return { docs, sourceBytes: articles.reduce((sum, a) => sum + a.bytes, 0), rejected, ingestMs, segmentMs, ingestCpuMs, segmentCpuMs };
}
