/** Keywords by part of speech and TF-IDF with idf from the 312-article corpus and general Chinese, as the index stage computes them. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createAnalyzer,
  createLexicon,
  isGenericWord,
  isKeywordCandidate,
  isStopWord,
  keywordIdf,
  keywordWeightOf,
  nextOccurrence,
  occurrencesIn,
  ownWordCounts,
  topKeywords,
  type SegmenterName,
} from '../src/analysis/index.js';
import type { Article } from '../src/ingest/index.js';
import { loadCorpus } from '../src/ingest/index.js';
import { articlesDir } from './fixtures/analysis/corpusText.js';

let articles: Article[] = [];
const lexicon = createLexicon();

beforeAll(async () => {
  for await (const result of loadCorpus(articlesDir)) if (result.ok) articles.push(result.article);
});

describe.each<SegmenterName>(['nodejieba', 'node-rs'])('corpus keywords with %s', (segmenter) => {
  it('the article 产业互联网正驶向深蓝 has 产业互联网 first and 流量, 消费互联网 among its keywords, and no generic word', () => {
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
    const keywords = topKeywords(termFreqs[index]!, (term) => docFreq.get(term) ?? 0, articles.length, 10, lexicon);
    expect(keywords[0]).toBe('产业互联网');
    expect(keywords).toEqual(expect.arrayContaining(['流量', '消费互联网']));
    const tags = lexicon.tag(keywords);
    keywords.forEach((keyword, i) => {
      expect(isKeywordCandidate(keyword)).toBe(true);
      expect(isGenericWord(keyword, tags[i]!), keyword).toBe(false);
    });
  });
});

describe('topKeywords', () => {
  it('leaves out stop words, single Chinese characters, numbers, punctuation, verbs and amounts', () => {
    const counts = new Map([['的', 50], ['车', 20], ['2021', 15], ['86.1', 9], ['——', 9], ['增长', 9], ['亿元', 9], ['特斯拉', 3], ['续航', 2], ['ai', 1]]);
    expect(topKeywords(counts, () => 1, 100, 10, lexicon)).toEqual(['特斯拉', '续航', 'ai']);
    expect(topKeywords(counts, () => 1, 100, 2, lexicon)).toEqual(['特斯拉', '续航']);
  });

  it('rarer terms in the corpus rank higher at the same count; at the same corpus frequency, rarer ones in general Chinese', () => {
    const counts = new Map([['手机', 2], ['折叠屏', 2], ['屏幕', 2]]);
    const docFreq = (term: string) => ({ 手机: 80, 折叠屏: 2, 屏幕: 30 })[term] ?? 0;
    expect(topKeywords(counts, docFreq, 100, 3, lexicon)).toEqual(['折叠屏', '屏幕', '手机']);
    // General idf: 手机 6.2, 屏幕 8.8, 折叠屏 not in the table (its median, 12.0).
    expect(topKeywords(counts, () => 80, 100, 3, lexicon)).toEqual(['折叠屏', '屏幕', '手机']);
  });

  it('sinks words common in all Chinese writing even where a small corpus has them as rarely as a topic', () => {
    const counts = new Map([['全国', 3], ['手办', 3], ['举办', 3], ['增长', 5]]);
    expect(topKeywords(counts, () => 3, 313, 10, lexicon)).toEqual(['手办', '全国']);
    // 313 documents: general Chinese weighs 1000 / 1313 of the idf; at 27,855 documents 3.5 %.
    expect(keywordIdf(3, 313, 4.75)).toBeCloseTo(0.238 * Math.log(1 + 310.5 / 3.5) + 0.762 * 4.75, 2);
    expect(keywordIdf(3, 27_855, 4.75)).toBeCloseTo((27_855 / 28_855) * Math.log(1 + 27_852.5 / 3.5) + (1000 / 28_855) * 4.75, 6);
  });

  it('counts a term only where it stands as a word, not where it is a sub-word of a longer word', () => {
    // 毫米波 ×3 emits the sub-words 毫米 and 米波 three times; 毫米 also stands alone once.
    const counts = new Map([['毫米波', 3], ['毫米', 4], ['米波', 3], ['产业互联网', 2], ['互联网', 3], ['互联', 3], ['联网', 3]]);
    expect(Object.fromEntries(ownWordCounts(counts))).toEqual({ 毫米波: 3, 毫米: 1, 米波: 0, 产业互联网: 2, 互联网: 1, 互联: 0, 联网: 0 });
    // 毫米 is a measure word (q), 毫米波 a set phrase (l, half weight).
    expect(topKeywords(counts, () => 1, 10, 10, lexicon)).toEqual(['产业互联网', '毫米波', '互联网']);
  });

  it('finds a term written in text: a Latin word or number whole at whichever end it has one, Chinese anywhere', () => {
    const text = 'edit it 用javascript写, 用java写, 3d打印和 5g 与 5g手机 it';
    expect(occurrencesIn(text, 'it')).toBe(2);
    expect(nextOccurrence(text, 'it', 6)).toBe(text.lastIndexOf('it'));
    // Chinese at the start, Latin at the end: glued at the end in 用javascript, whole in 用java写.
    expect(nextOccurrence(text, '用java')).toBe(text.indexOf('用java写'));
    expect(occurrencesIn(text, '5g')).toBe(2);
    expect(occurrencesIn(text, '打印')).toBe(1);
    expect(occurrencesIn(text, '')).toBe(0);
  });

  it('rejects a bad limit', () => {
    expect(() => topKeywords(new Map(), () => 0, 1, -1, lexicon)).toThrow('topKeywords: limit must be a whole number ≥ 0, got -1');
  });
});

describe('parts of speech', () => {
  it("tags terms with @node-rs/jieba's tagger and the user dictionary, a compound by its words", () => {
    expect(lexicon.tag(['加沙地带', '同比增长', '亿元', '产业互联网', 'steam'])).toEqual([
      [{ word: '加沙', tag: 'ns' }, { word: '地带', tag: 'n' }],
      [{ word: '同比', tag: 'j' }, { word: '增长', tag: 'v' }],
      [{ word: '亿元', tag: 'm' }],
      [{ word: '产业互联网', tag: 'n' }],
      [{ word: 'steam', tag: 'eng' }],
    ]);
  });

  it('weighs nouns and names 1, verbal nouns ½, verbs, amounts and measure words 0; a compound by its head (last word)', () => {
    const terms = ['加沙地带', '习近平', '伊朗', '新华社', '设计', '增长', '亿元', '系列', '同比增长', '很', 'cpu'];
    expect([...lexicon.keywordWeights(terms)]).toEqual([1, 1, 1, 1, 0.5, 0, 0, 0, 0, 0, 1]);
    expect(keywordWeightOf([])).toBe(0);
  });

  it('weighs 0 a time phrase the dictionary keeps whole (a time word and no noun after it), not a name starting with one', () => {
    const terms = ['去年同期', '去年底', '上周末', '今日头条', '明日方舟', '下午茶'];
    expect([...lexicon.keywordWeights(terms)]).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('calls generic what a reader would not click: one character, verbs, numerals, measure words, adverbs, adjectives', () => {
    const terms = ['增长', '亿元', '系列', '非常', '重要', '车', '加沙地带', '游戏', '全国'];
    const tags = lexicon.tag(terms);
    expect(terms.filter((term, i) => isGenericWord(term, tags[i]!))).toEqual(['增长', '亿元', '系列', '非常', '重要', '车']);
  });

  it('knows general idf from the table @node-rs/jieba ships; an unlisted word gets its median', () => {
    expect(lexicon.backgroundIdf('增长')).toBeCloseTo(4.2435, 4);
    expect(lexicon.backgroundIdf('加沙')).toBeCloseTo(10.9562, 4);
    expect(lexicon.backgroundIdf('加沙地带')).toBe(lexicon.backgroundIdf('no-such-word'));
    expect(lexicon.backgroundIdf('no-such-word')).toBeCloseTo(11.95, 2);
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
