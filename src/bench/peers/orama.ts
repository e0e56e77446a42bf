/** Orama over the shared jieba tokens (a custom tokenizer that splits the space-joined tokens), BM25, OR. */
import fs from 'node:fs';
import path from 'node:path';
import { create, insertMultiple, load, save, search, type Tokenizer } from '@orama/orama';
import { queryTokens } from '../peerText.js';
import type { Peer, PeerIndex } from './types.js';

const SCHEMA = { titleTokens: 'string', tagTokens: 'string', bodyTokens: 'string', category: 'enum' } as const;

function spaceTokenizer(): Tokenizer {
  return {
    language: 'chinese',
    normalizationCache: new Map(),
    tokenize: (raw) => raw.split(' ').filter(Boolean),
  };
}

function createDb() {
  return create({ schema: SCHEMA, components: { tokenizer: spaceTokenizer() } });
}

type Db = ReturnType<typeof createDb>;

function wrap(db: Db, dir: string): PeerIndex {
  return {
    search(query, limit) {
      const tokens = queryTokens(query);
      if (tokens.length === 0) return [];
      const result = search(db, {
        term: tokens.join(' '),
        properties: ['titleTokens', 'tagTokens', 'bodyTokens'],
        boost: { titleTokens: 2, tagTokens: 1.5 },
        limit,
        ...(query.category ? { where: { category: { eq: query.category } } } : {}),
      }) as Awaited<ReturnType<typeof search>>;
      return result.hits.map((hit) => hit.id);
    },
    async save() {
      fs.writeFileSync(path.join(dir, 'orama.json'), JSON.stringify(save(db)));
    },
  };
}

export const oramaPeer: Peer = {
  name: 'orama',
  label: 'Orama, jieba tokens (custom tokenizer)',
  jiebaTokens: true,
  async build(docs, dir) {
    const db = createDb();
    await insertMultiple(
      db,
      docs.map((doc) => ({ id: doc.id, titleTokens: doc.titleTokens, tagTokens: doc.tagTokens, bodyTokens: doc.bodyTokens, category: doc.category })),
      1000,
    );
    return wrap(db, dir);
  },
  async load(dir) {
    const db = createDb();
    load(db, JSON.parse(fs.readFileSync(path.join(dir, 'orama.json'), 'utf8')));
    return wrap(db, dir);
  },
};
