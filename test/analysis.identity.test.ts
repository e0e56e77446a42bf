/** analyzerIdentity names an analyzer without loading it: it must be exactly the identity createAnalyzer gives. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysisCodeDigest, analyzerIdentity, createAnalyzer, folderCodeDigest, type AnalyzerOptions } from '../src/analysis/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-identity-'));
const userDict = path.join(dir, 'dict.txt');
writeFileSync(userDict, '# test\n產業網聯 100 n\nＸ光片\n');
const emptyDict = path.resolve('test/fixtures/analysis/empty-dict.txt');
const repoDict = path.resolve('corpus/dict.txt');

describe('analyzerIdentity', () => {
  const cases: [string, AnalyzerOptions][] = [
    ['nodejieba, default user dictionary', { segmenter: 'nodejieba' }],
    ['node-rs, default user dictionary', { segmenter: 'node-rs' }],
    ['no segmenter given (nodejieba)', {}],
    ['node-rs with a user dictionary of its own', { segmenter: 'node-rs', userDictPath: userDict }],
    ['node-rs with an empty user dictionary', { segmenter: 'node-rs', userDictPath: emptyDict }],
    ['node-rs with the repository dictionary given explicitly', { segmenter: 'node-rs', userDictPath: repoDict }],
    ['node-rs with other stop words', { segmenter: 'node-rs', stopWords: ['的', 'The '] }],
    ['nodejieba with the repository dictionary given explicitly', { segmenter: 'nodejieba', userDictPath: repoDict }],
  ];
  it.each(cases)('equals createAnalyzer().identity: %s', (_name, options) => {
    expect(analyzerIdentity(options)).toEqual(createAnalyzer(options).identity);
  });

  it('differs when the user dictionary differs', () => {
    expect(analyzerIdentity({ segmenter: 'node-rs', userDictPath: userDict }).dictHash).not.toBe(
      analyzerIdentity({ segmenter: 'node-rs', userDictPath: emptyDict }).dictHash,
    );
  });

  it('names an unknown segmenter and an unreadable user dictionary', () => {
    expect(() => analyzerIdentity({ segmenter: 'thulac' as 'node-rs' })).toThrow(
      `analyzer option "segmenter" must be 'nodejieba' or 'node-rs', got "thulac"`,
    );
    const missing = path.join(dir, 'missing.txt');
    expect(() => analyzerIdentity({ segmenter: 'node-rs', userDictPath: missing })).toThrow(`user dictionary ${missing} cannot be read: `);
  });
});

describe('folderCodeDigest', () => {
  it('changes with any module of the folder, not with declarations, source maps or other files', () => {
    const code = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-code-'));
    const write = (name: string, text: string) => writeFileSync(path.join(code, name), text);
    write('keywords.js', 'export const WEIGHT = 1;\n');
    write('helpers.ts', 'export const helper = () => 2;\n');
    const first = folderCodeDigest(code);
    expect(folderCodeDigest(code)).toBe(first);
    // A table or helper a listed function calls changes the digest, as the function itself would.
    write('keywords.js', 'export const WEIGHT = 1.5;\n');
    const weighted = folderCodeDigest(code);
    expect(weighted).not.toBe(first);
    write('partOfSpeech.mjs', 'export const TAGS = {};\n');
    expect(folderCodeDigest(code)).not.toBe(weighted);
    const withTags = folderCodeDigest(code);
    for (const name of ['keywords.d.ts', 'keywords.js.map', 'README.md']) write(name, 'anything');
    expect(folderCodeDigest(code)).toBe(withTags);
  });

  it('digests the analysis stage with the tagger package it reads', () => {
    expect(analysisCodeDigest()).toMatch(/^[0-9a-f]{16} \d+\.\d+\.\d+/);
    expect(analysisCodeDigest()).toBe(analysisCodeDigest());
  });
});
