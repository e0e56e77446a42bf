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
 * nodejieba reads its dictionaries from files: write each text once per content, atomically. Checked again at every
 * (re)load, because a missing file makes cppjieba abort the process.
 */
function dictionaryFile(text: string): string {
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `zhsearch-jieba-dict-${hash}.txt`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    try {
      writeFileSync(partial, text, 'utf8');
      renameSync(partial, file);
    } catch (error) {
      throw new Error(`nodejieba：无法写入词典文件 ${file}：${(error as Error).message}`);
    }
  }
  return file;
}

/**
 * The idf and stop-word lists of nodejieba's keyword extractor, which zhsearch never calls (keywords use their own
 * idf and @node-rs/jieba's tagger): one line instead of its 6 MB idf table takes ~14 % off each load (1.09 → 0.94 CPU
 * s). cppjieba asserts both are non-empty.
 */
const UNUSED_EXTRACTOR_LIST = '的 1.0\n';

/**
 * What the thread's nodejieba holds once released: cppjieba wants a dictionary of at least one line of three columns.
 * Each load builds the dictionary twice (its segmenters' trie and an unused TextRank extractor's), ~230 MB a thread
 * that nodejieba never frees, not even when its thread exits; loading this one frees both.
 */
const RELEASED_DICTIONARY = '的 1 uj\n';

export function createNodejiebaSegmenter(userDictJiebaText: string): Segmenter {
  const nodejieba = requireOptional<typeof import('nodejieba')>('nodejieba');
  const ensureLoaded = (): void => {
    if (loadedUserDictText === userDictJiebaText) return;
    // Always a file of ours (possibly empty): without one nodejieba loads its own sample user dictionary.
    const unused = dictionaryFile(UNUSED_EXTRACTOR_LIST);
    nodejieba.load({ userDict: dictionaryFile(userDictJiebaText), idfDict: unused, stopWordDict: unused });
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
    release() {
      if (loadedUserDictText === undefined) return;
      const unused = dictionaryFile(UNUSED_EXTRACTOR_LIST);
      const dict = dictionaryFile(RELEASED_DICTIONARY);
      nodejieba.load({ dict, userDict: dictionaryFile(''), idfDict: unused, stopWordDict: unused });
      loadedUserDictText = undefined;
    },
  };
}
