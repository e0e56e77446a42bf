/** `zhsearch stats`: what the live index holds. */
import type { IndexManifest } from '../../index/types.js';
import type { IndexStats } from '../../search/types.js';
import type { ParsedArgs } from '../args.js';
import { EXIT_OK } from '../errors.js';
import { renderNewWords, renderStats } from '../format.js';
import { loadIndex } from '../load-index.js';
import { indexDirOf } from './common.js';

export async function runStats(args: ParsedArgs): Promise<number> {
  const indexDir = indexDirOf(args);
  // Loading (not just reading the manifest) verifies every file's checksum, so stats also reports a damaged index.
  const reader = await loadIndex(indexDir);
  const json = args.options.json === true;
  if (args.options['new-words'] === true) {
    const newWords = reader.newWords();
    process.stdout.write(json ? `${JSON.stringify({ newWords }, null, 2)}\n` : renderNewWords(newWords, indexDir));
    return EXIT_OK;
  }
  const stats = statsOf(reader.manifest);
  process.stdout.write(json ? `${JSON.stringify(stats, null, 2)}\n` : renderStats(stats, indexDir));
  return EXIT_OK;
}

/** The same shape as GET /api/stats, from the manifest alone (no analyzer needed). */
function statsOf(manifest: IndexManifest): IndexStats {
  return {
    articles: manifest.docCount,
    terms: manifest.termCount,
    generation: manifest.generation,
    builtAt: manifest.builtAt,
    analyzer: manifest.analyzer,
    sourceBytes: manifest.sourceBytes,
    files: manifest.files.map(({ name, bytes }) => ({ name, bytes })),
  };
}
