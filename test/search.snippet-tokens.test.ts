/**
 * Snippet marks from the index's token counts: in a text whose normalisation keeps term characters in place, a term
 * with as many tokens as occurrences is marked at its occurrences without segmenting; the snippets must be exactly
 * those made by segmenting, on the real articles.
 */
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { createAnalyzer, type Analyzer } from '../src/analysis/index.js';
import { loadCorpus } from '../src/ingest/index.js';
import { makeSnippets, type SnippetTerms } from '../src/search/snippet.js';
import { articlesDir } from './fixtures/analysis/corpusText.js';
import { countingAnalyzer } from './fixtures/search/countingAnalyzer.js';

let texts: string[] = [];
let analyzer: Analyzer;

beforeAll(async () => {
  analyzer = createAnalyzer({ segmenter: 'node-rs' });
  for await (const result of loadCorpus(articlesDir)) {
    if (result.ok && result.article.text.length > 300 && analyzer.keepsTermCharacters(result.article.text)) texts.push(result.article.text);
  }
});

it('marks known from token counts equal the marks found by segmenting, and spare part of the segmenting', () => {
  expect(texts.length).toBeGreaterThan(100);
  const withCounts = countingAnalyzer(analyzer);
  const segmenting = countingAnalyzer(analyzer);
  fc.assert(
    fc.property(fc.nat(texts.length - 1), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.nat(), (index, picks, subPick) => {
      const text = texts[index]!;
      const { terms: all } = analyzer.terms(text);
      // Whole words and sub-words as a query would give them: words of the text itself, a later one as a sub-word.
      const wholes = [...new Set(picks.map((pick) => all[pick % all.length]!))];
      const subwords = [all[subPick % all.length]!].filter((term) => !wholes.includes(term));
      const terms: SnippetTerms = { wholes, subwords };
      const tokens = (term: string) => all.filter((t) => t === term).length;
      const known = makeSnippets([{ text, terms, tokens }], withCounts.analyzer);
      expect(known).toEqual(makeSnippets([{ text, terms }], segmenting.analyzer));
    }),
    // The first example ends its passage inside a clause, segmented otherwise than in the whole text.
    { numRuns: 300, examples: [[47, [202069345], 11]] },
  );
  // Random words of the text (short common ones too, often inside longer words): a good part needs no segmenting.
  expect(withCounts.segmented()).toBeLessThan(segmenting.segmented() * 0.75);
});

it('a term that is no token at one of its occurrences is marked only where it is one', () => {
  // 和平 is a word in 世界和平, but 我和平时 is 我 / 和 / 平时: two occurrences, one token.
  const text = '世界和平是大家的愿望，我和平时一样去上班。';
  const terms: SnippetTerms = { wholes: ['和平'], subwords: [] };
  const { terms: all } = analyzer.terms(text);
  const [snippet] = makeSnippets([{ text, terms, tokens: (term) => all.filter((t) => t === term).length }], analyzer);
  expect(snippet).toBe('世界<mark>和平</mark>是大家的愿望，我和平时一样去上班。');
});
