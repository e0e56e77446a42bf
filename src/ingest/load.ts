import { readArticle } from './article.js';
import { listCorpusFiles } from './files.js';
import type { IngestOptions, IngestResult } from './types.js';

/**
 * Every article of a corpus folder: first the listing errors (broken or escaping links, unreadable
 * folders), then one result per article file in id order. Bad files yield errors; the run goes on.
 */
export async function* loadCorpus(root: string, options: IngestOptions = {}): AsyncIterable<IngestResult> {
  const { files, errors } = await listCorpusFiles(root);
  for (const error of errors) yield { ok: false, error };
  for (const file of files) yield await readArticle(file, options);
}
