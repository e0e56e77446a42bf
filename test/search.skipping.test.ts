/**
 * Work skipped at query time changes no answer: on two months of 新闻联播 from the scale corpus (read from its archive
 * at test time), phrases are found from their rarest word (looked up in the common words' lists, not walked
 * alongside them) exactly where every word stands at its offset, a query with a required phrase scores its
 * words at the phrase's documents alone, to the values scoring them everywhere gives, and the blocks of documents that
 * cannot reach the top k are left unscored with the same top k and counts (a compound's occurrences found once and
 * kept).
 */
import { expect, it } from 'vitest';
import type { FieldName, PostingList } from '../src/index/types.js';
import { defaultRankingConfig, resolveRankingConfig, type RankingConfig } from '../src/search/config.js';
import { analyzerForIndex, docMetaSteps } from '../src/search/index.js';
import { createSearchCore, planSearch, rankPage } from '../src/search/portable.js';
import type { SearchRequest } from '../src/search/types.js';
import { runAtOnce } from '../src/index/index.js';
import { documentBits, hasBit } from '../src/search/filters.js';
import { countMeetings, KeptPhrases, MAX_KEPT_PHRASE_BYTES, phraseCount, phraseDocuments, PositionalScorer, type DocumentSet } from '../src/search/proximity.js';
import { parseQuery } from '../src/search/query.js';
import { AdjacentLists, CombinedScorer, fieldFactors, MatchedDocuments, MAX_KEPT_ADJACENT_BYTES, MAX_KEPT_WITHIN_BYTES, scoreAtoms, ScoreBuffers, slotKey, type KeptSlotValues, type ScoringContext } from '../src/search/score.js';
import { BlockMaxima, blockScorable, scoreTopBlocks } from '../src/search/blocks.js';
import { querySynonyms } from '../src/search/synonyms.js';
import { TopK } from '../src/search/top-k.js';
import { planQuery, slotsFromTokens } from '../src/search/plan.js';
import { forEachAligned, KeptByLists, positionsIn, PositionRuns, PostingsCache } from '../src/search/postings.js';
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

/** What the kept phrases' tests use: the slice's analyzer, its postings, score buffers and an empty KeptPhrases. */
function keptPhrasesSetup() {
  const { docCount } = slice.reader;
  return {
    analyzer: analyzerForIndex(slice.reader.manifest.analyzer),
    docCount,
    postings: new PostingsCache(slice.reader),
    buffers: new ScoreBuffers(docCount),
    kept: new KeptPhrases(),
  };
}

it('keeps a phrase’s documents once found: the same documents as finding them again, its words at other offsets apart', () => {
  const { analyzer, docCount, postings, buffers, kept } = keptPhrasesSetup();
  const empty = (): DocumentSet => ({ bits: new Uint32Array(Math.ceil(docCount / 32)), count: 0 });
  // The documents of a set, and the kept list it names as its own (one phrase's documents only).
  const found = ({ bits, count }: DocumentSet) => ({ bits, count });
  const listed = (set: DocumentSet) => Array.from({ length: docCount }, (_, doc) => doc).filter((doc) => hasBit(set.bits, doc));
  // Every phrase's documents in one set too, as a group of alternatives gathers them.
  const together = empty();
  const expected = empty();
  for (const phrase of ['国际联播快讯', '新思想引领', '国内联播快讯', '习近平总书记']) {
    const slots = slotsFromTokens(analyzer.analyzeQuery(phrase));
    const fresh = phraseDocuments(postings, slots, empty());
    expect(fresh.count, phrase).toBeGreaterThan(5);
    for (let round = 0; round < 2; round++) {
      const set = kept.add(postings, buffers, slots, empty());
      expect(found(set), phrase).toEqual(fresh);
      expect([...set.kept!.docs], phrase).toEqual(listed(fresh));
    }
    const apart = slots.map((slot, i) => ({ ...slot, offset: 2 * i }));
    const apartFresh = phraseDocuments(postings, apart, empty());
    expect(apartFresh.count, phrase).not.toBe(fresh.count);
    expect(found(kept.add(postings, buffers, apart, empty())), phrase).toEqual(apartFresh);
    kept.add(postings, buffers, slots, together);
    phraseDocuments(postings, slots, expected);
  }
  expect(found(together)).toEqual(expected);
  // Several phrases' documents together are no one phrase's.
  expect(together.kept).toBeUndefined();
  // Made-up phrases found nowhere count too: the kept ones stay within the budget, and a real one is found again after.
  const words = ['国际', '联播', '快讯', '思想', '引领', '学习', '贯彻', '发展', '经济', '会议'];
  const before = kept.keptBytes;
  const nowhere = slotsFromTokens(analyzer.analyzeQuery('国际联播')).map((slot, i) => ({ ...slot, offset: 50_000 * i }));
  expect(kept.add(postings, buffers, nowhere, empty()).count).toBe(0);
  expect(kept.keptBytes).toBeGreaterThan(before);
  for (let i = 0; i < 12_000; i++) {
    const slots = slotsFromTokens(analyzer.analyzeQuery(`${words[i % 10]}${words[Math.floor(i / 10) % 10]}`)).map((slot) => ({ ...slot, offset: slot.offset + i }));
    kept.add(postings, buffers, slots, empty());
    expect(kept.keptBytes).toBeLessThanOrEqual(MAX_KEPT_PHRASE_BYTES);
  }
  const slots = slotsFromTokens(analyzer.analyzeQuery('国际联播快讯'));
  expect(found(kept.add(postings, buffers, slots, empty()))).toEqual(phraseDocuments(postings, slots, empty()));
});

