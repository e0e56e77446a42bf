/**
 * Properties over random real sentences from ../shared/corpus and over random strings of awkward characters.
 *
 * Offsets, precisely: for every token, 0 ≤ start < end ≤ text.length and
 * - on real sentences, normalize(text.slice(start, end)) === term;
 * - on any string, normalize(text.slice(start, end)) contains term. (Equality can fail only where one
 *   normalisation step maps several characters to one unit sequence that the token boundary cuts.)
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzer, type Analyzer, type SegmenterName, type Token } from '../src/analysis/index.js';
import { loadCorpus } from '../src/ingest/index.js';
import { articlesDir } from './fixtures/analysis/corpusText.js';

let sentences: string[] = [];

beforeAll(async () => {
  const found: string[] = [];
  for await (const result of loadCorpus(articlesDir)) {
    if (!result.ok) continue;
    for (const text of [result.article.title, result.article.text]) {
      for (const sentence of text.split(/(?<=[。！？!?\n])/)) if (sentence.trim() !== '') found.push(sentence);
    }
  }
  sentences = found;
});

/** Characters that change length or script under normalisation, or that are easy to mis-split. */
const AWKWARD = [
  'Ａ', 'ｂ', '１', 'ﬁ', '㗲', 'e\u0301', '😀', '💪', '𠮷', 'B', 'b', '端', '資', '訊', '体', '-', '.', '1', '9', '™', 'İ', 'ー',
  'カ', 'ア', '한', ' ', '\u3000', '，', '。', '+', '#', 'C', '新', '基', '础', '设', '施', '的', '和', 'x', 'Z', '\uD800', '\uDC00', '\uFE0F', '\u0301',
  // The full-width punctuation left unfolded for terms (normalize.ts's TERM_NEUTRAL), and the full-width forms of the
  // characters that join a word (covid－19, ａ．ｂ, ａ＿ｂ, ｉ＇ｍ, AT＆T) or follow one (c＋＋, c＃), beside their ASCII forms.
  '：', '（', '）', '！', '？', '；', '－', '．', '＿', '＇', '＆', '＃', '＋', '／', '_', "'", '&',
];

function checkOffsets(analyzer: Analyzer, text: string, tokens: Token[], exact: boolean): void {
  let lastPosition = -1;
  for (const token of tokens) {
    expect(token.start).toBeGreaterThanOrEqual(0);
    expect(token.end).toBeGreaterThan(token.start);
    expect(token.end).toBeLessThanOrEqual(text.length);
    expect(token.position).toBeGreaterThanOrEqual(lastPosition);
    lastPosition = token.position;
    const source = analyzer.normalize(text.slice(token.start, token.end));
    if (exact) expect(source).toBe(token.term);
    else expect(source).toContain(token.term);
    // Every term has a letter or digit (never punctuation, a symbol or a lone combining mark).
    expect(token.term).toMatch(/[\p{L}\p{N}]/u);
    // Never a letter cut out of a Latin word.
    if (/^[a-z]$/.test(token.term)) {
      expect(/[A-Za-z0-9]/.test(text[token.start - 1] ?? '') || /[A-Za-z0-9]/.test(text[token.end] ?? '')).toBe(false);
    }
  }
}

describe.each<SegmenterName>(['nodejieba', 'node-rs'])('analysis properties with %s', (segmenter) => {
  let analyzer: Analyzer;
  beforeAll(() => {
    analyzer = createAnalyzer({ segmenter });
  });

  it('real sentences: offsets slice the source of each term; analyzeQuery equals analyze', () => {
    expect(sentences.length).toBeGreaterThan(5000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sentences.length - 1 }), (index) => {
        const text = sentences[index]!;
        const tokens = analyzer.analyze(text);
        checkOffsets(analyzer, text, tokens, true);
        expect(analyzer.analyzeQuery(text)).toEqual(tokens);
      }),
      { numRuns: 500 },
    );
  });

  it('terms() (what the index keeps) gives exactly the terms and positions of analyze(), in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sentences.length - 1 }), fc.nat(), fc.nat(200), (index, from, length) => {
        // Real sentences, also cut anywhere and run together with the next one (Traditional, full-width and Latin included).
        const whole = sentences[index]! + (sentences[index + 1] ?? '');
        const text = whole.slice(from % Math.max(1, whole.length), (from % Math.max(1, whole.length)) + length + 1);
        for (const sample of [text, sentences[index]!, '資訊安全 ＡＩ iPhone14 COVID-19 的新基础设施']) {
          const tokens = analyzer.analyze(sample);
          expect(analyzer.terms(sample)).toEqual({ terms: tokens.map((t) => t.term), positions: tokens.map((t) => t.position) });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary cuts of real sentences (even through a surrogate pair) keep offsets valid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sentences.length - 1 }), fc.nat(), fc.nat(40), (index, from, length) => {
        const sentence = sentences[index]!;
        const start = from % (sentence.length + 1);
        const text = sentence.slice(start, start + length);
        checkOffsets(analyzer, text, analyzer.analyze(text), false);
      }),
      { numRuns: 500 },
    );
  });

  it('keepsTermCharacters: where it says so, each CJK ideograph, ASCII letter and digit normalises to its lowercase self, in place', () => {
    const holds = (text: string): boolean => {
      if (!analyzer.keepsTermCharacters(text)) return false;
      const normalized = analyzer.normalize(text);
      const lower = text.toLowerCase();
      expect(normalized.length).toBe(text.length);
      expect(lower.length).toBe(text.length);
      for (let i = 0; i < normalized.length; i++) if (/[a-z0-9\u4e00-\u9fff]/.test(normalized[i]!)) expect(lower[i]).toBe(normalized[i]);
      for (const token of analyzer.analyze(text)) if (/^[a-z0-9\u4e00-\u9fff]+$/.test(token.term)) expect(lower.slice(token.start, token.end)).toBe(token.term);
      return true;
    };
    // 覆 and 么 start entries that change other text (反覆 → 反复, 么麼 → 幺麽), not this one.
    expect(holds('新基础设施，什么都覆盖 iPhone 14。')).toBe(true);
    for (const changed of ['資訊安全', '反覆', 'ＡＩ', 'ｉ', '⽶饭', 'e\u0301', 'İ', '……']) expect(holds(`新基础设施${changed}`)).toBe(false);
    // Simplified Chinese sentences, most of the corpus: the usual case must be told cheaply, not refused.
    expect(sentences.filter((text) => analyzer.keepsTermCharacters(text)).length).toBeGreaterThan(sentences.length * 0.8);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sentences.length - 1 }), (index) => {
        holds(sentences[index]!);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...AWKWARD), { maxLength: 30 }), (chars) => {
        holds(chars.join(''));
      }),
      { numRuns: 1000 },
    );
  });

  it('random strings of awkward characters', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...AWKWARD), { maxLength: 30 }), (chars) => {
        const text = chars.join('');
        const tokens = analyzer.analyze(text);
        checkOffsets(analyzer, text, tokens, false);
        expect(analyzer.analyzeQuery(text)).toEqual(tokens);
        expect(analyzer.terms(text)).toEqual({ terms: tokens.map((t) => t.term), positions: tokens.map((t) => t.position) });
      }),
      { numRuns: 1000 },
    );
  });
});
