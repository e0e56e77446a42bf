/** The eval's tables: mean scores per system, and zhsearch's worst queries beside the best peer on each. */
import type { Qrels, TopicQuery } from './judgments.js';
import { meanScores, scoreQuery, type QueryScores } from './metrics.js';
import { markdownTable } from './table.js';

const WORST_QUERIES = 10;

/** One system's rankings; the first run passed to evalTables is zhsearch. */
export interface SystemRun {
  label: string;
  rankings: Record<string, string[]>;
  /** Set when the system saw only part of the corpus; such runs are not offered as "best peer". */
  note?: string;
}

function scoresOf(run: SystemRun, queries: TopicQuery[], qrels: Qrels): Map<string, QueryScores> {
  return new Map(queries.map(({ qid }) => [qid, scoreQuery(run.rankings[qid] ?? [], qrels.get(qid) ?? new Map())]));
}

export function evalTables(runs: SystemRun[], queries: TopicQuery[], qrels: Qrels): string {
  const perSystem = runs.map((run) => ({ run, scores: scoresOf(run, queries, qrels) }));
  const summary = markdownTable(
    ['system', 'nDCG@10', 'P@5', 'MRR', 'R@30', 'unjudged@10'],
    perSystem.map(({ run, scores }) => {
      const mean = meanScores([...scores.values()]);
      return [run.note ? `${run.label} (${run.note})` : run.label, mean.ndcg10, mean.p5, mean.mrr, mean.recall30, mean.unjudged10];
    }),
  );
  const zh = perSystem[0]!;
  const peers = perSystem.slice(1).filter(({ run }) => !run.note);
  const worst = queries
    .map((query) => ({ query, own: zh.scores.get(query.qid)! }))
    .sort((a, b) => a.own.ndcg10 - b.own.ndcg10 || a.own.recall30 - b.own.recall30)
    .slice(0, WORST_QUERIES)
    .map(({ query, own }) => {
      const best = peers
        .map(({ run, scores }) => ({ label: run.label, ndcg: scores.get(query.qid)!.ndcg10 }))
        .sort((a, b) => b.ndcg - a.ndcg)[0];
      return [query.qid, query.query, own.ndcg10, own.p5, own.recall30, own.unjudged10, best ? best.ndcg : null, best ? best.label : '–'];
    });
  const worstTable = markdownTable(['qid', 'query', 'nDCG@10', 'P@5', 'R@30', 'unjudged@10', 'best peer nDCG@10', 'best peer'], worst);
  return `${summary}\n\nzhsearch's worst queries (by nDCG@10):\n\n${worstTable}`;
}

