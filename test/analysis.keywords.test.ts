/** Keywords by TF-IDF with IDF from the 312-article corpus, as the index stage computes them. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzer, isKeywordCandidate, isStopWord, ownWordCounts, topKeywords, type SegmenterName } from '../src/analysis/index.js';
import type { Article } from '../src/ingest/index.js';
import { loadCorpus } from '../src/ingest/index.js';
import { articlesDir } from './fixtures/analysis/corpusText.js';

let articles: Article[] = [];

beforeAll(async () => {
  for await (const result of loadCorpus(articlesDir)) if (result.ok) articles.push(result.article);
});

describe.each<SegmenterName>(['nodejieba', 'node-rs'])('corpus keywords with %s', (segmenter) => {
  it('the article 产业互联网正驶向深蓝 has 产业互联网 and 流量 among its keywords', () => {
    expect(articles.length).toBe(312);
    const analyzer = createAnalyzer({ segmenter });
    const termFreqs = articles.map((article) => {
      const counts = new Map<string, number>();
      for (const text of [article.title, article.text]) {
        for (const token of analyzer.analyze(text)) counts.set(token.term, (counts.get(token.term) ?? 0) + 1);
      }
      return counts;
    });
    const docFreq = new Map<string, number>();
    for (const counts of termFreqs) for (const term of counts.keys()) docFreq.set(term, (docFreq.get(term) ?? 0) + 1);
    const index = articles.findIndex((article) => article.title === '产业互联网正驶向深蓝');
    const keywords = topKeywords(termFreqs[index]!, (term) => docFreq.get(term) ?? 0, articles.length, 10);
    expect(keywords.slice(0, 2)).toEqual(['产业互联网', '流量']);
    expect(keywords).toContain('消费互联网');
    for (const keyword of keywords) expect(isKeywordCandidate(keyword)).toBe(true);
  });
});

describe('topKeywords', () => {
  it('leaves out stop words, single Chinese characters, numbers and punctuation', () => {
    const counts = new Map([['的', 50], ['车', 20], ['2021', 15], ['86.1', 9], ['——', 9], ['特斯拉', 3], ['续航', 2], ['ai', 1]]);
    expect(topKeywords(counts, () => 1, 100, 10)).toEqual(['特斯拉', '续航', 'ai']);
    expect(topKeywords(counts, () => 1, 100, 2)).toEqual(['特斯拉', '续航']);
  });

  it('rarer terms in the corpus rank higher at the same count; ties go by term', () => {
    const counts = new Map([['手机', 2], ['折叠屏', 2], ['屏幕', 2]]);
    const docFreq = (term: string) => ({ 手机: 80, 折叠屏: 2, 屏幕: 30 })[term] ?? 0;
    expect(topKeywords(counts, docFreq, 100, 3)).toEqual(['折叠屏', '屏幕', '手机']);
    expect(topKeywords(counts, () => 5, 100, 3)).toEqual(['屏幕', '手机', '折叠屏']);
  });

  it('counts a term only where it stands as a word, not where it is a sub-word of a longer word', () => {
    // 毫米波 ×3 emits the sub-words 毫米 and 米波 three times; 毫米 also stands alone once.
    const counts = new Map([['毫米波', 3], ['毫米', 4], ['米波', 3], ['产业互联网', 2], ['互联网', 3], ['互联', 3], ['联网', 3]]);
    expect(Object.fromEntries(ownWordCounts(counts))).toEqual({ 毫米波: 3, 毫米: 1, 米波: 0, 产业互联网: 2, 互联网: 1, 互联: 0, 联网: 0 });
    expect(topKeywords(counts, () => 1, 10, 10)).toEqual(['毫米波', '产业互联网', '互联网', '毫米']);
  });

  it('rejects a bad limit', () => {
    expect(() => topKeywords(new Map(), () => 0, 1, -1)).toThrow('topKeywords: limit must be a whole number ≥ 0, got -1');
  });
});

describe('stop words', () => {
  it('has Chinese and English function words, but not names of this domain', () => {
    for (const word of ['的', '了', '因为', 'the', 'and', 'to']) expect(isStopWord(word)).toBe(true);
    for (const word of ['it', 'who', 'us', '互联网', '产业']) expect(isStopWord(word)).toBe(false);
  });

  it('options.stopWords replaces the list (normalised) and changes the identity', () => {
    const custom = createAnalyzer({ segmenter: 'node-rs', stopWords: ['產品'] });
    const standard = createAnalyzer({ segmenter: 'node-rs' });
    expect(custom.analyze('的产品').map((t) => [t.term, t.position])).toEqual([['的', 0]]);
    expect(standard.analyze('的产品').map((t) => [t.term, t.position])).toEqual([['产品', 1]]);
    expect(custom.identity.dictHash).not.toBe(standard.identity.dictHash);
  });
});
