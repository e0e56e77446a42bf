import { readArticle } from './article.js';
import { listCorpusFiles } from './files.js';
import type { IngestOptions, IngestResult } from './types.js';

/** Files read ahead while the current one is parsed: reading waits on the disk, parsing on the CPU. */
const READ_AHEAD = 16;

/**
 * Every article of a corpus folder: first the listing errors (broken or escaping links, unreadable
 * folders), then one result per article file in id order. Bad files yield errors; the run goes on.
 */
export async function* loadCorpus(root: string, options: IngestOptions = {}): AsyncIterable<IngestResult> {
  const { files, errors } = await listCorpusFiles(root);
  for (const error of errors) yield { ok: false, error };
  const inFlight: Promise<IngestResult>[] = [];
  let next = 0;
  const startNext = (): void => {
    if (next < files.length) inFlight.push(readArticle(files[next++]!, options));
  };
  while (inFlight.length < READ_AHEAD && next < files.length) startNext();
  while (inFlight.length > 0) {
    const result = await inFlight.shift()!;
    startNext();
    yield result;
  }
}
