/** Unit tests of the search stage's pure parts: BM25F, top-k, sub-word choice, span, suggestions' words. */
import { describe, expect, it } from 'vitest';
import { bm25fScore, idf, saturate, weightedFieldTf } from '../src/search/bm25f.js';
import { defaultRankingConfig, resolveRankingConfig } from '../src/search/config.js';
import { planQuery, representativeSubwords, slotsFromTokens } from '../src/search/plan.js';
import { parseQuery } from '../src/search/query.js';
import { parseSynonyms } from '../src/search/synonyms.js';
import { appendUnionIn, appendUnionOfRuns, forEachAligned, PositionArena, PositionRuns, seek } from '../src/search/postings.js';
import { analyzerForIndex, AnalyzerMismatchError, type AnalyzerCache } from '../src/search/index.js';
import { createAnalyzer } from '../src/analysis/index.js';
import { bestPassage, countMeetings, minimalSpan, orderedSpan, type PassageTerm } from '../src/search/proximity.js';
import { escapeHtml } from '../src/search/snippet.js';
import { keyStartsFirst, PrefixWords, suggestWords, typedWords, type SuggestEntry } from '../src/search/suggest.js';
import { Suggester } from '../src/search/suggester.js';
import { MatchedDocuments } from '../src/search/score.js';
import { TopK } from '../src/search/top-k.js';

describe('bm25f', () => {
  const config = { k1: 1.2, weights: { ...defaultRankingConfig.weights, title: 4, body: 1 }, b: { ...defaultRankingConfig.b, title: 0, body: 1 } };

  it('normalises each field by its own length before one saturation', () => {
    // title: 4 · 1 / 1 = 4; body: 1 · 3 / (200 / 100) = 1.5; pseudo tf 5.5
    const score = bm25fScore(
      [
        { field: 'title', tf: 1, length: 10, averageLength: 12 },
        { field: 'body', tf: 3, length: 200, averageLength: 100 },
      ],
      2,
      config,
    );
    expect(score).toBeCloseTo((2 * 5.5) / (1.2 + 5.5), 12);
    expect(weightedFieldTf(3, 200, 100, 1, 1)).toBe(1.5);
    expect(saturate(0, 5, 1.2)).toBe(0);
  });

  it('gives rarer terms a higher, always positive idf', () => {
    expect(idf(1, 1000)).toBeGreaterThan(idf(10, 1000));
    expect(idf(1000, 1000)).toBeGreaterThan(0);
  });

  it('merges partial configs over the defaults', () => {
    const config = resolveRankingConfig({ k1: 2, weights: { title: 9 } as never });
    expect(config.k1).toBe(2);
    expect(config.weights.title).toBe(9);
    expect(config.weights.body).toBe(defaultRankingConfig.weights.body);
  });
});

describe('matched documents', () => {
  it('lists many ascending, up to the last of a corpus not a multiple of four, and few in the order met', () => {
    const many = new MatchedDocuments(10);
    for (const doc of [9, 2, 5, 0, 7, 1, 2]) many.add(doc);
    expect([...many.docs()]).toEqual([0, 1, 2, 5, 7, 9]);
    many.clear();
    many.add(4);
    many.add(3);
    expect([...many.docs()]).toEqual([3, 4]);
    const few = new MatchedDocuments(1000);
    for (const doc of [999, 2, 500]) few.add(doc);
    expect([...few.docs()]).toEqual([999, 2, 500]);
    expect(few.has(500) && !few.has(501)).toBe(true);
  });
});

describe('top-k', () => {
  it('keeps the k best, ties to the lower document number', () => {
    const top = new TopK(3);
    [
      [5, 1],
      [1, 3],
      [2, 3],
      [9, 7],
      [4, 0.5],
      [0, 3],
    ].forEach(([doc, score]) => top.push(doc, score));
    expect(top.sorted()).toEqual([
      { doc: 9, score: 7 },
      { doc: 0, score: 3 },
      { doc: 1, score: 3 },
    ]);
    // Taken out: the heap is left empty.
    expect(top.sorted()).toEqual([]);
  });

  it('lists many entries best first, as a sort by score then document number does', () => {
    const top = new TopK(100);
    const pushed = Array.from({ length: 1000 }, (_, i) => ({ doc: (i * 7919) % 1000, score: (i * 31) % 17 }));
    for (const { doc, score } of pushed) top.push(doc, score);
    const expected = [...pushed].sort((a, b) => b.score - a.score || a.doc - b.doc).slice(0, 100);
    expect(top.sorted()).toEqual(expected);
  });

  it('pushes a batch as one by one, reading only the first count entries', () => {
    const top = new TopK(2);
    top.pushAll(Uint32Array.of(5, 1, 2, 9), Float64Array.of(1, 3, 3, 7), 3);
    expect(top.sorted()).toEqual([
      { doc: 1, score: 3 },
      { doc: 2, score: 3 },
    ]);
  });
});

