/** Article → AnalyzedArticle: runs the analyzer over each indexed field and groups positions by term. */
import { threadId } from 'node:worker_threads';
import type { Analyzer, Vocabulary } from '../analysis/types.js';
import type { Article } from '../ingest/types.js';
import { CATEGORY_SEPARATOR } from '../ingest/index.js';
import { edgeClauses } from './boilerplate.js';
import { grown } from '../analysis/index.js';
import type { AnalyzedArticle, AnalyzedField } from './types.js';

/**
 * Positions skipped between two values of a multi-valued field (headings, tags), so that
 * a phrase never matches across the end of one heading and the start of the next.
 */
export const VALUE_POSITION_GAP = 16;

/**
 * The vocabulary each analyzer's articles are analysed with (one per thread, as each thread has its own analyzer),
 * with a name no other in the process has: trimmed before an article, so the numbers of an article's terms hold until
 * the next article is analysed (and after, while its generation is the same).
 */
const vocabularies = new WeakMap<Analyzer, { vocabulary: Vocabulary; name: string }>();
let vocabularyCount = 0;

export function analyzeArticle(analyzer: Analyzer, article: Article): AnalyzedArticle {
  let named = vocabularies.get(analyzer);
  if (named === undefined) vocabularies.set(analyzer, (named = { vocabulary: analyzer.vocabulary(), name: `${process.pid}.${threadId}.${vocabularyCount++}` }));
  const { vocabulary, name } = named;
  vocabulary.trim();
  const { frontMatter: _frontMatter, warnings: _warnings, ...stored } = article;
  return {
    article: stored,
    fields: {
      title: analyzeValues(vocabulary, [article.title]),
      headings: analyzeValues(vocabulary, article.headings),
      description: analyzeValues(vocabulary, [article.description]),
      // Each level of a category path is a value of its own (编程 › 运维: 编程, 运维).
      tags: analyzeValues(vocabulary, [...article.categories.flatMap((path) => path.split(CATEGORY_SEPARATOR)), ...article.tags]),
      body: analyzeValues(vocabulary, [article.text]),
    },
    edges: edgeClauses({ title: article.title, body: article.text }),
    vocabulary: { name, generation: vocabulary.generation },
  };
}

/** The tokens of a field of several values, one after another (term numbers and positions): reused from field to field. */
let tokenIds: Int32Array = new Int32Array(1024);
let tokenPositions: Int32Array = new Int32Array(1024);
/** Per term number: its index among the field's distinct terms while the field is grouped, else −1. */
let slots = new Int32Array(1024).fill(-1);

/** Analyses the values of one field one after another, as if they were one text with gaps between them. */
function analyzeValues(vocabulary: Vocabulary, values: readonly string[]): AnalyzedField {
  // Stop words are dropped but consume positions, so the last position + 1 counts them (except trailing ones); the
  // tokens' positions never decrease.
  if (values.length === 1) {
    // One value (a title, a body): its tokens are grouped where the vocabulary wrote them.
    const { count, ids, positions } = vocabulary.termIds(values[0]!);
    return groupByTerm(vocabulary, ids, positions, count, count === 0 ? 0 : positions[count - 1]! + 1);
  }
  let count = 0;
  let length = 0;
  let base = 0;
  for (const value of values) {
    const analyzed = vocabulary.termIds(value);
    if (analyzed.count === 0) continue;
    if (count + analyzed.count > tokenIds.length) {
      const capacity = 2 * (count + analyzed.count);
      tokenIds = grown(tokenIds, capacity);
      tokenPositions = grown(tokenPositions, capacity);
    }
    tokenIds.set(analyzed.ids, count);
    for (let k = 0; k < analyzed.count; k++) tokenPositions[count + k] = base + analyzed.positions[k]!;
    count += analyzed.count;
    const last = analyzed.positions[analyzed.count - 1]!;
    length += last + 1;
    base += last + 1 + VALUE_POSITION_GAP;
  }
  return groupByTerm(vocabulary, tokenIds, tokenPositions, count, length);
}

/**
 * Scratch of groupByTerm, reused: each token's index among the field's distinct terms; per distinct term, its count (0
 * between fields) and its number.
 */
let tokenSlots = new Int32Array(1024);
let counts = new Uint32Array(1024);
let distinct = new Int32Array(1024);

/**
 * A field's `count` tokens (term numbers and positions, in text order) grouped by term: distinct terms, counts, positions
 * per term. Each term's positions come out in the tokens' order, so ascending: positions never decrease.
 */
function groupByTerm(vocabulary: Vocabulary, tokenIds: Int32Array, tokenPositions: Int32Array, count: number, length: number): AnalyzedField {
  if (slots.length < vocabulary.size) slots = grown(slots, Math.max(vocabulary.size, 2 * slots.length), -1);
  if (tokenSlots.length < count) {
    tokenSlots = new Int32Array(2 * count);
    counts = new Uint32Array(2 * count);
    distinct = new Int32Array(2 * count);
  }
  let termCount = 0;
  for (let k = 0; k < count; k++) {
    const id = tokenIds[k]!;
    let slot = slots[id]!;
    if (slot < 0) {
      slot = slots[id] = termCount++;
      distinct[slot] = id;
    }
    counts[slot]++;
    tokenSlots[k] = slot;
  }
  const freqs = counts.slice(0, termCount);
  const positions = new Uint32Array(count);
  for (let i = 0; i < termCount; i++) slots[distinct[i]!] = -1;
  // counts becomes where each term's next position goes, then 0 again (a later field must not see this one's); nothing
  // in between can throw.
  for (let i = 0, at = 0; i < termCount; at += freqs[i]!, i++) counts[i] = at;
  for (let k = 0; k < count; k++) positions[counts[tokenSlots[k]!]!++] = tokenPositions[k]!;
  counts.fill(0, 0, termCount);
  const terms = new Array<string>(termCount);
  for (let i = 0; i < termCount; i++) terms[i] = vocabulary.term(distinct[i]!);
  return { terms, ids: distinct.slice(0, termCount), freqs, positions, length };
}