it('keeps a phrase’s counts in the title and the body once asked: those found document by document', () => {
  const { analyzer, docCount, postings, buffers, kept } = keptPhrasesSetup();
  let counted = 0;
  for (const phrase of ['国际联播快讯', '新思想引领', '习近平总书记', '人类命运共同体']) {
    const slots = slotsFromTokens(analyzer.analyzeQuery(phrase));
    // Not kept yet: nothing to read.
    expect(kept.counted(postings, slots), phrase).toBeUndefined();
    const found = kept.add(postings, buffers, slots, { bits: new Uint32Array(Math.ceil(docCount / 32)), count: 0 });
    const bytes = kept.keptBytes;
    const phraseCounts = kept.counted(postings, slots)!;
    expect(kept.keptBytes, phrase).toBeGreaterThan(bytes);
    expect(kept.counted(postings, slots), phrase).toBe(phraseCounts);
    expect([...phraseCounts.docs], phrase).toEqual([...found.kept!.docs]);
    (['title', 'body'] as const).forEach((field, f) => {
      const lists = slots.map((slot) => postings.get(field, slot.whole));
      for (let doc = 0; doc < docCount; doc++) {
        const at = phraseCounts.docs.indexOf(doc);
        expect(at < 0 ? 0 : phraseCounts.counts[f]![at], `${phrase} in ${field} of ${doc}`).toBe(phraseCount(lists, slots, doc));
        if (at >= 0 && phraseCounts.counts[f]![at]! > 0) counted++;
      }
    });
  }
  expect(counted).toBeGreaterThan(20);
});