describe('query slots', () => {
  it('takes the longest token at a position as the word, the rest as its sub-words', () => {
    const slots = slotsFromTokens([
      { term: '新基础设施', position: 0, start: 0, end: 5 },
      { term: '新', position: 0, start: 0, end: 1 },
      { term: '基础', position: 0, start: 1, end: 3 },
      { term: '基础设施', position: 0, start: 1, end: 5 },
      { term: '设施', position: 0, start: 3, end: 5 },
      { term: '建设', position: 2, start: 6, end: 8 },
    ]);
    expect(slots).toEqual([
      { whole: '新基础设施', subwords: [{ term: '基础设施', share: 1 }], offset: 0 },
      { whole: '建设', subwords: [], offset: 2 },
    ]);
  });

  it('keeps maximal multi-character sub-words', () => {
    expect(representativeSubwords(['未成', '未成年', '成年', '成年人'])).toEqual(['未成年', '成年人']);
    expect(representativeSubwords(['空间', '站'])).toEqual(['空间']);
    expect(representativeSubwords(['大', '飞'])).toEqual(['大', '飞']);
  });
});

describe('compound query words', () => {
  const analyzer = createAnalyzer({});
  const slotsOf = (q: string) => planQuery(parseQuery(q), analyzer, { compounds: true }).groups.map((group) => group.alternatives[0]!.slots);

  it('reads a short Chinese word the segmenter cuts as one slot whose pieces must stand side by side', () => {
    // node-rs cuts 数字鸿沟 and 稳就业; a user typing them means the word, not its parts anywhere.
    expect(slotsOf('数字鸿沟')).toEqual([[{ whole: '数字鸿沟', pieces: ['数字', '鸿沟'], subwords: [{ term: '数字', share: 0.5 }, { term: '鸿沟', share: 0.5 }], offset: 0 }]]);
    expect(slotsOf('稳就业 老年人')[0]).toEqual([{ whole: '稳就业', pieces: ['稳', '就业'], subwords: [{ term: '就业', share: 1 }], offset: 0 }]);
  });

  it('leaves longer runs, quoted phrases and words around stop words as separate slots', () => {
    expect(slotsOf('如何应对人口老龄化')[0]!.map((slot) => slot.whole)).toEqual(['应对', '人口老龄化']);
    expect(slotsOf('防范电信网络诈骗')[0]!.map((slot) => slot.pieces)).toEqual([undefined, undefined, undefined, undefined]);
    expect(slotsOf('"数字鸿沟"')[0]!.map((slot) => slot.whole)).toEqual(['数字', '鸿沟']);
  });
});

describe('synonyms', () => {
  const normalize = createAnalyzer({}).normalize;

  it('expands every word of a group to the others, and A => B one way only', () => {
    const { map, problems } = parseSynonyms('新基建 新型基础设施 新基础设施\n双碳 => 碳达峰  碳中和 | 碳中和\n# 注释\n\n', normalize, 'synonyms.txt');
    expect(problems).toEqual([]);
    expect(map.get('新基建')).toEqual(['新型基础设施', '新基础设施']);
    expect(map.get('新型基础设施')).toEqual(['新基建', '新基础设施']);
    expect(map.get('双碳')).toEqual(['碳达峰 碳中和', '碳中和']);
    expect(map.get('碳中和')).toBeUndefined();
  });

  it('normalises entries as queries are (Traditional, full-width, case) and names ignored lines', () => {
    const { map, problems } = parseSynonyms('ＬＬＭ 大語言模型\n孤词\n => 右边\n', normalize, 'synonyms.txt');
    expect(map.get('llm')).toEqual(['大语言模型']);
    expect(problems).toEqual([
      'synonyms.txt 第 2 行：一组同义词至少要有两个词（用空格分隔），已忽略：孤词',
      'synonyms.txt 第 3 行：“A => B”需要左边一个词、右边至少一个词，已忽略：=> 右边',
    ]);
  });
});

