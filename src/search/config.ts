/** Every ranking parameter in one place. */
import type { FieldName } from '../index/types.js';

export interface RankingConfig {
  /** BM25F field weights: a term occurrence in the title counts this many times a body occurrence. */
  weights: Record<FieldName, number>;
  /** Term-frequency saturation shared by all fields. */
  k1: number;
  /** Per-field length normalisation (0 = none, 1 = full). */
  b: Record<FieldName, number>;
  /** Weight of a search-mode sub-word (基础 inside 基础设施) standing in for its whole word. */
  subwordWeight: number;
  /**
   * Multiplier of a query word's score in a document having only its sub-words (计算 for 云计算, 数字 or 鸿沟 for
   * 数字鸿沟 when not side by side): the whole word ranks first unless the parts are much more present.
   */
  partPenalty: number;
  /**
   * Multiplier of the verb of a manner question (如何**应对**, 怎样**防范**; Slot.questionVerb), whose absence costs no
   * missingPenalty: the topic words decide.
   */
  questionVerbWeight: number;
  /** Multiplier of a match through a synonym or abbreviation (新型基础设施 for 新基建): below the user's own word. */
  synonymWeight: number;
  /**
   * Score multiplier per missing plain-term slot: a document matching m of n slots is scaled by
   * missingPenalty^(n-m), so documents with all words rank first without excluding the rest. 0.1 (was 0.3, which let
   * long posts saying one topic often outrank posts having both: dev-hard 0.857 → 0.864, dev unchanged; 0.05 and 0.02
   * measure the same).
   */
  missingPenalty: number;
  /** Added (times the query's mean idf) when a multi-word term or phrase occurs verbatim, saturating with its count. */
  phraseBonus: number;
  /** Added (times the query's mean idf) when all query slots occur within `proximityWindow` positions. */
  proximityBonus: number;
  proximityWindow: number;
  /** Share of the proximity bonus when the words are close only in another order than typed (遍历构造二叉树 for 二叉树 遍历). */
  unorderedProximity: number;
  /**
   * Words typed apart (老年人 数字鸿沟: two groups) are two topics; they meet where an occurrence of each lies within
   * topicWindow positions of the others' (about a sentence: positions are words, punctuation takes none).
   */
  topicWindow: number;
  /**
   * Multiplier of a document in which the query's topics never meet (or one is missing): a document where they meet
   * scales by topicsApart + (1 − topicsApart) · m / (m + 1) for m meetings, one naming all but one topic in its title
   * or tags by 1. Only the head of the ranking (rescoreDepth) is looked at, as for the other positional evidence.
   */
  topicsApart: number;
  /**
   * Passage scoring of a multi-topic query: the best body window of passageWindow positions (a paragraph or two)
   * holding every topic scores Σ idf · c(k + 1) / (c + k) over the topics' weighted counts c in it (k =
   * passageSaturation), and passageWeight times that is added to the document's score. A fixed window has no length
   * normalisation: a long round-up with a paragraph on both topics is not outranked by every short post naming the
   * rarer one once. k 0.2 makes it nearly "do the topics share a passage, and as whole words": on the eval index,
   * dev-hard 0.868 → 0.876, dev 0.940 (window 60/150: 0.877/0.877; k 0.5, 1: 0.859, 0.843 at this weight; weight
   * 0.2, 0.5: 0.873, 0.874).
   */
  passageWindow: number;
  passageSaturation: number;
  passageWeight: number;
  /**
   * The opening of a post (its first leadLength body positions: a report's lead, a weekly issue's first essay, a law's
   * first articles) says what it is about: where the topics meet there (a window of topicWindow positions starting in
   * it, scored as a passage), leadWeight times that is added too. Topics meeting at the start outrank the same meeting
   * far down a long post (JavaScript 框架: weekly issues whose first essay is on Vue, "the JavaScript 前端框架", before
   * issues with a link on JavaScript frameworks further on). On the eval index dev-hard 0.878 → 0.891, dev 0.940 →
   * 0.939 (lead 400/800: 0.886/0.889; weight 0.1/0.2/0.3: 0.886/0.890/0.892, dev 0.939/0.939/0.936; a lead window of
   * passageWindow instead of a sentence: 0.892, but a short post then has its whole body as a lead and wins by length).
   */
  leadLength: number;
  leadWeight: number;
  /**
   * A one-topic query's lead: its word in the first openingLength body positions (a report's opening sentences, which
   * name its subject) adds openingWeight times that sentence-long window's passage score (the word typed only: its
   * sub-words, pieces apart and synonyms do not count there, so 计算 in an opening does not make a post about 云计算; a
   * word in the title or tags counts as there). For 如何应对人口老龄化 the reports on 养老 that open with 人口老龄化 come
   * before those naming it once further on. On the eval index dev 0.939 → 0.942, dev-hard 0.891 → 0.900 (d13 0.728 →
   * 0.873, s03 乡村振兴 +0.074, d02 +0.035; a word the segmenter cuts, 稳就业 or 提振消费, is named in a title where its
   * pieces stand side by side, else d22 loses 0.060 and s35 0.040); with sub-words: opening 50/100/200/600: 0.896/0.897/0.890/0.890,
   * weight 0.1/0.3/0.5/1: 0.892/0.897/0.897/0.897. Shorter than the multi-topic lead: one word is common in a weekly
   * issue's opening links, two topics meeting are not.
   */
  openingLength: number;
  openingWeight: number;
  /**
   * How many documents of the re-ranked head (by BM25F, bonuses and meetings) get the passage score: 30 measures as
   * 100 (dev-hard 0.878 and 0.876, dev 0.940 both; 20: 0.875) for a third of its cost.
   */
  passageDepth: number;
  /** How many top documents by BM25F get the (position-based) phrase and proximity bonuses. */
  rescoreDepth: number;
}