it('scores the slots of a query with a required phrase at the phrase’s documents alone, to the same values, kept or not', () => {
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
    const occurs = phraseDocuments(new PostingsCache(reader), phrase.slots, { bits: new Uint32Array(Math.ceil(reader.docCount / 32)), count: 0 }).bits;
    const within = Uint32Array.from({ length: reader.docCount }, (_, doc) => doc).filter((doc) => hasBit(occurs, doc));
    expect(within.length, q).toBeGreaterThan(10);
    const everywhere = scoreAtoms(context(), plan.groups, new MatchedDocuments(reader.docCount));
    // What the kept values count beside the same keys and lists, per document: its value, its whole word's part
    // (Float64Array each) and the phrase's document it keeps alive (Uint32Array), per slot scored at the documents.
    const perDoc = new Map<string, number>();
    for (const atom of plan.groups.flatMap((group) => group.alternatives)) {
      atom.slots.forEach((slot, i) => slot.pieces || perDoc.set(slotKey(slot), (everywhere.get(atom)![i]!.whole ? 16 : 8) + 4));
    }
    const keptBytes: number[] = [];
    // At every such document, then at two of them: lists are then looked up at those documents rather than walked.
    for (const some of [within, within.subarray(0, 2)]) {
      const label = `${q} at ${some.length} documents, subwordWeight ${config.subwordWeight}`;
      const matched = new MatchedDocuments(reader.docCount);
      const skipping = scoreAtoms(context(), plan.groups, matched, some);
      // As a kept phrase's documents: worked out at the first search and kept, read at the second (which counts no
      // document frequency: its ScoringContext.docFreqs stays empty).
      const keptWithin = new KeptByLists<KeptSlotValues>(MAX_KEPT_WITHIN_BYTES);
      const kept = [0, 1].map(() => {
        const keptMatched = new MatchedDocuments(reader.docCount);
        const docFreqs = new Map<string, number>();
        const scores = scoreAtoms({ ...context(), docFreqs, keptWithin }, plan.groups, keptMatched, some, q);
        return { scores, met: [...keptMatched.met()].sort((a, b) => a - b), counted: docFreqs.size };
      });
      keptBytes.push(keptWithin.keptBytes);
      expect(kept.map(({ counted }) => counted > 0), label).toEqual([true, false]);
      for (const way of [skipping, ...kept.map(({ scores }) => scores)]) {
        for (const atom of plan.groups.flatMap((group) => group.alternatives)) {
          everywhere.get(atom)!.forEach((all, i) => {
            const scored = way.get(atom)![i]!;
            expect([scored.docFreq, scored.idf], label).toEqual([all.docFreq, all.idf]);
            // Bit for bit where asked; not computed (0, not matched) elsewhere.
            expect(Array.from(some, (doc) => scored.pseudoTf[doc]), label).toEqual(Array.from(some, (doc) => all.pseudoTf[doc]));
            if (all.whole) expect(Array.from(some, (doc) => scored.whole![doc]), label).toEqual(Array.from(some, (doc) => all.whole![doc]));
          });
        }
      }
      expect(matched.met().every((doc) => some.includes(doc)), label).toBe(true);
      for (const { met } of kept) expect(met, label).toEqual([...matched.met()].sort((a, b) => a - b));
    }
    expect(keptBytes[0]! - keptBytes[1]!, q).toBe([...perDoc.values()].reduce((sum, bytes) => sum + bytes, 0) * (within.length - 2));
  }
});

/** A search core over the slice with this ranking, as a service makes one, and a search of `q` (top 10) through it. */
function sliceCore(ranking: RankingConfig) {
  const reader = slice.reader;
  const analyzer = analyzerForIndex(reader.manifest.analyzer);
  const meta = runAtOnce(docMetaSteps(reader.columns(), (text) => analyzer.normalize(text)));
  const core = createSearchCore(reader, analyzer, ranking, meta, fieldFactors(reader, ranking));
  const search = (q: string) => {
    const { total, entries } = rankPage(core, planSearch({ q, size: 10 }, analyzer, { compounds: true }));
    return { total, docs: entries.map(({ doc }) => doc) };
  };
  return { core, search };
}

it('answers a rare phrase searched again as the first time under weights that cancel out (its values not kept)', () => {
  // A word once in the title and once in the body weighs 1 − 1 = 0 (no length normalisation): matched, valued 0.
  const fields = { title: 0, headings: 0, description: 0, tags: 0, keywords: 0, body: 0 };
  const ranking = resolveRankingConfig({ weights: { ...fields, title: 1, body: -1 }, b: fields, subwordWeight: 0 });
  const { search } = sliceCore(ranking);
  // 7 of 847 documents: scored document by document at the phrase's documents, 5 of them valued 0 for 李强.
  const first = search('"李强主持召开"');
  expect(first.total).toBe(7);
  expect(search('"李强主持召开"')).toEqual(first);
});

it('reads a rare phrase’s kept slot values when it is searched again through rankPage: no document frequency counted', () => {
  const { core, search } = sliceCore(defaultRankingConfig);
  // 5 of 847 documents: scored document by document at the kept phrase's own documents (documentsInEvery hands
  // them over as they are kept, which keptSlotWithin needs), its two slots' values kept at the first search.
  const first = search('"国务院常务会议"');
  expect(first.total).toBe(5);
  expect(core.docFreqs.size).toBe(2);
  expect(core.keptWithin.keptBytes).toBeGreaterThan(0);
  // Its slots' document frequencies are counted again unless read back with the kept values.
  core.docFreqs.clear();
  expect(search('"国务院常务会议"')).toEqual(first);
  expect(core.docFreqs.size).toBe(0);
});

