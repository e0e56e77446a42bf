/**
 * `zhsearch stats --new-words` on a slice of the scale corpus read from its archive at test time: ten days of 新闻联播
 * (October 2023, 161 posts), nine of which speak of 加沙地带, a name jieba cuts in two (加沙 + 地带).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIndex } from '../src/index/index.js';
import { runCli } from './fixtures/cli/run-cli.js';
import { indexScaleSlice } from './fixtures/cli/scale-slice.js';

const SLICE = 'DuckBurnIncense-xin-wen-lian-bo/news/2023101*';

let tmp: string;
let index: string;

beforeAll(async () => {
  ({ tmp, index } = await indexScaleSlice('newwords', [SLICE]));
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('zhsearch stats --new-words', () => {
  it('lists 加沙地带 (加沙 + 地带) with how often and in how many posts', async () => {
    const text = await runCli(['stats', '--index', index, '--new-words'], tmp);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^ {2}加沙地带 +42 +9 {2}加沙 \+ 地带$/m);
    expect(text.stdout).toContain('按“词 词频 词性”写进用户词典 dict.txt');

    const json = await runCli(['stats', '--index', index, '--new-words', '--json'], tmp);
    const { newWords } = JSON.parse(json.stdout) as { newWords: { word: string; parts: string[]; count: number; docs: number }[] };
    expect(newWords.find((word) => word.word === '加沙地带')).toEqual({ word: '加沙地带', parts: ['加沙', '地带'], count: 42, docs: 9 });
    for (let i = 1; i < newWords.length; i++) expect(newWords[i - 1]!.count).toBeGreaterThanOrEqual(newWords[i]!.count);
  });

  it('makes 加沙地带 one keyword of the posts about it, with 地带 no keyword of its own there', async () => {
    const reader = await openIndex(index);
    const about = [...reader.documents()].map(({ doc }) => reader.stored(doc).keywords).filter((keywords) => keywords.includes('加沙地带'));
    expect(about.length).toBeGreaterThanOrEqual(5);
    for (const keywords of about) expect(keywords).not.toContain('地带');
    // The keywords field holds its words in order, so the query 加沙地带 (加沙 地带) matches it as a phrase.
    const doc = [...reader.documents()].find(({ doc }) => reader.stored(doc).keywords[0] === '加沙地带')!.doc;
    const positionOf = (term: string) => {
      const list = reader.postings('keywords', term)!;
      const i = list.docs.indexOf(doc);
      return list.positions[list.posStart[i]!];
    };
    expect([positionOf('加沙'), positionOf('地带')]).toEqual([0, 1]);
  });
});