/**
 * Tuned by coordinate descent on ../shared/eval/dev (25 topic queries over the 27,855-post scale corpus):
 * nDCG@10 0.934 (first guess: 0.902). Bodies are length-normalised almost fully (b 0.9) and saturate
 * late (k1 6), so a post that keeps returning to the topic beats one that names it once; titles count
 * most. 25 queries are few: treat differences under ~0.005 as noise. Round 2 (../shared/eval/dev-hard, 21 scored
 * queries) added partPenalty and synonymWeight and a slight title length normalisation (b 0.3: a short title made of
 * the query's words, 二叉树的层序遍历, before a long one that mentions them): dev 0.941, dev-hard 0.830. With the
 * positional evidence of later rounds, titles are normalised more (b 0.6: a title that is mostly the topic, 前三季度我国
 * 海洋经济运行稳中有进, before a long one naming it among other things): dev 0.942 → 0.942, dev-hard 0.900 → 0.904
 * (0.5 / 0.55 / 0.65 / 0.7: 0.901 / 0.904 / 0.905 / 0.905, dev 0.942 / 0.942 / 0.941 / 0.941).
 */
export const defaultRankingConfig: RankingConfig = {
  // The author's description or excerpt summarises the post like its headings do, and weighs as much.
  weights: { title: 8.5, headings: 0.5, description: 0.5, tags: 3, keywords: 3, body: 1 },
  k1: 6,
  b: { title: 0.6, headings: 0.6, description: 0.6, tags: 0.3, keywords: 0.3, body: 0.9 },
  subwordWeight: 0.15,
  partPenalty: 0.05,
  synonymWeight: 0.5,
  questionVerbWeight: 0.3,
  missingPenalty: 0.1,
  phraseBonus: 1,
  proximityBonus: 0.2,
  proximityWindow: 8,
  unorderedProximity: 0.5,
  topicWindow: 20,
  topicsApart: 0.5,
  passageWindow: 100,
  passageSaturation: 0.2,
  passageWeight: 0.35,
  leadLength: 600,
  leadWeight: 0.15,
  openingLength: 100,
  openingWeight: 0.3,
  passageDepth: 30,
  rescoreDepth: 100,
};

/** Merges a partial config (nested weights/b may be partial too) over the defaults. */
export function resolveRankingConfig(config: Partial<RankingConfig> = {}): RankingConfig {
  return {
    ...defaultRankingConfig,
    ...config,
    weights: { ...defaultRankingConfig.weights, ...config.weights },
    b: { ...defaultRankingConfig.b, ...config.b },
  };
}