it('scores only the blocks of documents that may reach the top k, to the same top k, counts and idfs as scoring every match', () => {
  const analyzer = analyzerForIndex(slice.reader.manifest.analyzer);
  const reader = slice.reader;
  const synonyms = querySynonyms(analyzer, { learned: reader.abbreviations() })();
  // Words, sub-words, compounds the segmenter cuts (pieces), synonyms, two topics, a question verb; the last query's
  // exclusion is left to the caller (runRanking passes it in `accepted`, as the filtered passes here pass theirs).
  const queries = ['习近平', '联播', '高质量发展', '国际 联播', '乡村振兴 高质量发展', '新基建', '数字经济', '如何 应对 极端天气', '国内 联播 -快讯'];
  const configs = [
    defaultRankingConfig,
    { ...defaultRankingConfig, subwordWeight: 0 },
    { ...defaultRankingConfig, partPenalty: 2, missingPenalty: 1, k1: 0.5 },
    { ...defaultRankingConfig, weights: { ...defaultRankingConfig.weights, title: 0, body: 3 }, b: { ...defaultRankingConfig.b, body: 0 } },
  ];
  let skipped = 0;
  for (const config of configs) {
    const factors = fieldFactors(reader, config);
    const maxima = new BlockMaxima(reader.docCount);
    // Kept from search to search, as a search core keeps them: the compounds' occurrences are found once, a slot's
    // documents and block bounds summed once (BlockMaxima.slots; each query is searched 12 times below), a plan's
    // blocks ranked once where no exclusion decides (BlockMaxima.rankings: its top 100 past the order its top 10 kept,
    // the next top 10 within the order the top 100 kept).
    const adjacent = new AdjacentLists();
    const context = (): ScoringContext => ({ reader, postings: new PostingsCache(reader), config, fieldFactors: factors, buffers: new ScoreBuffers(reader.docCount) });
    for (const q of queries) {
      const plan = planQuery(parseQuery(q), analyzer, { compounds: true, expand: (word) => synonyms.get(word) });
      expect(blockScorable(plan.groups, config), q).toBe(true);
      // None filtered out; every other document, by a test per document or as bits (a filter's); as two sets of bits
      // (a filter's and a phrase's documents) and a test together.
      const numbers = Array.from({ length: reader.docCount }, (_, doc) => doc);
      const even = (doc: number) => doc % 2 === 0;
      const notThird = (doc: number) => doc % 3 !== 0;
      const notFifth = (doc: number) => doc % 5 !== 0;
      const [evens, notThirds] = [even, notThird].map((test) => documentBits(numbers.filter(test), reader.docCount));
      const filters: [Uint32Array[], ((doc: number) => boolean) | null][] = [[[], null], [[], even], [[evens!], null], [[evens!, notThirds!], notFifth]];
      for (const [passing, accepted] of filters) {
        for (const k of [10, 100, 10]) {
          const label = `${q}, top ${k}, ${passing.length} bit sets${accepted ? ', filtered' : ''}, ${JSON.stringify(config).slice(0, 80)}`;
          const matched = new MatchedDocuments(reader.docCount);
          const everywhere = scoreAtoms(context(), plan.groups, matched);
          const docs = matched.docs().filter((doc) => (passing.length < 1 || even(doc)) && (passing.length < 2 || notThird(doc)) && (!accepted || accepted(doc)));
          const scores = new Float64Array(docs.length);
          new CombinedScorer(plan.groups, everywhere, config).scoreAll(docs, docs.length, scores);
          const all = new TopK(k);
          all.pushAll(docs, scores, docs.length);

          const scored = new MatchedDocuments(reader.docCount);
          const top = new TopK(k);
          const blocks = scoreTopBlocks({ ...context(), adjacent }, plan.groups, scored, maxima, top, passing, accepted, true);
          expect(top.sorted(), label).toEqual(all.sorted());
          expect(blocks.matches, label).toBe(docs.length);
          const listed: number[] = [];
          blocks.matchBits.forEach((word, w) => {
            for (let i = 0; i < 32; i++) if ((word & (1 << i)) !== 0) listed.push(32 * w + i);
          });
          expect(listed, label).toEqual([...docs].sort((a, b) => a - b));
          for (const atom of plan.groups.flatMap((group) => group.alternatives)) {
            const expected = everywhere.get(atom)!.map(({ docFreq, idf }) => [docFreq, idf]);
            expect(blocks.atomScores.get(atom)!.map(({ docFreq, idf }) => [docFreq, idf]), label).toEqual(expected);
          }
          if (k === 10 && passing.length === 0 && !accepted && scored.met().length < matched.docs().length) skipped++;
        }
      }
    }
    expect(maxima.rankings.keptBytes).toBeGreaterThan(0);
  }
  // Most searches of the first ten (on 847 documents) left some of their matches unscored.
  expect(skipped).toBeGreaterThan((configs.length * queries.length) / 2);
});

