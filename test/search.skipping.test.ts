/**
 * Work skipped at query time changes no answer: on two months of 新闻联播 from the scale corpus (read from its archive
 * at test time), phrases are found from their rarest word (looked up in the common words' lists, not walked
 * alongside them) exactly where every word stands at its offset, and a query with a required phrase scores its
 * words at the phrase's documents alone, to the values scoring them everywhere gives.
 */
import { expect, it } from 'vitest';
import type { FieldName, PostingList } from '../src/index/types.js';
import { defaultRankingConfig } from '../src/search/config.js';
import { analyzerForIndex } from '../src/search/index.js';
import { phraseDocuments } from '../src/search/proximity.js';
import { parseQuery } from '../src/search/query.js';
import { fieldFactors, MatchedDocuments, scoreAtoms, ScoreBuffers, type ScoringContext } from '../src/search/score.js';
import { planQuery, slotsFromTokens } from '../src/search/plan.js';
import { forEachAligned, positionsIn, PostingsCache } from '../src/search/postings.js';
import { openedScaleSlice } from './fixtures/cli/scale-slice.js';

const slice = openedScaleSlice('skipping', ['DuckBurnIncense-xin-wen-lian-bo/news/202507*', 'DuckBurnIncense-xin-wen-lian-bo/news/202508*']);

/** Per document, the positions p of the first word at which every word i stands at p + i: read document by document. */
function phraseCounts(field: FieldName, words: string[]): Map<number, number> {
  const counts = new Map<number, number>();
  const lists = words.map((word) => slice.reader.postings(field, word)!);
  for (let doc = 0; doc < slice.reader.docCount; doc++) {
    const positions = lists.map((list) => positionsIn(list, doc));
    const count = [...positions[0]!].filter((p) => positions.every((list, i) => list.includes(p + i))).length;
    if (count > 0) counts.set(doc, count);
  }
  return counts;
}

it('finds a phrase from its rarest word, with the count of the first word’s positions', () => {
  const analyzer = analyzerForIndex(slice.reader.manifest.analyzer);
  let compared = 0;
  for (const phrase of ['习近平总书记', '新思想引领', '人类命运共同体', '国内联播快讯', '国际联播快讯']) {
    const words = slotsFromTokens(analyzer.analyzeQuery(phrase)).map((slot) => slot.whole);
    expect(words.length, phrase).toBeGreaterThan(1);
    for (const field of ['title', 'headings', 'body'] as const) {
      const lists = words.map((word) => slice.reader.postings(field, word));
      if (lists.some((list) => list === undefined)) continue;
      const sizes = lists.map((list) => list!.docs.length);
      const found = new Map<number, number>();
      forEachAligned(lists as PostingList[], words.map((_, i) => i), (doc, count) => found.set(doc, count));
      const expected = phraseCounts(field, words);
      expect([...found], `${phrase} in ${field}`).toEqual([...expected]);
      // The first word is not the rarest: the walk started elsewhere.
      if (expected.size > 5 && Math.min(...sizes) < sizes[0]!) compared++;
    }
  }
  expect(compared).toBeGreaterThanOrEqual(2);
});

it('scores the slots of a query with a required phrase at the phrase’s documents alone, to the same values', () => {
  const analyzer = analyzerForIndex(slice.reader.manifest.analyzer);
  const reader = slice.reader;
  // With sub-words weighing (the default) and not at all, whose document frequency is then the whole word's alone.
  const cases = [defaultRankingConfig, { ...defaultRankingConfig, subwordWeight: 0 }].flatMap((config) =>
    ['"国际联播"', '"国内联播快讯"', '"高质量发展" 乡村振兴', '"习近平总书记" 新基建'].map((q) => ({ config, q })),
  );
  for (const { config, q } of cases) {
    const factors = fieldFactors(reader, config);
    const context = (): ScoringContext => ({ reader, postings: new PostingsCache(reader), config, fieldFactors: factors, buffers: new ScoreBuffers(reader.docCount) });
    const plan = planQuery(parseQuery(q), analyzer, { compounds: true });
    const phrase = plan.groups.find((group) => group.required)!.alternatives[0]!;
    const occurs = phraseDocuments(new PostingsCache(reader), phrase.slots, reader.docCount).has;
    const within = Uint32Array.from([...occurs.keys()].filter((doc) => occurs[doc] === 1));
    expect(within.length, q).toBeGreaterThan(10);
    const everywhere = scoreAtoms(context(), plan.groups, new MatchedDocuments(reader.docCount));
    // At every such document, then at two of them: lists are then looked up at those documents rather than walked.
    for (const some of [within, within.subarray(0, 2)]) {
      const label = `${q} at ${some.length} documents, subwordWeight ${config.subwordWeight}`;
      const matched = new MatchedDocuments(reader.docCount);
      const skipping = scoreAtoms(context(), plan.groups, matched, some);
      for (const atom of plan.groups.flatMap((group) => group.alternatives)) {
        everywhere.get(atom)!.forEach((all, i) => {
          const scored = skipping.get(atom)![i]!;
          expect([scored.docFreq, scored.idf], label).toEqual([all.docFreq, all.idf]);
          // Bit for bit where asked; not computed (0, not matched) elsewhere.
          expect(Array.from(some, (doc) => scored.pseudoTf[doc]), label).toEqual(Array.from(some, (doc) => all.pseudoTf[doc]));
          if (all.whole) expect(Array.from(some, (doc) => scored.whole![doc]), label).toEqual(Array.from(some, (doc) => all.whole![doc]));
        });
      }
      expect(matched.met().every((doc) => some.includes(doc)), label).toBe(true);
    }
  }
});
