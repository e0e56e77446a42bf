/**
 * Queries made only of stop words (我们, 如何, the, how to): the index leaves stop words out, so instead of answering
 * with every article, the stored titles and texts are read and the words counted (Latin words whole, `the` not in
 * `there`). Reading every text costs about 0.2 s per 1,000 articles (decompression), so above FULL_TEXT_BYTES of
 * source only titles, headings and openings (summaries) are read: about 0.2 s for 28,000 articles, once per loaded
 * index (the lowercased texts are kept, concatenated: a later stop-word query searches them in a few milliseconds).
 */
import { nextOccurrence } from '../analysis/portable.js';
import type { IndexReader } from '../index/types.js';
import { idf, saturate, weightedFieldTf } from './bm25f.js';
import type { RankingConfig } from './config.js';
import type { QueryAst } from './query.js';

/** The query's words when it has words but the analyzer kept none (all stop words); empty otherwise. */
export function stopWordOnlyWords(ast: QueryAst, plannedGroups: number, normalize: (text: string) => string): string[] {
  if (plannedGroups > 0) return [];
  const words = ast.groups.flatMap((group) => group.alternatives.flatMap((atom) => normalize(atom.text).split(/[\s\p{P}\p{S}]+/u)));
  return [...new Set(words.filter(Boolean))];
}

/** Between two documents' texts in LiteralTexts: no normalised word contains it, and it is neither Latin nor a digit. */
const DOCUMENT_SEPARATOR = '\u0001';

/**
 * The lowercased titles and bodies literalScores reads, each kind concatenated over all documents (separated by
 * DOCUMENT_SEPARATOR), with where each document's text starts: built once, on the first stop-word query, so a
 * query searches two long strings instead of reading (and decompressing) every stored article again.
 */
interface LiteralTexts {
  titles: string;
  bodies: string;
  /** docCount + 1 entries: document d's text is [start[d], start[d + 1] - 1) (the separator after it excluded). */
  titleStart: Float64Array;
  bodyStart: Float64Array;
}

function literalTexts(reader: IndexReader): LiteralTexts {
  const fullText = reader.manifest.sourceBytes <= FULL_TEXT_BYTES;
  const titles: string[] = [];
  const bodies: string[] = [];
  const titleStart = new Float64Array(reader.docCount + 1);
  const bodyStart = new Float64Array(reader.docCount + 1);
  for (let doc = 0; doc < reader.docCount; doc++) {
    const article = reader.stored(doc);
    // Lowercased only: full normalisation of every text would take seconds on a large corpus.
    const title = article.title.toLowerCase();
    const body = (fullText ? article.text || article.summary : [...article.headings, article.summary].join('\n')).toLowerCase();
    titles.push(title);
    bodies.push(body);
    titleStart[doc + 1] = titleStart[doc] + title.length + 1;
    bodyStart[doc + 1] = bodyStart[doc] + body.length + 1;
  }
  return { titles: titles.join(DOCUMENT_SEPARATOR) + DOCUMENT_SEPARATOR, bodies: bodies.join(DOCUMENT_SEPARATOR) + DOCUMENT_SEPARATOR, titleStart, bodyStart };
}

/**
 * Adds the occurrences of `word` (normalised) in every document's text of `texts` (the concatenation, `starts` its
 * documents' starts) to `counts`, as occurrencesIn counts them (a Latin word or number whole).
 */
function countOccurrences(texts: string, starts: Float64Array, word: string, counts: Uint32Array): void {
  let doc = 0;
  for (let at = nextOccurrence(texts, word); at >= 0; at = nextOccurrence(texts, word, at + word.length)) {
    while (starts[doc + 1]! <= at) doc++;
    if (at + word.length < starts[doc + 1]!) counts[doc]!++; // not one running into the next document
  }
}

/**
 * Above this much source text only titles, headings and summaries are read for a stop-word query (see the file's
 * comment); below it the whole texts.
 */
const FULL_TEXT_BYTES = 16 * 1024 * 1024;

/**
 * BM25F-like scores of the articles containing any of `words` (0 for the rest): title and body counts weighted and
 * length-normalised as for indexed words (body length in characters), each word saturated with its idf, and
 * missingPenalty per word an article lacks. The texts are read once, on the first call.
 */
export function literalScorer(reader: IndexReader, config: RankingConfig): (words: string[]) => Float64Array {
  let texts: LiteralTexts | undefined;
  return (words) => {
    texts ??= literalTexts(reader);
    const { titles, bodies, titleStart, bodyStart } = texts;
    const docCount = reader.docCount;
    const counts = words.map((word) => {
      const title = new Uint32Array(docCount);
      const body = new Uint32Array(docCount);
      countOccurrences(titles, titleStart, word, title);
      countOccurrences(bodies, bodyStart, word, body);
      let docs = 0;
      for (let doc = 0; doc < docCount; doc++) if (title[doc]! + body[doc]! > 0) docs++;
      return { title, body, docs };
    });
    // The body's length in characters, the separator after it excluded.
    const averageLength = (bodyStart[docCount]! - docCount) / Math.max(1, docCount);
    const scores = new Float64Array(docCount);
    for (let doc = 0; doc < docCount; doc++) {
      const length = bodyStart[doc + 1]! - bodyStart[doc]! - 1;
      let raw = 0;
      let missing = 0;
      words.forEach((_, w) => {
        const { title, body, docs } = counts[w]!;
        const pseudoTf =
          weightedFieldTf(title[doc]!, 1, 1, config.weights.title, 0) + weightedFieldTf(body[doc]!, length, averageLength, config.weights.body, config.b.body);
        const score = saturate(pseudoTf, idf(docs, docCount), config.k1);
        if (score > 0) raw += score;
        else missing++;
      });
      scores[doc] = raw * config.missingPenalty ** missing;
    }
    return scores;
  };
}
