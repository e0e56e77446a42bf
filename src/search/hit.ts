/** A search hit from an article's stored fields: shared by every backend, so hits, snippets and marks agree. */
import type { Analyzer } from '../analysis/types.js';
import type { StoredArticle } from '../index/types.js';
import { escapeHtml, makeSnippets, SNIPPET_LENGTH, type SnippetSource, type SnippetTerms } from './snippet.js';
import type { SearchHit } from './types.js';

/** What a hit is made of: the stored article, its score and matched terms, and what its snippet marks. */
export interface HitSource {
  article: StoredArticle;
  score: number;
  matched: string[];
  /** The query terms the article has; undefined: the snippet is the article's opening. */
  snippetTerms?: SnippetTerms;
  /** Whether a matched term is in the body (default true). */
  inBody?: boolean;
  /** SnippetSource.tokens of the article's body, asked for when the snippet is cut from it (undefined: not known). */
  bodyTokens?: () => SnippetSource['tokens'];
  /** What names its snippet among those `kept` (snippetKey): undefined, not kept. */
  snippetKey?: string;
}

/**
 * Snippets made before, by snippetKey: a snippet is a function of the document's text, the terms it marks, the
 * index's token counts and the analyzer, all fixed for one index and service.
 */
export interface KeptSnippets {
  get(key: string): string | undefined;
  keep(key: string, snippet: string): void;
}

/** The key of document `doc`'s snippet marking `terms`, cut from its body or not (HitSource.inBody). */
export function snippetKey(doc: number, terms: SnippetTerms, inBody: boolean): string {
  return `${doc}\u0000${inBody ? 1 : 0}\u0000${terms.wholes.join('\u0001')}\u0000${terms.subwords.join('\u0001')}`;
}

/**
 * A hit; its snippet marks `snippetTerms` (the query terms the article has), or is the article's opening when there
 * are none; empty when snippets were not asked for. When no term is in the body (`inBody` false), the snippet is cut
 * from the author's description or excerpt if there is one.
 */
export function articleHit(
  article: StoredArticle,
  score: number,
  matched: string[],
  analyzer: Analyzer,
  withSnippet: boolean,
  snippetTerms?: SnippetTerms,
  inBody = true,
): SearchHit {
  return articleHits([{ article, score, matched, snippetTerms, inBody }], analyzer, withSnippet)[0]!;
}

/**
 * articleHit of a page of hits, their snippets made together (makeSnippets: one analyzer call for all their marks),
 * but those `kept` (by HitSource.snippetKey), which are taken from there, and the others kept there.
 */
export function articleHits(sources: readonly HitSource[], analyzer: Analyzer, withSnippets: boolean, kept?: KeptSnippets): SearchHit[] {
  const marked = withSnippets ? sources.filter((source) => source.snippetTerms) : [];
  const known = marked.map(({ snippetKey }) => (kept && snippetKey !== undefined ? kept.get(snippetKey) : undefined));
  const made = makeSnippets(
    marked
      .filter((_, i) => known[i] === undefined)
      .map(({ article, snippetTerms, inBody = true, bodyTokens }): SnippetSource => {
        const terms = snippetTerms!;
        if (!inBody && article.description) return { text: article.description, terms };
        if (!article.text) return { text: article.summary, terms };
        return { text: article.text, terms, tokens: bodyTokens?.() };
      }),
    analyzer,
  );
  let fresh = 0;
  const snippets = known.map((snippet, i) => {
    if (snippet !== undefined) return snippet;
    const cut = made[fresh++]!;
    const key = marked[i]!.snippetKey;
    if (kept && key !== undefined) kept.keep(key, cut);
    return cut;
  });
  let next = 0;
  return sources.map(({ article, score, matched, snippetTerms }) => ({
    id: article.id,
    title: article.title,
    url: article.url,
    date: article.date,
    updated: article.updated,
    author: article.author,
    categories: article.categories,
    tags: article.tags,
    score: Math.round(score * 1e4) / 1e4,
    snippet: !withSnippets ? '' : snippetTerms ? snippets[next++]! : leadSnippet(article),
    matched_terms: matched,
  }));
}

/** The article's opening, for hits without matched terms (empty query, related articles). */
function leadSnippet(article: StoredArticle): string {
  const text = (article.description || article.summary || article.text).replace(/\s+/g, ' ').trim();
  const chars = [...text];
  return escapeHtml(chars.slice(0, SNIPPET_LENGTH).join('')) + (chars.length > SNIPPET_LENGTH ? '…' : '');
}

/** Only the terms the document matched: a sub-word is marked only where it stands in for a missing whole word. */
export function presentTerms(terms: SnippetTerms, found: string[]): SnippetTerms {
  const present = new Set(found);
  return { wholes: terms.wholes.filter((t) => present.has(t)), subwords: terms.subwords.filter((t) => present.has(t)) };
}