it('keeps no ranking for a plan of the same slots and other bounds: alternated on one BlockMaxima, each as scoring every match', () => {
  const analyzer = analyzerForIndex(slice.reader.manifest.analyzer);
  const reader = slice.reader;
  // Pairs of plans with the same slots (a ranking's key) and passing sets (a required phrase's bits are the search's
  // buffer, the same array refilled) but other bounds: a word missing costs in one and not the other, or the required
  // word is the other one. Only the plan's groups in a kept ranking's `from` tell them apart.
  // Each first in turn: a plan finding another's ranking kept goes on with the other's bounds.
  const pairs = [['国际 联播', '国际 OR 联播'], ['习近平 联播', '习近平 OR 联播'], ['"国际" 联播', '国际 "联播"']].flatMap((pair) => [pair, [...pair].reverse()]);
  const bits = new Uint32Array(Math.ceil(reader.docCount / 32));
  for (const config of [defaultRankingConfig, { ...defaultRankingConfig, partPenalty: 2, missingPenalty: 1, k1: 0.5 }]) {
    const factors = fieldFactors(reader, config);
    const context = (): ScoringContext => ({ reader, postings: new PostingsCache(reader), config, fieldFactors: factors, buffers: new ScoreBuffers(reader.docCount) });
    for (const pair of pairs) {
      const maxima = new BlockMaxima(reader.docCount);
      // Planned once each, as the service keeps its plans, and searched in turn.
      const plans = pair.map((q) => planQuery(parseQuery(q), analyzer, { compounds: true }));
      for (let round = 0; round < 3; round++) {
        plans.forEach((plan, i) => {
          const required = plan.groups.find((group) => group.required);
          bits.fill(0);
          if (required) phraseDocuments(new PostingsCache(reader), required.alternatives[0]!.slots, { bits, count: 0 });
          const passing = required ? [bits] : [];
          for (const k of [10, 100]) {
            const label = `${pair[i]}, top ${k}, round ${round}, ${JSON.stringify(config).slice(0, 80)}`;
            const matched = new MatchedDocuments(reader.docCount);
            const everywhere = scoreAtoms(context(), plan.groups, matched);
            const docs = matched.docs().filter((doc) => !required || hasBit(bits, doc));
            const scores = new Float64Array(docs.length);
            new CombinedScorer(plan.groups, everywhere, config).scoreAll(docs, docs.length, scores);
            const all = new TopK(k);
            all.pushAll(docs, scores, docs.length);
            const top = new TopK(k);
            const blocks = scoreTopBlocks(context(), plan.groups, new MatchedDocuments(reader.docCount), maxima, top, passing, null, true);
            expect(top.sorted(), label).toEqual(all.sorted());
            expect(blocks.matches, label).toBe(docs.length);
          }
        });
      }
      expect(maxima.rankings.keptBytes, pair.join(' / ')).toBeGreaterThan(0);
    }
  }
});

