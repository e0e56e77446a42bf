/** MiniSearch over the shared jieba tokens: BM25+ (its default), terms combined with OR, title boosted. */
import fs from 'node:fs';
import path from 'node:path';
import MiniSearch, { type Options } from 'minisearch';
import { queryTokens } from '../peerText.js';
import type { Peer, PeerIndex } from './types.js';

interface Entry {
  n: number;
  titleTokens: string;
  tagTokens: string;
  bodyTokens: string;
}

const OPTIONS: Options<Entry> = {
  idField: 'n',
  fields: ['titleTokens', 'tagTokens', 'bodyTokens'],
  // Text arrives already segmented: split on the spaces jieba's tokens were joined with.
  tokenize: (text) => text.split(' '),
  processTerm: (term) => term || null,
  searchOptions: { combineWith: 'OR', boost: { titleTokens: 2, tagTokens: 1.5 } },
};

function wrap(search: MiniSearch<Entry>, ids: string[], categories: string[], dir: string): PeerIndex {
  return {
    search(query, limit) {
      const tokens = queryTokens(query);
      if (tokens.length === 0) return [];
      const filter = query.category ? (r: { id: number }) => categories[r.id] === query.category : undefined;
      return search
        .search(tokens.join(' '), filter ? { filter } : {})
        .slice(0, limit)
        .map((r) => ids[r.id as number]!);
    },
    async save() {
      fs.writeFileSync(path.join(dir, 'minisearch.json'), JSON.stringify(search));
      fs.writeFileSync(path.join(dir, 'docs.json'), JSON.stringify({ ids, categories }));
    },
  };
}

export const miniSearchPeer: Peer = {
  name: 'minisearch',
  label: 'MiniSearch, jieba tokens, BM25+ (OR)',
  jiebaTokens: true,
  async build(docs, dir) {
    const search = new MiniSearch<Entry>(OPTIONS);
    docs.forEach((doc, n) => search.add({ n, titleTokens: doc.titleTokens, tagTokens: doc.tagTokens, bodyTokens: doc.bodyTokens }));
    return wrap(search, docs.map((d) => d.id), docs.map((d) => d.category), dir);
  },
  async load(dir) {
    const search = MiniSearch.loadJSON<Entry>(fs.readFileSync(path.join(dir, 'minisearch.json'), 'utf8'), OPTIONS);
    const { ids, categories } = JSON.parse(fs.readFileSync(path.join(dir, 'docs.json'), 'utf8')) as { ids: string[]; categories: string[] };
    return wrap(search, ids, categories, dir);
  },
};
