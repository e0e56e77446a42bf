/**
 * FlexSearch Document, two ways: over the shared jieba tokens, and over raw text with its own CJK charset.
 * Multi-word queries intersect (AND). Category filters are applied to a longer result list, because FlexSearch
 * 0.8.212 returns nothing when a tag filter meets a term found in more than one field.
 */
import fs from 'node:fs';
import path from 'node:path';
import FlexSearch, { type Document, type DocumentOptions } from 'flexsearch';
import { queryTokens, type PeerDoc, type PeerQuery } from '../peerText.js';
import type { Peer, PeerIndex } from './types.js';

type Entry = { n: number; a: string; b: string; c: string };

/** Results fetched before filtering by category. */
const FILTER_POOL = 2000;

interface Variant {
  name: string;
  label: string;
  jiebaTokens: boolean;
  options: () => DocumentOptions<Entry>;
  fields: (doc: PeerDoc) => [string, string, string];
  queryText: (query: PeerQuery) => string;
}

function flexPeer(variant: Variant): Peer {
  const wrap = (index: Document<Entry>, ids: string[], categories: string[], dir: string): PeerIndex => ({
    search(query, limit) {
      const text = variant.queryText(query);
      if (!text) return [];
      const hits = index.search(text, { limit: query.category ? FILTER_POOL : limit, merge: true }) as unknown as { id: number }[];
      const ranked = hits.map((h) => h.id).filter((n) => !query.category || categories[n] === query.category);
      return ranked.slice(0, limit).map((n) => ids[n]!);
    },
    async save() {
      const parts: Record<string, string> = {};
      await index.export((key: string, data: string) => {
        parts[key] = data;
      });
      fs.writeFileSync(path.join(dir, 'flexsearch.json'), JSON.stringify(parts));
      fs.writeFileSync(path.join(dir, 'docs.json'), JSON.stringify({ ids, categories }));
    },
  });
  return {
    name: variant.name,
    label: variant.label,
    jiebaTokens: variant.jiebaTokens,
    async build(docs, dir) {
      const index = new FlexSearch.Document<Entry>(variant.options());
      docs.forEach((doc, n) => {
        const [a, b, c] = variant.fields(doc);
        index.add({ n, a, b, c });
      });
      return wrap(index, docs.map((d) => d.id), docs.map((d) => d.category), dir);
    },
    async load(dir) {
      const index = new FlexSearch.Document<Entry>(variant.options());
      const parts = JSON.parse(fs.readFileSync(path.join(dir, 'flexsearch.json'), 'utf8')) as Record<string, string>;
      for (const [key, data] of Object.entries(parts)) index.import(key, data);
      const { ids, categories } = JSON.parse(fs.readFileSync(path.join(dir, 'docs.json'), 'utf8')) as { ids: string[]; categories: string[] };
      return wrap(index, ids, categories, dir);
    },
  };
}

export const flexSearchJiebaPeer = flexPeer({
  name: 'flexsearch-jieba',
  label: 'FlexSearch Document, jieba tokens (AND)',
  jiebaTokens: true,
  options: () => ({ document: { id: 'n', index: ['a', 'b', 'c'] }, tokenize: 'strict', encode: (text: string) => text.split(' ') }),
  fields: (doc) => [doc.titleTokens, doc.tagTokens, doc.bodyTokens],
  queryText: (query) => queryTokens(query).join(' '),
});

export const flexSearchCjkPeer = flexPeer({
  name: 'flexsearch-cjk',
  label: 'FlexSearch, built-in CJK charset',
  jiebaTokens: false,
  options: () => ({ document: { id: 'n', index: ['a', 'b', 'c'] }, tokenize: 'strict', encoder: FlexSearch.Charset.CJK }),
  fields: (doc) => [doc.title, doc.tags, doc.body],
  queryText: (query) => query.text,
});