it('keeps no ranking from a filter made afresh at each search (dates, several values): the words’ entry stays', () => {
  const { core } = sliceCore(defaultRankingConfig);
  const rankings = core.maxima.rankings;
  const search = (request: SearchRequest) => rankPage(core, planSearch({ size: 10, ...request }, core.analyzer, { compounds: true })).total;
  const all = search({ q: '国际' });
  const unfiltered = rankings.keptBytes;
  expect(unfiltered).toBeGreaterThan(0);
  // 新闻联播 and 新闻联播 › 2025: two values ticked, their documents gathered at each search.
  const [category, year] = core.meta.categories.labels;
  expect(year).toBe(`${category} › 2025`);
  // July's news of two months, and both categories (every document): each ranked by blocks from bits of its own.
  const requests: SearchRequest[] = [{ q: '国际', from: '2025-07-01', to: '2025-07-31' }, { q: '国际 date:2025-07' }, { q: '国际', category: [category!, year!] }];
  for (const request of requests) {
    const total = search(request);
    expect(total, JSON.stringify(request)).toBeGreaterThan(all / 4);
    expect(rankings.keptBytes, JSON.stringify(request)).toBe(unfiltered);
  }
  // A kept filter's (one value, FacetDictionary.passing) is kept: in place of the words', by the same slots.
  expect(search({ q: '国际', category: year })).toBe(all);
  expect(rankings.keptBytes).toBeGreaterThan(unfiltered);
});

it('bounds the blocks over a kept phrase’s documents alone (their order kept for the phrase alone): the same top k, counts and idfs, fewer documents scored', () => {
  const analyzer = analyzerForIndex(slice.reader.manifest.analyzer);
  const reader = slice.reader;
  // '"联播快讯"' alone, then with 国际: one phrase, two plans, whose kept orders must not be taken for each other.
  const queries = ['"国际联播快讯"', '"国内联播快讯"', '"习近平总书记"', '"联播快讯"', '"联播快讯" 国际', '"新闻联播" -快讯'];
  const configs = [defaultRankingConfig, { ...defaultRankingConfig, subwordWeight: 0 }, { ...defaultRankingConfig, partPenalty: 2, missingPenalty: 1, k1: 0.5 }];
  const numbers = Array.from({ length: reader.docCount }, (_, doc) => doc);
  const evens = documentBits(numbers.filter((doc) => doc % 2 === 0), reader.docCount);
  const scoredDocs = { all: 0, within: 0 };
  for (const config of configs) {
    const factors = fieldFactors(reader, config);
    // Kept from search to search, as a search core keeps them: each query is searched twice per way below.
    const [maxima, maximaWithin] = [new BlockMaxima(reader.docCount), new BlockMaxima(reader.docCount)];
    const kept = new KeptPhrases();
    const context = (): ScoringContext => ({ reader, postings: new PostingsCache(reader), config, fieldFactors: factors, buffers: new ScoreBuffers(reader.docCount) });
    // Every query searched in round 0 before any in round 1, so what a search kept has met other searches' scratch.
    for (let round = 0; round < 2; round++) {
      for (const q of queries) {
        const plan = planQuery(parseQuery(q), analyzer, { compounds: true });
        for (const filtered of [false, true]) {
          for (const k of [10, 30]) {
            const label = `${q}, top ${k}${filtered ? ', filtered' : ''}, round ${round}, ${JSON.stringify(config).slice(0, 80)}`;
            const ctx = context();
            const phrase = kept.add(ctx.postings, ctx.buffers, plan.groups[0]!.alternatives[0]!.slots, { bits: new Uint32Array(evens!.length), count: 0 });
            // The kept phrase carries this search's bits, as runRanking passes it on.
            expect(phrase.kept!.bits, label).toBe(phrase.bits);
            const excluded = plan.excludes.length === 0 ? null : kept.add(ctx.postings, ctx.buffers, plan.excludes[0]!.slots, { bits: new Uint32Array(evens!.length), count: 0 });
            const accepted = excluded && ((doc: number) => !hasBit(excluded.bits, doc));
            const passing = filtered ? [evens!, phrase.bits] : [phrase.bits];
            const ways = [undefined, phrase.kept].map((within) => {
              const matched = new MatchedDocuments(reader.docCount);
              const top = new TopK(k);
              const blocks = scoreTopBlocks(ctx, plan.groups, matched, within ? maximaWithin : maxima, top, passing, accepted, true, within);
              // '"联播快讯"' alone passes a third of the documents: all but its blocks' documents are scored either way.
              if (round === 1 && q !== '"联播快讯"') scoredDocs[within ? 'within' : 'all'] += matched.met().length;
              const idfs = plan.groups.flatMap((group) => group.alternatives.flatMap((atom) => blocks.atomScores.get(atom)!.map(({ docFreq, idf }) => [docFreq, idf])));
              return { top: top.sorted(), matches: blocks.matches, bits: [...blocks.matchBits], idfs };
            });
            expect(ways[0]!.top.length, label).toBeGreaterThan(0);
            expect(ways[1], label).toEqual(ways[0]);
          }
        }
      }
    }
    // The phrases searched alone (no filter, no exclusion) were ranked by blocks once, their order kept.
    expect(maximaWithin.rankings.keptBytes).toBeGreaterThan(0);
  }
  // On 847 documents, most of them 新闻联播's: the phrases' documents are a few of their words'.
  expect(scoredDocs.within).toBeLessThan(scoredDocs.all * 0.9);
});

