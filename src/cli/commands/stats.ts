/** `zhsearch stats`: what the live index holds. */
import type { IndexManifest } from '../../index/types.js';
import type { IndexStats } from '../../search/types.js';
import type { ParsedArgs } from '../args.js';
import { engineOf, openEngineBackend } from '../engine-backend.js';
import { CliError, EXIT_OK } from '../errors.js';
import { renderNewWords, renderStats } from '../format.js';
import { loadIndex } from '../load-index.js';
import { EngineUnavailableError } from '../../search/index.js';
import { corpusDirOf, indexDirOf } from './common.js';

export async function runStats(args: ParsedArgs): Promise<number> {
  const json = args.options.json === true;
  // The engine's figures, unless new words are asked for: those come from the local index, the writer's catalogue.
  const engine = args.options['new-words'] === true ? undefined : engineOf(args, 'stats');
  if (engine) {
    const backend = await openEngineBackend(engine, corpusDirOf(args));
    try {
      const stats = await backend.stats();
      process.stdout.write(json ? `${JSON.stringify(stats, null, 2)}\n` : renderStats(stats, `引擎 ${stats.generation}`, true));
    } catch (error) {
      if (error instanceof EngineUnavailableError) throw new CliError(error.message);
      throw error;
    } finally {
      await backend.close();
    }
    return EXIT_OK;
  }
  const indexDir = indexDirOf(args);
  // Loading (not just reading the manifest) verifies every file's checksum, so stats also reports a damaged index.
  const reader = await loadIndex(indexDir);
  if (args.options['new-words'] === true) {
    const newWords = reader.newWords();
    process.stdout.write(json ? `${JSON.stringify({ newWords }, null, 2)}\n` : renderNewWords(newWords, indexDir));
    return EXIT_OK;
  }
  const stats = statsOf(reader.manifest);
  const { source } = reader.manifest;
  process.stdout.write(
    json ? `${JSON.stringify(source ? { ...stats, source } : stats, null, 2)}\n` : renderStats(stats, `索引 ${indexDir}`, false, source),
  );
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
