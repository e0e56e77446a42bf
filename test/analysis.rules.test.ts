/** Rules of the analyzer on hand-written strings: Latin words, normalisation edge cases, options, identity. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANALYSIS_RULES_VERSION, createAnalyzer, defaultUserDictPath, traditionalToSimplifiedEntries, traditionalToSimplifiedTable, type Token } from '../src/analysis/index.js';
import { ConversionTrie } from '../src/analysis/portable.js';

const rows = (tokens: Token[]) => tokens.map((t) => [t.term, t.position, t.start, t.end]);
const analyzer = createAnalyzer({ segmenter: 'node-rs' });

describe('Latin and other whole words', () => {
  it('keeps c++, c#, node.js, version numbers and letter/digit mixes whole, with their parts as sub-words', () => {
    expect(rows(analyzer.analyze('C++和C#，Node.js与gRPC'))).toEqual([
      ['c++', 0, 0, 3], ['c#', 2, 4, 6], ['node.js', 3, 7, 14], ['node', 3, 7, 11], ['js', 3, 12, 14], ['grpc', 5, 15, 19],
    ]);
    expect(rows(analyzer.analyze('iPhone14、5G手机、2022年'))).toEqual([
      ['iphone14', 0, 0, 8], ['iphone', 0, 0, 6], ['14', 0, 6, 8], ['5g', 1, 9, 11], ['手机', 2, 11, 13], ['2022', 3, 14, 18],
      ['年', 4, 18, 19],
    ]);
  });

  it('never splits a Latin word into letters; a lone letter stays a word, and a dictionary letter word joins its Chinese', () => {
    expect(rows(analyzer.analyze('to B与A股、AB端'))).toEqual([
      ['b', 1, 3, 4], ['a股', 3, 5, 7], ['ab', 4, 8, 10], ['端', 5, 10, 11],
    ]);
  });

  it("an English clitic is no sub-word: paul's also matches paul, i've gives no ve", () => {
    expect(rows(analyzer.analyze("Paul's i've"))).toEqual([["paul's", 0, 0, 6], ['paul', 0, 0, 4], ["i've", 1, 7, 11]]);
  });

  it('keeps kana and Hangul runs whole instead of character by character', () => {
    expect(analyzer.analyze('プリティーダービー 한국어').map((t) => t.term)).toEqual(['プリティーダービー', '한국어']);
  });
});

describe('normalisation keeps offsets into the original text', () => {
  it('a ligature expands (ﬁ → fi), a symbol is not folded into letters (™ is not tm)', () => {
    expect(rows(analyzer.analyze('Windows™的ﬁle'))).toEqual([['windows', 0, 0, 7], ['file', 2, 9, 12]]);
  });

  it('the full-width punctuation terms() leaves unfolded (，：（）！？；) gives the terms of its ASCII forms, beside words, joiners and a mark', () => {
    const text = 'v1，2：C（x）！a？b；中文，Node．js，v1．2，\u0301字（c＋＋）';
    const ascii = text.replace(/[，：（）！？；]/g, (mark) => String.fromCharCode(mark.charCodeAt(0) - 0xfee0));
    const tokens = analyzer.analyze(text);
    expect(analyzer.terms(text)).toEqual({ terms: tokens.map((t) => t.term), positions: tokens.map((t) => t.position) });
    expect(analyzer.terms(text)).toEqual(analyzer.terms(ascii));
    // No Traditional → Simplified entry holds one, in either form.
    const entries = [...traditionalToSimplifiedEntries()].flat().join('');
    expect([...'，：（）！？；,:()!?;'].filter((mark) => entries.includes(mark))).toEqual([]);
  });

  it('a ConversionTrie (the static runtime\'s table) with every entry matches as the Node table (opencc-js\'s Trie) at every offset', () => {
    const entries = [...traditionalToSimplifiedEntries()];
    const trie = new ConversionTrie();
    for (const [source, target] of entries) trie.addWord(source, target);
    // Every 97th source (phrases, characters, astral ones), the neighbours of each in the order of the table, between
    // Simplified and Latin text: matches of one code point, of phrases, and none.
    const text = entries.filter((_, i) => i % 97 === 0).map(([source], i) => `${source}${entries[i * 97 + 1]![0]}${i % 3 === 0 ? '中文 ab' : ''}`).join('');
    expect(text).toMatch(/[\ud800-\udbff]/);
    const table = traditionalToSimplifiedTable();
    for (let offset = 0; offset < text.length; offset++) expect(trie.matchPrefix(text, offset), String(offset)).toEqual(table.matchPrefix(text, offset));
    // An entry added again replaces the one before (as the table's earlier dictionaries replace its later ones).
    trie.addWord('𠀀', 'a');
    trie.addWord('𠀀', 'b');
    expect(trie.matchPrefix('x𠀀', 1)).toEqual({ end: 3, value: 'b' });
  });

  it('a Kangxi radical becomes its Chinese character (⽶ → 米)', () => {
    expect(rows(analyzer.analyze('⽶饭'))).toEqual([['米饭', 0, 0, 2]]);
  });

  it('a Traditional character whose Simplified form is astral (㗲 → 𠵾), and combining marks', () => {
    expect(rows(analyzer.analyze('㗲 cafe\u0301'))).toEqual([['𠵾', 0, 0, 1], ['caf\u00e9', 1, 2, 7]]);
  });

  it('a variation selector after a Chinese character is no token of its own; the highlight keeps it with its character', () => {
    expect(rows(analyzer.analyze('字\uFE0F体 \u0301'))).toEqual([['字', 0, 0, 2], ['体', 1, 2, 3]]);
  });

  it('normalize() folds width, case and script like analyze()', () => {
    expect(analyzer.normalize('ＡＩ１２３ 資訊安全 gRPC')).toBe('ai123 资讯安全 grpc');
  });

  it('empty and punctuation-only text give no tokens', () => {
    expect(analyzer.analyze('')).toEqual([]);
    expect(analyzer.analyze('，。！？…… —— 😀')).toEqual([]);
  });
});

describe('vocabulary (indexing numbers each term once)', () => {
  it('gives the tokens of terms(), terms numbered in the order first met; stop words and sub-words follow the rules', () => {
    const vocabulary = analyzer.vocabulary();
    const text = '新基础设施的Node.js与新基础设施';
    const { count, ids, positions } = vocabulary.termIds(text);
    expect({ terms: [...ids.subarray(0, count)].map((id) => vocabulary.term(id)), positions: [...positions.subarray(0, count)] }).toEqual(analyzer.terms(text));
    expect(vocabulary.term(ids[0]!)).toBe('新基础设施');
    expect(vocabulary.termIds(text).ids[0]).toBe(ids[0]);
    expect(() => vocabulary.term(vocabulary.size)).toThrow(RangeError);
  });

  it('forgets every term once it holds more than its limit, and numbers them again the same way', () => {
    const vocabulary = analyzer.vocabulary();
    // 350,000 distinct lowercase Latin words, no stop word, no sub-words: zqaaaaa, zqaaaab, …
    const words = Array.from({ length: 350_000 }, (_, i) => `zq${i.toString(26).replace(/./g, (digit) => String.fromCharCode(97 + parseInt(digit, 26))).padStart(5, 'a')}`);
    const text = words.join(' ');
    const first = vocabulary.termIds(text);
    expect(first.count).toBe(words.length);
    expect(vocabulary.size).toBe(words.length);
    const firstIds = first.ids.slice(0, 10);
    vocabulary.trim();
    expect(vocabulary.generation).toBe(1);
    expect(vocabulary.size).toBe(0);
    expect(vocabulary.termIds(text).ids.slice(0, 10)).toEqual(firstIds);
    expect(vocabulary.term(7)).toBe(words[7]);
    vocabulary.trim();
    expect([...vocabulary.termIds('zqaaaab zqaaaaa').ids]).toEqual([0, 1]);
    // Under its limit, nothing is forgotten.
    vocabulary.trim();
    expect(vocabulary.generation).toBe(2);
    expect([...vocabulary.termIds('zqaaaaa').ids]).toEqual([1]);
  });
});

describe('options and identity', () => {
  it('identity names segmenter, package version, a dictionary hash and the rules version', () => {
    const nodeRsVersion = JSON.parse(readFileSync(path.resolve('node_modules/@node-rs/jieba/package.json'), 'utf8')).version;
    expect(analyzer.identity).toEqual({ segmenter: 'node-rs', version: nodeRsVersion, dictHash: expect.stringMatching(/^[0-9a-f]{16}$/), rules: ANALYSIS_RULES_VERSION });
    expect(createAnalyzer({ segmenter: 'node-rs' }).identity).toEqual(analyzer.identity);
  });

  it('the default user dictionary is the repository corpus/dict.txt', () => {
    expect(defaultUserDictPath()).toBe(path.resolve('corpus/dict.txt'));
    expect(existsSync(defaultUserDictPath())).toBe(true);
  });

  it('user dictionary entries are normalised (Traditional, full-width) and change the dictionary hash', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-analysis-'));
    const dict = path.join(dir, 'dict.txt');
    writeFileSync(dict, '# test\n產業網聯 100 n\nＸ光片\n');
    const custom = createAnalyzer({ segmenter: 'node-rs', userDictPath: dict });
    expect(custom.analyze('产业网联与X光片').map((t) => [t.term, t.position])).toEqual([
      ['产业网联', 0], ['产业', 0], ['网联', 0], ['x光片', 2],
    ]);
    expect(custom.identity.dictHash).not.toBe(analyzer.identity.dictHash);
  });

  it('errors name the file, the line and the problem', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-analysis-'));
    const dict = path.join(dir, 'dict.txt');
    writeFileSync(dict, '元宇宙 1000 n\n碳中和 many n\n');
    expect(() => createAnalyzer({ segmenter: 'node-rs', userDictPath: dict })).toThrow(`${dict}:2: frequency must be a whole number, got "many"`);
    expect(() => createAnalyzer({ segmenter: 'node-rs', userDictPath: path.join(dir, 'missing.txt') })).toThrow(
      `user dictionary ${path.join(dir, 'missing.txt')} cannot be read`,
    );
    expect(() => createAnalyzer({ segmenter: 'jieba' as never })).toThrow(`analyzer option "segmenter" must be 'nodejieba' or 'node-rs', got "jieba"`);
  });
});
