/**
 * Queries made only of stop words (我们, 如何, the, how to): the index leaves stop words out, so instead of answering
 * with every article, the stored titles and texts are read and the words counted (Latin words whole, `the` not in
 * `there`). Reading every text costs about 0.2 s per 1,000 articles (decompression), so above FULL_TEXT_BYTES of
 * source only titles, headings and openings (summaries) are read: about 0.2 s for 28,000 articles.
 */
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

/** A character that would make a Latin word part of a longer one (Chinese next to it does not: 用Java写). */
const LATIN_OR_DIGIT = /[\p{Script=Latin}\p{N}]/u;

/** Occurrences of `word` (normalised) in `text` (lowercased); a Latin or digit word only where no Latin letter or digit touches it. */
function countOccurrences(text: string, word: string): number {
  const latin = /^[\p{Script=Latin}\p{N}]/u.test(word);
  let count = 0;
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) {
    if (latin && (LATIN_OR_DIGIT.test(text[at - 1] ?? '') || LATIN_OR_DIGIT.test(text[at + word.length] ?? ''))) continue;
    count++;
  }
  return count;
}

/**
 * BM25F-like scores of the articles containing any of `words` (0 for the rest): title and body counts weighted and
 * length-normalised as for indexed words (body length in characters), each word saturated with its idf, and
 * missingPenalty per word an article lacks.
 */
const FULL_TEXT_BYTES = 16 * 1024 * 1024;

export function literalScores(reader: IndexReader, words: string[], config: RankingConfig): Float64Array {
  const fullText = reader.manifest.sourceBytes <= FULL_TEXT_BYTES;
  const counts = words.map(() => ({ title: new Uint32Array(reader.docCount), body: new Uint32Array(reader.docCount), docs: 0 }));
  const lengths = new Float64Array(reader.docCount);
  let totalLength = 0;
  for (let doc = 0; doc < reader.docCount; doc++) {
    const article = reader.stored(doc);
    // Lowercased only: full normalisation of every text would take seconds on a large corpus.
    const title = article.title.toLowerCase();
    const body = (fullText ? article.text || article.summary : [...article.headings, article.summary].join('\n')).toLowerCase();
    lengths[doc] = body.length;
    totalLength += body.length;
    words.forEach((word, w) => {
      const inTitle = countOccurrences(title, word);
      const inBody = countOccurrences(body, word);
      counts[w]!.title[doc] = inTitle;
      counts[w]!.body[doc] = inBody;
      if (inTitle + inBody > 0) counts[w]!.docs++;
    });
  }
  const averageLength = totalLength / Math.max(1, reader.docCount);
  const scores = new Float64Array(reader.docCount);
  for (let doc = 0; doc < reader.docCount; doc++) {
    let raw = 0;
    let missing = 0;
    words.forEach((_, w) => {
      const { title, body, docs } = counts[w]!;
      const pseudoTf =
        weightedFieldTf(title[doc]!, 1, 1, config.weights.title, 0) + weightedFieldTf(body[doc]!, lengths[doc]!, averageLength, config.weights.body, config.b.body);
      const score = saturate(pseudoTf, idf(docs, reader.docCount), config.k1);
      if (score > 0) raw += score;
      else missing++;
    });
    scores[doc] = raw * config.missingPenalty ** missing;
  }
  return scores;
}
