/**
 * SQLite FTS5 through better-sqlite3, two ways: bm25 over the shared jieba tokens (unicode61 tokenizer on the
 * space-joined tokens, all words required), and the trigram tokenizer on raw text (all words required; words under
 * three characters cannot use the trigram index and fall back to LIKE).
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { PeerDoc, PeerQuery } from '../peerText.js';
import type { Peer, PeerIndex } from './types.js';

const DB_FILE = 'fts.sqlite';
/** bm25 column weights: id and category (unindexed), title, tags, body. */
const BM25 = 'bm25(docs, 0, 0, 2.0, 1.5, 1.0)';

function quote(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

interface Variant {
  name: string;
  label: string;
  jiebaTokens: boolean;
  tokenizer: string;
  fields: (doc: PeerDoc) => [string, string, string];
  /** SQL and parameters for the top `limit` ids, or undefined for a query with nothing to match. */
  statement: (query: PeerQuery, limit: number) => { sql: string; params: unknown[] } | undefined;
}

function categoryClause(query: PeerQuery, params: unknown[]): string {
  if (!query.category) return '';
  params.push(query.category);
  return ' AND category = ?';
}

function sqlitePeer(variant: Variant): Peer {
  const wrap = (db: Database.Database): PeerIndex => ({
    search(query, limit) {
      const statement = variant.statement(query, limit);
      if (!statement) return [];
      const rows = db.prepare(statement.sql).pluck().all(...statement.params) as string[];
      return rows;
    },
    async save() {
      // The database is built in its folder already.
    },
  });
  return {
    name: variant.name,
    label: variant.label,
    jiebaTokens: variant.jiebaTokens,
    async build(docs, dir) {
      const db = new Database(path.join(dir, DB_FILE));
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      db.exec(`CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, category UNINDEXED, title, tags, body, tokenize = '${variant.tokenizer}')`);
      const insert = db.prepare('INSERT INTO docs (id, category, title, tags, body) VALUES (?, ?, ?, ?, ?)');
      db.transaction(() => {
        for (const doc of docs) insert.run(doc.id, doc.category, ...variant.fields(doc));
      })();
      db.exec("INSERT INTO docs(docs) VALUES('optimize')");
      return wrap(db);
    },
    async load(dir) {
      return wrap(new Database(path.join(dir, DB_FILE), { readonly: true }));
    },
  };
}

export const sqliteJiebaPeer = sqlitePeer({
  name: 'sqlite-jieba',
  label: 'SQLite FTS5, bm25 over jieba tokens (AND)',
  jiebaTokens: true,
  tokenizer: 'unicode61 remove_diacritics 0',
  fields: (doc) => [doc.titleTokens, doc.tagTokens, doc.bodyTokens],
  statement(query, limit) {
    const parts = query.parts.filter((p) => p.tokens.length > 0);
    if (parts.length === 0) return undefined;
    // A phrase keeps its token sequence; a plain word needs all of its search-mode tokens.
    const match = parts.map((p) => (p.phrase ? quote(p.tokens.join(' ')) : p.tokens.map(quote).join(' AND '))).join(' AND ');
    const params: unknown[] = [match];
    const filter = categoryClause(query, params);
    params.push(limit);
    return { sql: `SELECT id FROM docs WHERE docs MATCH ?${filter} ORDER BY ${BM25} LIMIT ?`, params };
  },
});

export const sqliteTrigramPeer = sqlitePeer({
  name: 'sqlite-trigram',
  label: 'SQLite FTS5 trigram (AND; LIKE below 3 chars)',
  jiebaTokens: false,
  tokenizer: 'trigram',
  fields: (doc) => [doc.title, doc.tags, doc.body],
  statement(query, limit) {
    const words = query.parts.map((p) => p.raw.normalize('NFKC').toLowerCase()).filter(Boolean);
    if (words.length === 0) return undefined;
    const long = words.filter((w) => [...w].length >= 3);
    const short = words.filter((w) => [...w].length < 3);
    const params: unknown[] = [];
    const where: string[] = [];
    if (long.length > 0) {
      where.push('docs MATCH ?');
      params.push(long.map(quote).join(' AND '));
    }
    for (const word of short) {
      where.push("(title LIKE ? ESCAPE '\\' OR tags LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')");
      const pattern = `%${word.replace(/[%_\\]/g, '\\$&')}%`;
      params.push(pattern, pattern, pattern);
    }
    const filter = categoryClause(query, params);
    // Without a MATCH there is no bm25: rank short-word matches by how often the first word occurs in title, then body.
    const order = long.length > 0 ? BM25 : 'title_hits DESC, body_hits DESC';
    const counts =
      long.length > 0
        ? ''
        : `, (length(title) - length(replace(lower(title), ?, ''))) AS title_hits, (length(body) - length(replace(lower(body), ?, ''))) AS body_hits`;
    const countParams = long.length > 0 ? [] : [short[0], short[0]];
    params.push(limit);
    return {
      sql: `SELECT id${counts} FROM docs WHERE ${where.join(' AND ')}${filter} ORDER BY ${order} LIMIT ?`,
      params: [...countParams, ...params],
    };
  },
});
