/**
 * Ranking metrics exactly as ../shared/eval/README.md defines them. A ranking is a list of docids, best first;
 * judgments map docid → grade. Unjudged documents count as not relevant.
 */

/** Grade from which a document counts as relevant for P@k, MRR and Recall@k. */
export const RELEVANT_GRADE = 2;

/** Gain 2^grade − 1, log2 discount; the ideal ranking is built from all judged documents of the query. */
export function ndcgAt(k: number, ranking: readonly string[], judged: ReadonlyMap<string, number>): number {
  const dcg = (grades: number[]): number =>
    grades.slice(0, k).reduce((sum, grade, i) => sum + (2 ** grade - 1) / Math.log2(i + 2), 0);
  const ideal = dcg([...judged.values()].sort((a, b) => b - a));
  if (ideal === 0) return 0;
  return dcg(ranking.map((id) => judged.get(id) ?? 0)) / ideal;
}

function isRelevant(id: string, judged: ReadonlyMap<string, number>): boolean {
  return (judged.get(id) ?? 0) >= RELEVANT_GRADE;
}

/** Relevant documents in the top k, divided by k (a short ranking is not rescaled). */
export function precisionAt(k: number, ranking: readonly string[], judged: ReadonlyMap<string, number>): number {
  return ranking.slice(0, k).filter((id) => isRelevant(id, judged)).length / k;
}

/** 1 / rank of the first relevant document, 0 if none. */
export function reciprocalRank(ranking: readonly string[], judged: ReadonlyMap<string, number>): number {
  const rank = ranking.findIndex((id) => isRelevant(id, judged));
  return rank < 0 ? 0 : 1 / (rank + 1);
}

/** Relevant documents in the top k, divided by all judged-relevant documents of the query (0 if it has none). */
export function recallAt(k: number, ranking: readonly string[], judged: ReadonlyMap<string, number>): number {
  const relevant = [...judged.keys()].filter((id) => isRelevant(id, judged)).length;
  if (relevant === 0) return 0;
  return ranking.slice(0, k).filter((id) => isRelevant(id, judged)).length / relevant;
}

/** How many of the top k have no judgment at all. */
export function unjudgedAt(k: number, ranking: readonly string[], judged: ReadonlyMap<string, number>): number {
  return ranking.slice(0, k).filter((id) => !judged.has(id)).length;
}

export interface QueryScores {
  ndcg10: number;
  p5: number;
  mrr: number;
  recall30: number;
  unjudged10: number;
}

export function scoreQuery(ranking: readonly string[], judged: ReadonlyMap<string, number>): QueryScores {
  return {
    ndcg10: ndcgAt(10, ranking, judged),
    p5: precisionAt(5, ranking, judged),
    mrr: reciprocalRank(ranking, judged),
    recall30: recallAt(30, ranking, judged),
    unjudged10: unjudgedAt(10, ranking, judged),
  };
}

/** Mean of each score over queries (unjudged10 stays a mean count per query). */
export function meanScores(perQuery: readonly QueryScores[]): QueryScores {
  const mean = (pick: (s: QueryScores) => number): number =>
    perQuery.length === 0 ? 0 : perQuery.reduce((sum, s) => sum + pick(s), 0) / perQuery.length;
  return {
    ndcg10: mean((s) => s.ndcg10),
    p5: mean((s) => s.p5),
    mrr: mean((s) => s.mrr),
    recall30: mean((s) => s.recall30),
    unjudged10: mean((s) => s.unjudged10),
  };
}