/** Runs over the arrays whole, or over the part of a longer array between other values, as the index's lists hold them. */
function runsOf(...arrays: number[][]): PositionRuns {
  const runs = new PositionRuns();
  for (const [i, array] of arrays.entries()) {
    if (i % 2 === 0) runs.push(Uint32Array.from(array), 0, array.length);
    else runs.push(Uint32Array.from([999, ...array, 0]), 1, array.length + 1);
  }
  return runs;
}

/** Every run's values. */
/** A postings list (documents, counts, positions) from each document's sorted positions. */
function postingsList(entries: [number, number[]][]) {
  const posStart = new Uint32Array(entries.length + 1);
  entries.forEach(([, positions], i) => (posStart[i + 1] = posStart[i]! + positions.length));
  return {
    docs: Uint32Array.from(entries, ([doc]) => doc),
    tfs: Uint32Array.from(entries, ([, positions]) => positions.length),
    posStart,
    positions: Uint32Array.from(entries.flatMap(([, positions]) => positions)),
  };
}

function runValues(runs: PositionRuns): number[][] {
  return Array.from({ length: runs.count }, (_, r) => [...runs.values[r]!.subarray(runs.starts[r], runs.ends[r])]);
}

describe('positions', () => {
  it('finds the smallest window holding one position of each list', () => {
    expect(minimalSpan(runsOf([1, 20, 40], [5, 23], [22, 60]))).toBe(3);
    expect(minimalSpan(runsOf([7], [8]))).toBe(1);
    // More runs than its cursors had room for: a window of one position of each.
    expect(minimalSpan(runsOf(...Array.from({ length: 40 }, (_, i) => [i, 100 + i])))).toBe(39);
  });

  it('finds the smallest window holding the lists in their order, or Infinity', () => {
    // The closest window (20, 22, 23) has 22 before 23; in order the best is 1 → 5 → 22 (20 → 23 → 60 is wider).
    expect(orderedSpan(runsOf([1, 20, 40], [5, 23], [22, 60]))).toBe(21);
    expect(orderedSpan(runsOf([8], [7]))).toBe(Infinity);
    expect(orderedSpan(runsOf([3, 9], [4, 10]))).toBe(1);
  });

  it('counts where topics meet: positions of the rarest list with every other list within the window', () => {
    // The rarest list is the second: 40 meets 30 and 50 within 10, 100 meets 95 within 5.
    expect(countMeetings(runsOf([5, 30, 50, 95, 130], [40, 100]), 10)).toBe(2);
    expect(countMeetings(runsOf([5, 30, 50, 95, 130], [40, 100]), 5)).toBe(1);
    expect(countMeetings(runsOf([5, 30, 50, 95, 130], [40, 100]), 4)).toBe(0);
    expect(countMeetings(runsOf([1, 2, 3], [30], [3, 31]), 27)).toBe(1);
    expect(countMeetings(runsOf([1, 2, 3], [30], [3, 31]), 26)).toBe(0);
    expect(countMeetings(runsOf([1], [300]), 20)).toBe(0);
  });

  it('scores the best window holding every topic: idf · c(k + 1) / (c + k), a sub-word at a whole word\'s place counted once; windows starting before a position', () => {
    // Document 0: topic 0 at 0 and 150; topic 1 at 10, 300, 310, and its sub-word (weight 0.15) at 10 and 160.
    const list = (...positions: number[]) => postingsList([[0, positions]]);
    const terms: PassageTerm[] = [
      { topic: 0, lists: [list(0, 150)], weight: 1 },
      { topic: 1, lists: [list(10, 300, 310)], weight: 1 },
      { topic: 1, lists: [list(10, 160)], weight: 0.15 },
    ];
    const idfs = Float64Array.of(2, 1);
    const none = Float64Array.of(0, 0);
    // [0, 100): both once, 2 + 1; [150, 250): topic 1 only by its sub-word, 2 + 0.15 · 1.2 / 0.35.
    expect(bestPassage(terms, idfs, none, 0, 100, 0.2)).toBeCloseTo(3);
    expect(bestPassage(terms.slice(0, 1).concat(terms[2]!), idfs, none, 0, 100, 0.2)).toBeCloseTo(2 + (0.15 * 1.2) / 0.35);
    expect(bestPassage(terms, idfs, none, 0, 11, 0.2)).toBeCloseTo(3);
    expect(bestPassage(terms, idfs, none, 0, 10, 0.2)).toBe(0);
    // A topic named in the title counts once in every window: alone in the body, topic 0 makes a passage.
    expect(bestPassage(terms.slice(0, 1), idfs, Float64Array.of(0, 1), 0, 100, 0.2)).toBeCloseTo(3);
    expect(bestPassage(terms.slice(0, 1), idfs, none, 0, 100, 0.2)).toBe(0);
    // A compound the segmenter cut counts where its pieces stand side by side: at 10 (11 follows), not at 300.
    const pieces: PassageTerm = { topic: 1, lists: [list(10, 300), list(11, 302)], weight: 1 };
    expect(bestPassage([terms[0]!, pieces], idfs, none, 0, 100, 0.2)).toBeCloseTo(3);
    expect(bestPassage([{ ...terms[0]!, lists: [list(300)] }, pieces], idfs, none, 0, 100, 0.2)).toBe(0);
    // Windows starting before a position only (a post's lead): topic 0 at 0 and 500, topic 1 by its sub-word at 50 and
    // whole at 510; [0, 100) scores 2 + 0.15 · 1.2 / 0.35, [500, 600) 3.
    const late: PassageTerm[] = [
      { topic: 0, lists: [list(0, 500)], weight: 1 },
      { topic: 1, lists: [list(510)], weight: 1 },
      { topic: 1, lists: [list(50)], weight: 0.15 },
    ];
    expect(bestPassage(late, idfs, none, 0, 100, 0.2)).toBeCloseTo(3);
    expect(bestPassage(late, idfs, none, 0, 100, 0.2, undefined, 500)).toBeCloseTo(2 + (0.15 * 1.2) / 0.35);
    expect(bestPassage(late, idfs, none, 0, 100, 0.2, undefined, 501)).toBeCloseTo(3);
    expect(bestPassage(late, idfs, none, 0, 20, 0.2, undefined, 500)).toBe(0);
  });

  it('unions runs of sorted positions, shared positions once', () => {
    const into = new PositionRuns();
    const arena = new PositionArena();
    const runs = runsOf([0], [1, 5], [1, 3], [2, 5, 9]);
    appendUnionOfRuns(runs, 1, 4, arena, into);
    appendUnionOfRuns(runs, 0, 2, arena, into);
    expect(runValues(into)).toEqual([
      [1, 2, 3, 5, 9],
      [0, 1, 5],
    ]);
  });

  it('unions the positions a document has in several lists, read in place, whatever the number of lists', () => {
    const list = postingsList;
    // A small arena: the unions outgrow its buffer, and those made before keep theirs.
    const arena = new PositionArena(4);
    const lists = [list([[1, [4, 9]], [3, [2]]]), list([[3, [2, 7]]]), list([[0, [1]], [3, [0, 7, 30]]])];
    const union = (of: typeof lists, doc: number) => {
      const runs = new PositionRuns();
      return appendUnionIn(of, doc, arena, runs) ? runValues(runs)[0] : undefined;
    };
    // Shared positions once; a list without the document adds nothing.
    expect(union(lists, 3)).toEqual([0, 2, 7, 30]);
    // Held by one list only: its own positions.
    expect(union(lists, 1)).toEqual([4, 9]);
    expect(union(lists, 2)).toBeUndefined();
    // More lists than the cursors kept between calls had room for.
    const many = Array.from({ length: 20 }, (_, i) => list([[5, [i, 100 + (i % 3)]]]));
    const expected = [...Array.from({ length: 20 }, (_, i) => i), 100, 101, 102];
    const runs = new PositionRuns();
    appendUnionIn(lists, 3, arena, runs);
    appendUnionIn(many, 5, arena, runs);
    appendUnionIn(lists, 3, arena, runs);
    expect(runValues(runs)).toEqual([[0, 2, 7, 30], expected, [0, 2, 7, 30]]);
  });

  it('seeks the first value at or after a target from a cursor, to the end when none is left', () => {
    const values = Uint32Array.of(2, 3, 5, 8, 13, 21, 34, 55, 89);
    // Every target from every cursor agrees with a plain scan.
    for (let from = 0; from <= values.length; from++) {
      for (let target = 0; target <= 90; target++) {
        let expected = from;
        while (expected < values.length && values[expected]! < target) expected++;
        expect(seek(values, target, from), `${target} from ${from}`).toBe(expected);
      }
    }
    expect(seek(new Uint32Array(0), 7, 0)).toBe(0);
  });

  it('aligns one list by itself and stops at the end of the shortest', () => {
    const list = (docs: number[], positions: number[][]) => postingsList(docs.map((doc, i) => [doc, positions[i]!]));
    const visits = (lists: ReturnType<typeof list>[], offsets: number[]) => {
      const found: [number, number][] = [];
      forEachAligned(lists, offsets, (doc, count) => found.push([doc, count]));
      return found;
    };
    // One word: each document with its positions' count.
    expect(visits([list([1, 4], [[3, 9], [0]])], [0])).toEqual([[1, 2], [4, 1]]);
    // The rarer second list leads: its documents 4 and 9 looked up in the first; 9 is past the first's end.
    const common = list([0, 1, 4, 6], [[5], [2], [7, 20], [1]]);
    const rare = list([4, 9], [[8, 21], [0]]);
    expect(visits([common, rare], [0, 1])).toEqual([[4, 2]]);
    // Offsets other than side by side: the second word two places on.
    expect(visits([common, list([4], [[9, 30]])], [0, 2])).toEqual([[4, 1]]);
  });

  it('merges in an arena whose earlier pieces stay intact when it grows, until it is reset', () => {
    const arena = new PositionArena();
    const into = new PositionRuns();
    appendUnionOfRuns(runsOf([2, 4], [3]), 0, 2, arena, into);
    const long = Array.from({ length: 5000 }, (_, i) => 2 * i);
    appendUnionOfRuns(runsOf(long, long.map((p) => p + 1)), 0, 2, arena, into);
    const [first, second] = runValues(into);
    expect(first).toEqual([2, 3, 4]);
    expect(second!.length).toBe(10000);
    expect(second![9999]).toBe(9999);
    arena.reset();
    into.clear();
    appendUnionOfRuns(runsOf([7], [1]), 0, 2, arena, into);
    expect(runValues(into)).toEqual([[1, 7]]);
  });
});

