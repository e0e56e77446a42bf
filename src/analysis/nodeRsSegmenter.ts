/** @node-rs/jieba (jieba-rs) behind the Segmenter interface: one independent instance per segmenter. */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { packageInfo } from './packageInfo.js';
import type { Segmenter } from './segmenter.js';

export function createNodeRsSegmenter(userDictJiebaText: string): Segmenter {
  const jieba = Jieba.withDict(dict);
  if (userDictJiebaText !== '') jieba.loadDict(Buffer.from(userDictJiebaText, 'utf8'));
  const { version } = packageInfo('@node-rs/jieba');
  return {
    name: 'node-rs',
    version,
    cut: (text) => jieba.cut(text, true),
    cutAll: (text) => jieba.cutAll(text),
  };
}
