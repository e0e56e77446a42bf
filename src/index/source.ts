/**
 * What an index remembers of its articles (manifest `source`: corpus folder and user dictionary), read without
 * verifying or loading the index, and the command that rebuilds that index from them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IndexSource } from './types.js';

const GENERATION_NAME = /^\d{6,}$/;

/**
 * The source of the newest generation that records one: CURRENT's when it is readable, else the highest numbered
 * folder's (a damaged CURRENT must not turn a rebuild into one of the default corpus). Null when none says.
 */
export function readIndexSource(indexDir: string): IndexSource | null {
  const candidates = new Set<string>();
  try {
    const current = readFileSync(path.join(indexDir, 'CURRENT'), 'latin1').trim();
    if (GENERATION_NAME.test(current)) candidates.add(current);
  } catch {
    // No CURRENT: the generation folders may still tell.
  }
  try {
    const folders = readdirSync(indexDir).filter((name) => GENERATION_NAME.test(name));
    for (const name of folders.sort().reverse()) candidates.add(name);
  } catch {
    return null;
  }
  for (const generation of candidates) {
    const source = sourceOf(path.join(indexDir, generation, 'manifest.json'));
    if (source !== null) return source;
  }
  return null;
}

function sourceOf(manifestFile: string): IndexSource | null {
  try {
    const { source } = JSON.parse(readFileSync(manifestFile, 'utf8')) as { source?: Partial<IndexSource> };
    if (typeof source?.corpus !== 'string') return null;
    return { corpus: source.corpus, userDictionary: typeof source.userDictionary === 'string' ? source.userDictionary : null };
  } catch {
    return null;
  }
}

/**
 * `zhsearch reindex [--full] --corpus <the index's corpus> --index <dir>`: a command that rebuilds this very index.
 * Without a known source the corpus is left for the user to fill in, never defaulted.
 */
export function rebuildCommand(indexDir: string, source: IndexSource | null | undefined, options: { full?: boolean } = {}): string {
  const corpus = source ? shellWord(source.corpus) : '<文章目录>';
  return `zhsearch reindex${options.full ? ' --full' : ''} --corpus ${corpus} --index ${shellWord(path.resolve(indexDir))}`;
}

/** A path as one shell word: quoted when it holds anything a shell would split or expand. */
function shellWord(text: string): string {
  return /^[\p{L}\p{N}_./@%+=:,~-]+$/u.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