describe('escapeHtml', () => {
  it('escapes markup characters only', () => {
    expect(escapeHtml(`<a href="x">'新' & 😀</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;新&#39; &amp; 😀&lt;/a&gt;');
  });
});

describe('suggestions', () => {
  it('offers a text once, as its first kind, when it is a tag and a keyword too', () => {
    const suggester = new Suggester(
      (text) => text,
      function* () {
        return [
          { text: '新基础设施', kind: 'tag' as const },
          { text: '新基础设施', kind: 'keyword' as const },
          { text: '新基建', kind: 'keyword' as const },
        ];
      },
    );
    expect(suggester.suggest('新基', 5)).toEqual([
      { text: '新基础设施', kind: 'tag' },
      { text: '新基建', kind: 'keyword' },
    ]);
  });

  it('answers from its packed words as they were added: keys typed first, every typed word matched, links kept', () => {
    const suggester = new Suggester(
      (text) => text,
      function* () {
        return [
          { text: '海洋经济 发展报告', kind: 'title' as const, url: '', wordStarts: ['发展报告'] },
          { text: '发展海洋经济', kind: 'title' as const, url: '/b', wordStarts: ['海洋经济'] },
          { text: '海洋', kind: 'tag' as const },
        ];
      },
    );
    expect(suggester.suggest('海洋', 5)).toEqual([
      { text: '海洋经济 发展报告', kind: 'title', url: '' },
      { text: '海洋', kind: 'tag' },
      { text: '发展海洋经济', kind: 'title', url: '/b' },
    ]);
    expect(suggester.suggest('发展 海洋', 5)).toEqual([
      { text: '发展海洋经济', kind: 'title', url: '/b' },
      { text: '海洋经济 发展报告', kind: 'title', url: '' },
    ]);
    expect(suggester.suggest('发展 天气', 5)).toEqual([]);
  });

  it('matches a typed word within one packed word, never across the join with the word packed after it', () => {
    // 海洋 is the last word of its group and 经济学 the first of the next: packed, they read 海洋经济学.
    const suggester = suggesterOf(JOINED);
    expect(suggester.suggest('海洋经', 5)).toEqual([]);
    expect(suggester.suggest('发展 海洋经', 5)).toEqual([]);
    expect(suggester.suggest('海洋', 5)).toEqual([
      { text: '海洋', kind: 'tag' },
      { text: '发展海洋', kind: 'title', url: '/a' },
    ]);
    expect(suggester.suggest('经济', 5)).toEqual([{ text: '经济学', kind: 'tag' }]);
  });

  it('reads only the first limit × WORDS_PER_SUGGESTION matching words of a typed word', () => {
    // The tag 海洋 is the 21st word starting 海洋: for one suggestion it is not read, though its key starts with what was
    // typed (which would put it first); for two it is.
    const suggester = suggesterOf(CROWDED);
    expect(suggester.suggest('海洋', 1)).toEqual([{ text: '发展海洋经济', kind: 'title', url: '/0' }]);
    expect(suggester.suggest('海洋', 2)).toEqual([
      { text: '海洋', kind: 'tag' },
      { text: '发展海洋经济', kind: 'title', url: '/0' },
    ]);
  });

  it('answers as the static runtime\'s PrefixWords over the same words', () => {
    for (const entries of [JOINED, CROWDED]) {
      const suggester = suggesterOf(entries);
      const words = new PrefixWords();
      const keys: string[] = [];
      entries.forEach((entry, n) => {
        const { key, words: entryWords } = suggestWords(entry, (text) => text);
        keys.push(key);
        for (const word of entryWords) words.add(word, n);
      });
      for (const prefix of ['海洋', '海洋经', '经济', '发展 海洋经', '发展 海洋', '海洋 发展', '保护']) {
        for (const limit of [1, 2, 5]) {
          const typed = typedWords(prefix, (text) => text);
          const shown = keyStartsFirst(words.match(typed, limit), (n) => keys[n]!, typed).slice(0, limit);
          const expected = shown.map((n) => {
            const { text, kind, url } = entries[n]!;
            return url === undefined ? { text, kind } : { text, kind, url };
          });
          expect(suggester.suggest(prefix, limit), `${prefix} ${limit}`).toEqual(expected);
        }
      }
    }
  });
});

/** Tags whose words are packed next to each other, after a title that has 海洋 among its later words. */
const JOINED: SuggestEntry[] = [
  { text: '发展海洋', kind: 'title', url: '/a', wordStarts: ['海洋'] },
  { text: '海洋', kind: 'tag' },
  { text: '经济学', kind: 'tag' },
];

/** Twenty titles with a later word starting 海洋, then the tag 海洋 itself. */
const CROWDED: SuggestEntry[] = [
  ...['经济', '生态', '牧场', '科技', '文化', '环境', '资源', '旅游', '渔业', '能源', '保护', '强国', '产业', '装备', '气候', '安全', '权益', '交通', '生物', '垃圾'].map(
    (word, i): SuggestEntry => ({ text: `发展海洋${word}`, kind: 'title', url: `/${i}`, wordStarts: [`海洋${word}`] }),
  ),
  { text: '海洋', kind: 'tag' },
];

function suggesterOf(entries: SuggestEntry[]): Suggester {
  return new Suggester(
    (text) => text,
    function* () {
      return entries;
    },
  );
}

describe('analyzerForIndex', () => {
  it('returns the analyzer that built the index, reusing a cached one, and refuses another', () => {
    const built = createAnalyzer({ segmenter: 'node-rs' }).identity;
    const cache: AnalyzerCache = new Map();
    const analyzer = analyzerForIndex(built, {}, cache);
    expect(analyzer.identity).toEqual(built);
    expect(analyzerForIndex(built, {}, cache)).toBe(analyzer);
    const older = { ...built, rules: 'zhsearch-analysis-0' };
    expect(() => analyzerForIndex(older, {}, cache)).toThrow(AnalyzerMismatchError);
    expect(() => analyzerForIndex(older, {}, cache)).toThrow(
      `the index was built with analyzer node-rs ${built.version} (dictionary ${built.dictHash}, rules zhsearch-analysis-0), ` +
        `the query analyzer is node-rs ${built.version} (dictionary ${built.dictHash}, rules ${built.rules})`,
    );
  });
});
