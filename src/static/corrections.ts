/**
 * The static runtime's "did you mean" (the server's correction), over the terms filed under the query's correction
 * keys (format.ts, c*.bin). Loaded by the runtime when a search first finds little: a chunk of its own in the page.
 */
import { queryCorrectionKeys, SpellingCorrector } from '../search/portable-aids.js';
import { correctionFile, readJson } from './bucket-files.js';
import type { CorrectionBucket, LaterManifest } from './format.js';
import type { RuntimeAccess } from './runtime.js';

export function staticCorrector(runtime: RuntimeAccess, manifest: LaterManifest): (q: string, nothingFound: boolean) => Promise<string | null> {
  /** Known terms fetched for corrections so far, with their document frequencies. */
  const correctionTerms = new Map<string, number>();
  const loadCorrections = runtime.bucketLoader(manifest.correctionBuckets, (bucket) => correctionFile(manifest, bucket), readJson<CorrectionBucket>, (content) => {
    for (const list of Object.values(content)) for (const [term, docFreq] of list) correctionTerms.set(term, docFreq);
  });
  let corrector: SpellingCorrector | undefined;
  return async (q, nothingFound) => {
    const normalized = runtime.analyzer().normalize(q);
    // A corrector indexes its terms once (patterns of every term): a new one only when more terms came.
    if ((await loadCorrections(queryCorrectionKeys(normalized, nothingFound))) || !corrector) {
      corrector = new SpellingCorrector({ terms: () => correctionTerms.keys(), docFreq: (term) => correctionTerms.get(term) ?? 0 });
    }
    return corrector.correct(normalized, q, nothingFound);
  };
}
