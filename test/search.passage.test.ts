/**
 * Passage scoring of a two-topic query on a slice of the scale corpus read from its archive at test time: August 2025
 * of 新闻联播 and the laws of Shandong (875 posts), where a news report has a paragraph on elderly people's digital
 * skills and a long law on elderly education says 老年人 throughout but 数字 rarely.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { analyzerForIndex, createSearchService } from '../src/search/index.js';
import { openedScaleSlice } from './fixtures/cli/scale-slice.js';

const SLICES = ['DuckBurnIncense-xin-wen-lian-bo/news/202508*', 'LawRefBook-Laws/DLC/山东地方法规/地方性法规/山东/*'];
const REPORT = 'DuckBurnIncense-xin-wen-lian-bo/news/20250819/06.md';
const LAW = 'LawRefBook-Laws/DLC/山东地方法规/地方性法规/山东/山东省老年教育条例(2021-09-30).md';

const slice = openedScaleSlice('passage', SLICES);

it('ranks the report with a paragraph on 老年人 and 数字 before the long law on elderly education', () => {
  expect(slice.reader.docCount).toBe(875);
  const analyzer = analyzerForIndex(slice.reader.manifest.analyzer);
  const top2 = (config = {}) =>
    createSearchService(slice.reader, analyzer, config)
      .search({ q: '老年人 数字鸿沟', size: 2, facets: false, snippets: false })
      .hits.map((hit) => hit.id);
  expect(top2()).toEqual([REPORT, LAW]);
  // The report's paragraph: a 银龄数字课堂 teaching 老年人 digital skills (graded 2 for this query in ../shared/eval).
  const sentences = readFileSync(path.join(slice.corpus, REPORT), 'utf8').split('。');
  expect(sentences.some((sentence) => sentence.includes('老年人') && sentence.includes('数字课堂'))).toBe(true);
  // Without passage scoring the law, which says 老年人 throughout (graded 0), comes first.
  expect(top2({ passageWeight: 0 })).toEqual([LAW, REPORT]);
});
