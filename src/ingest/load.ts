import { readArticle } from './article.js';
import { PLAIN_SITE } from './article.js';
import { listSiteFiles } from './site.js';
import type { IngestOptions, IngestResult } from './types.js';

/**
 * Every article of a corpus folder: first the listing errors (broken or escaping links, unreadable
 * folders) and the files the site does not publish, then one result per article file in id order.
 * Bad files yield errors; the run goes on.
 */
export async function* loadCorpus(root: string, options: IngestOptions = {}): AsyncIterable<IngestResult> {
  const { files, errors, notPublished } = await listSiteFiles(root, options.site ?? PLAIN_SITE);
  for (const error of errors) yield { ok: false, error };
  for (const skipped of notPublished) yield { ok: false, notPublished: skipped };
  for (const file of files) yield await readArticle(file, options);
}
