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

/** articleHit of a page of hits, their snippets made together (makeSnippets: one analyzer call for all their marks). */
export function articleHits(sources: readonly HitSource[], analyzer: Analyzer, withSnippets: boolean): SearchHit[] {
  const marked = withSnippets ? sources.filter((source) => source.snippetTerms) : [];
  const snippets = makeSnippets(
    marked.map(({ article, snippetTerms, inBody = true, bodyTokens }): SnippetSource => {
      const terms = snippetTerms!;
      if (!inBody && article.description) return { text: article.description, terms };
      if (!article.text) return { text: article.summary, terms };
      return { text: article.text, terms, tokens: bodyTokens?.() };
    }),
    analyzer,
  );
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