it('keeps compounds within a memory budget, made-up ones too, and finds a kept one again after it starts over', () => {
  const reader = slice.reader;
  const config = defaultRankingConfig;
  const context: ScoringContext = { reader, postings: new PostingsCache(reader), config, fieldFactors: fieldFactors(reader, config), buffers: new ScoreBuffers(reader.docCount) };
  const adjacent = new AdjacentLists();
  // 高质量 side by side with 发展 (the segmenter cuts 高质量发展 into them), in the news of those months.
  const real = ['高质量', '发展'];
  const found = adjacent.of(context, real);
  expect(found.some(({ list }) => list.docs.length > 0)).toBe(true);
  // Pairs of the index's words that a searcher could type side by side: most never occur so, and each is kept.
  const words = [...reader.terms('body')].slice(0, 200);
  let asked = 0;
  for (const first of words) {
    for (const second of words) {
      adjacent.of(context, [first, second]);
      asked++;
      expect(adjacent.keptBytes).toBeLessThanOrEqual(MAX_KEPT_ADJACENT_BYTES);
    }
  }
  expect(asked).toBe(40_000);
  expect(adjacent.of(context, real)).toEqual(found);
});

it('counts where a topic covered by the other meets it without merging the other’s positions: as many as from both unions', () => {
  const analyzer = analyzerForIndex(slice.reader.manifest.analyzer);
  const reader = slice.reader;
  const config = defaultRankingConfig;
  const synonyms = querySynonyms(analyzer, { learned: reader.abbreviations() })();
  // 两会's synonyms 全国人大 and 全国政协 have the sub-word 全国: every 全国 is a position of 两会's topic too, whichever is
  // typed first. 全国 人大 (人大: 人民代表大会): neither topic covers the other, the meetings counted from both unions.
  let compared = 0;
  for (const q of ['全国 两会', '两会 全国', '全国 人大']) {
    const plan = planQuery(parseQuery(q), analyzer, { compounds: true, expand: (word) => synonyms.get(word) });
    const ctx: ScoringContext = { reader, postings: new PostingsCache(reader), config, fieldFactors: fieldFactors(reader, config), buffers: new ScoreBuffers(reader.docCount) };
    const positional = new PositionalScorer(ctx, plan.groups, scoreAtoms(ctx, plan.groups, new MatchedDocuments(reader.docCount)));
    // Per topic, every word, piece and sub-word of its alternatives (synonyms too), as the meetings read them.
    const terms = plan.groups.map((group) => [...new Set(group.alternatives.flatMap((atom) => atom.slots.flatMap((slot) => [slot.whole, ...(slot.pieces ?? []), ...slot.subwords.map((sub) => sub.term)])))]);
    const union = (field: FieldName, words: string[], doc: number) =>
      [...new Set(words.flatMap((word) => [...(ctx.postings.get(field, word) ? positionsIn(ctx.postings.get(field, word)!, doc) : [])]))].sort((a, b) => a - b);
    for (let doc = 0; doc < reader.docCount; doc++) {
      // Documents naming neither topic in the title or tags (then the body decides), and holding both there.
      if (terms.some((words) => (['title', 'tags'] as const).some((field) => union(field, words, doc).length > 0))) continue;
      const runs = new PositionRuns();
      for (const words of terms) {
        const positions = union('body', words, doc);
        if (positions.length > 0) runs.push(Uint32Array.from(positions), 0, positions.length);
      }
      if (runs.count < 2) continue;
      const meetings = countMeetings(runs, config.topicWindow);
      expect(positional.meeting(doc), `${q} in ${doc}`).toBeCloseTo(config.topicsApart + ((1 - config.topicsApart) * meetings) / (meetings + 1), 12);
      compared++;
    }
  }
  expect(compared).toBeGreaterThan(100);
});
