/**
 * Digests of code: work a build keeps for the next one (an incremental reindex's keywords) is valid only under the
 * code that made it, and a list of functions misses the tables and helpers they call. A stage's digest covers every
 * module of its folder.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageInfo } from './packageInfo.js';

/** The module files of `folder` (compiled or source; not declarations or source maps), names and bytes, in order. */
export function folderCodeDigest(folder: string): string {
  const hash = createHash('sha256');
  const modules = readdirSync(folder)
    .filter((name) => /\.[cm]?[jt]s$/.test(name) && !name.endsWith('.d.ts'))
    .sort();
  for (const name of modules) hash.update(`${name}\0`).update(readFileSync(path.join(folder, name))).update('\0');
  return hash.digest('hex').slice(0, 16);
}

let analysisDigest: string | undefined;

/** The analysis stage's code and the version of @node-rs/jieba, whose tagger and idf table keywords read. */
export function analysisCodeDigest(): string {
  return (analysisDigest ??= `${folderCodeDigest(path.dirname(fileURLToPath(import.meta.url)))} ${packageInfo('@node-rs/jieba').version}`);
}
