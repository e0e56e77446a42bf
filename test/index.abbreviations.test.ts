/**
 * Abbreviations learned at index time, on a slice of the scale corpus read from its archive at test time: October 2023
 * of 新闻联播 (467 posts), where reports name 以色列军方 and 乌克兰军方 and then write 以军 and 乌军.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIndex } from '../src/index/index.js';
import type { IndexReader } from '../src/index/types.js';
import { analyzerForIndex, createSearchService } from '../src/search/index.js';
import { indexScaleSlice } from './fixtures/cli/scale-slice.js';

const SLICE = 'DuckBurnIncense-xin-wen-lian-bo/news/202310*';

let tmp: string;
let reader: IndexReader;

beforeAll(async () => {
  const slice = await indexScaleSlice('abbreviations', [SLICE]);
  tmp = slice.tmp;
  reader = await openIndex(slice.index);
}, 180_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('abbreviations learned from the corpus', () => {
  it('finds 以军, 乌军, 乌方, 巴新 and 环保 with their full forms, and no word that only occurs inside longer ones', () => {
    expect(reader.docCount).toBe(467);
    const learned = new Map(reader.abbreviations().map(({ word, forms }) => [word, forms.map((form) => form.words.join(' '))]));
    expect([...learned]).toEqual([
      ['乌军', ['乌克兰 军方']],
      ['乌方', ['乌克兰 方面']],
      ['以军', ['以色列 军方', '以色列 军队']],
      ['巴新', ['巴布亚新几内亚']],
      ['环保', ['环境保护']],
    ]);
  });

  it('are counted on a thread of their own at a build, and a thread that fails says so and answers nothing', async () => {
    // The compiled module: a thread cannot load the TypeScript sources.
    const thread = (await import('../dist/index/counting-thread.js')) as typeof import('../src/index/counting-thread.js');
    // One post whose fields lie in a file that is not open (no process has a billion files open).
    const forwards = { kept: [null], at: new Float64Array(1), bytes: new Uint32Array([64]), fd: 1 << 30, size: 64 };
    const counting = new thread.CountingThread(0).count({ ...thread.joinedTerms(['以军', '以色列', '军方']), forwards });
    await expect(counting.pairs).rejects.toThrow(/^统计与编码线程失败：.*EBADF/);
    await expect(counting.forms).rejects.toThrow(/^统计与编码线程失败：.*EBADF/);
  });

  it('expands a query for 以军 to 以色列 军方 at search time, shown in expanded, finding posts that never write 以军', () => {
    const analyzer = analyzerForIndex(reader.manifest.analyzer);
    // Without the built-in list, so what is found comes from the corpus alone.
    const learned = createSearchService(reader, analyzer, {}, { builtInSynonyms: false });
    const none = createSearchService(reader, analyzer, {}, { builtInSynonyms: false, learned: [] });
    const result = learned.search({ q: '以军', size: 100 });
    expect(result.expanded).toEqual([{ word: '以军', to: ['以色列 军方', '以色列 军队'] }]);
    expect(none.search({ q: '以军' }).expanded).toEqual([]);
    const withoutWord = result.hits.filter((hit) => !hit.matched_terms.includes('以军'));
    expect(withoutWord.length).toBeGreaterThan(0);
    expect(withoutWord[0]!.matched_terms).toEqual(expect.arrayContaining(['以色列', '军方']));
    // A synonym counts half as much as the word typed: the first posts write 以军.
    expect(result.hits.slice(0, 5).every((hit) => hit.matched_terms.includes('以军'))).toBe(true);
    expect(result.total).toBeGreaterThan(none.search({ q: '以军' }).total);
  });
});
