/**
 * nodejieba (cppjieba) behind the Segmenter interface.
 *
 * nodejieba keeps ONE dictionary per thread (its native addon state; each worker thread has its own).
 * Several segmenters with different user dictionaries therefore share it: each call first checks which
 * user dictionary is loaded and reloads (~2 s) when it is another one. One dictionary per process, the
 * normal case, loads once.
 */
import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageInfo, requireOptional } from './packageInfo.js';
import type { Segmenter } from './segmenter.js';

/** Which user dictionary (its normalised text) the nodejieba instance of this thread currently holds. */
let loadedUserDictText: string | undefined;

/**
 * nodejieba reads the user dictionary from a file: write the normalised text once per content, atomically.
 * Checked again at every (re)load, because a missing file makes cppjieba abort the process.
 */
function userDictFile(jiebaText: string): string {
  const hash = createHash('sha256').update(jiebaText).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `zhsearch-userdict-${hash}.txt`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    try {
      writeFileSync(partial, jiebaText, 'utf8');
      renameSync(partial, file);
    } catch (error) {
      throw new Error(`nodejieba: cannot write the normalised user dictionary ${file}: ${(error as Error).message}`);
    }
  }
  return file;
}

export function createNodejiebaSegmenter(userDictJiebaText: string): Segmenter {
  const nodejieba = requireOptional<typeof import('nodejieba')>('nodejieba');
  const ensureLoaded = (): void => {
    if (loadedUserDictText === userDictJiebaText) return;
    // Always a file of ours (possibly empty): without one nodejieba loads its own sample user dictionary.
    nodejieba.load({ userDict: userDictFile(userDictJiebaText) });
    loadedUserDictText = userDictJiebaText;
  };
  ensureLoaded();
  const { version } = packageInfo('nodejieba');
  return {
    name: 'nodejieba',
    version,
    cut(text) {
      ensureLoaded();
      return nodejieba.cut(text, true);
    },
    cutAll(text) {
      ensureLoaded();
      return nodejieba.cutAll(text);
    },
  };
}
