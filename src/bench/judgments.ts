/** Topic queries and graded judgments (TREC qrels), as described in ../shared/eval/README.md. */
import fs from 'node:fs';

export interface TopicQuery {
  qid: string;
  /** The query as a user would type it; a quoted query is a phrase. */
  query: string;
}

/** qid → (docid → grade 0–3). docids are decoded corpus-relative paths, the same form as Article.id. */
export type Qrels = Map<string, Map<string, number>>;

/** Parses `qid<TAB>query` lines; blank lines and `#` comments are skipped. */
export function parseQueries(text: string, file = 'queries'): TopicQuery[] {
  const queries: TopicQuery[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.startsWith('#')) return;
    const tab = line.indexOf('\t');
    if (tab <= 0 || !line.slice(tab + 1).trim()) throw new Error(`${file}:${i + 1}: expected "qid<TAB>query", got ${JSON.stringify(line)}`);
    queries.push({ qid: line.slice(0, tab).trim(), query: line.slice(tab + 1).trim() });
  });
  return queries;
}

/** Parses TREC qrels `qid 0 docid grade`; docids are percent-decoded (`%20` → space, `%25` → %). */
export function parseQrels(text: string, file = 'qrels'): Qrels {
  const qrels: Qrels = new Map();
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const parts = line.trim().split(/\s+/);
    const grade = Number(parts[3]);
    if (parts.length !== 4 || !Number.isInteger(grade) || grade < 0) {
      throw new Error(`${file}:${i + 1}: expected "qid 0 docid grade" with an integer grade, got ${JSON.stringify(line)}`);
    }
    const [qid, , docid] = parts as [string, string, string];
    let judged = qrels.get(qid);
    if (!judged) qrels.set(qid, (judged = new Map()));
    judged.set(decodeURIComponent(docid), grade);
  });
  return qrels;
}

export function readQueries(file: string): TopicQuery[] {
  return parseQueries(fs.readFileSync(file, 'utf8'), file);
}

export function readQrels(file: string): Qrels {
  return parseQrels(fs.readFileSync(file, 'utf8'), file);
}
