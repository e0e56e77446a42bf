/**
 * Latency query lists built from real text: the dev topic queries plus words and phrases taken from article
 * titles (seeded, so every run and every system gets the same lists).
 */
import type { TopicQuery } from './judgments.js';
import type { Tokenize } from './peerText.js';
import type { BenchQuery } from './tasks.js';

export interface TitleSample {
  title: string;
  category: string;
}

/** mulberry32: small, seedable, good enough to pick samples. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** Title words worth searching for: two or more characters, not a bare number, longest first. */
function titleWords(title: string, tokenize: Tokenize): string[] {
  const words = [...new Set(tokenize(title))].filter((w) => [...w].length >= 2 && !/^[\d.]+$/.test(w));
  return words.sort((a, b) => [...b].length - [...a].length);
}

/** The first 4–6 characters of a title's first CJK run of four or more, for a phrase query. */
function titlePhrase(title: string, pick: () => number): string | undefined {
  const run = /[\u3400-\u9fff]{4,}/u.exec(title)?.[0];
  return run?.slice(0, 4 + Math.floor(pick() * 3));
}

export function buildLatencyQueries(
  topics: readonly TopicQuery[],
  titles: readonly TitleSample[],
  tokenize: Tokenize,
  perList: number,
): { name: string; queries: BenchQuery[] }[] {
  const pick = seededRandom(20261125);
  const sample = Array.from({ length: Math.min(titles.length, perList * 4) }, () => titles[Math.floor(pick() * titles.length)]!);
  const oneTerm: BenchQuery[] = topics.filter((t) => !/[\s"]/.test(t.query)).map((t) => ({ q: t.query }));
  const twoTerm: BenchQuery[] = topics.filter((t) => /\s/.test(t.query) && !t.query.includes('"')).map((t) => ({ q: t.query }));
  const phrase: BenchQuery[] = [];
  const filtered: BenchQuery[] = [];
  for (const { title, category } of sample) {
    const words = titleWords(title, tokenize);
    if (words[0] && oneTerm.length < perList) oneTerm.push({ q: words[0] });
    if (words[0] && filtered.length < perList) filtered.push({ q: words[0], category });
    if (words.length >= 2 && twoTerm.length < perList) twoTerm.push({ q: `${words[0]} ${words[1]}` });
    const fragment = titlePhrase(title, pick);
    if (fragment && phrase.length < perList) phrase.push({ q: `"${fragment}"` });
  }
  return [
    { name: 'one-term', queries: oneTerm.slice(0, perList) },
    { name: 'two-term', queries: twoTerm.slice(0, perList) },
    { name: 'phrase', queries: phrase },
    { name: 'filtered', queries: filtered },
  ];
}
