/**
 * Words a collection's titles use around names rather than as what the article is about, found from how its titles
 * use them: where jieba's dictionary calls them nouns (会见/n, 总书记/n, 高质量/n) or does not know them (出荷), the
 * titles show a verb, a title, half of a longer name or what happens on a date.
 */
import { isPersonName, type Lexicon } from '../analysis/index.js';

export const TITLE_ROLE_RULES = {
  /** Titles a word must stand in before its use there says anything. */
  minTitles: 3,
  /**
   * Share of those titles in which it directly follows a person's name: what the person does or is called (李强会见…
   * in 70 % of the titles naming 会见, 习近平总书记… 73 %, …举行仪式欢迎… 97 %; names and topics: at most 6 %).
   */
  afterName: 0.5,
  /**
   * Share of those titles in which the same word directly follows it: the first half of a longer name (高质量 + 发展
   * 92 %, 卫生 + 健康 81 %, 加沙 + 地带 93 %; topics: at most 52 %, 开幕式 + 并).
   */
  boundToNext: 0.8,
  /**
   * Share of those titles in which it directly follows a date (10月, 23日): what happens then (2022年10月出荷 in all 6
   * titles naming 出荷, 12月23日起), not what the article is about.
   */
  afterDate: 0.5,
};

/** A date's last word (11 月, 23 日, 5 号) and the number before it. */
const DATE_UNIT = /^[月日号]$/u;
const NUMBER = /^\p{N}+$/u;

/**
 * The words that, by TITLE_ROLE_RULES, are no keywords. `titles`: each title's word sequence (the word at each
 * position, undefined where there is none: a dropped stop word).
 */
export function titleRoleWords(titles: Iterable<readonly (string | undefined)[]>, lexicon: Pick<Lexicon, 'tag'>): Set<string> {
  const uses = new Map<string, { titles: number; afterDate: number; prev: Map<string, number>; next: Map<string, number> }>();
  for (const words of titles) {
    const seen = new Set<string>();
    words.forEach((word, i) => {
      if (word === undefined || seen.has(word)) return;
      seen.add(word);
      let use = uses.get(word);
      if (!use) uses.set(word, (use = { titles: 0, afterDate: 0, prev: new Map(), next: new Map() }));
      use.titles++;
      const prev = words[i - 1];
      if (prev !== undefined && DATE_UNIT.test(prev) && NUMBER.test(words[i - 2] ?? '')) use.afterDate++;
      const next = words[i + 1];
      if (prev !== undefined) use.prev.set(prev, (use.prev.get(prev) ?? 0) + 1);
      if (next !== undefined) use.next.set(next, (use.next.get(next) ?? 0) + 1);
    });
  }
  const rules = TITLE_ROLE_RULES;
  const frequent = [...uses].filter(([, use]) => use.titles >= rules.minTitles);
  const before = [...new Set(frequent.flatMap(([, use]) => [...use.prev.keys()]))];
  const tags = lexicon.tag(before);
  const names = new Set(before.filter((_, i) => isPersonName(tags[i])));
  const roles = new Set<string>();
  for (const [word, use] of frequent) {
    let afterName = 0;
    for (const [prev, count] of use.prev) if (names.has(prev)) afterName += count;
    let boundToNext = 0;
    for (const count of use.next.values()) boundToNext = Math.max(boundToNext, count);
    if (afterName >= rules.afterName * use.titles || boundToNext >= rules.boundToNext * use.titles || use.afterDate >= rules.afterDate * use.titles) roles.add(word);
  }
  return roles;
}

/** The lexicon with `words` weighing 0 as keywords (as verbs do). */
export function withoutKeywords<L extends Pick<Lexicon, 'keywordWeights'>>(lexicon: L, words: ReadonlySet<string>): L {
  if (words.size === 0) return lexicon;
  return { ...lexicon, keywordWeights: (terms: readonly string[]) => lexicon.keywordWeights(terms).map((weight, i) => (words.has(terms[i]) ? 0 : weight)) };
}
