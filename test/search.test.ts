/** Ranking, filters, facets, pagination and snippets on the real articles corpus (ingest → analysis → index → search). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzer, createLexicon, isGenericWord } from '../src/analysis/index.js';
import type { Analyzer } from '../src/analysis/types.js';
import { aboutKeywords, analyzeArticle, facetKey, IndexBuilder, runAtOnce } from '../src/index/index.js';
import type { IndexReader } from '../src/index/types.js';
import { loadCorpus, parseArticle } from '../src/ingest/index.js';
import type { Article } from '../src/ingest/types.js';
import { createSearchService, docMetaSteps } from '../src/search/index.js';
import { FacetCounter } from '../src/search/facets.js';
import { bitWords, documentBits } from '../src/search/filters.js';
import type { SearchHit, SearchRequest, SearchService } from '../src/search/types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const articlesDir = path.resolve(repoRoot, '../shared/corpus/articles');
const FIXTURE_ID = '测试/escape-article.md';

let analyzer: Analyzer;
let reader: IndexReader;
let service: SearchService;
/** An index of our own fixture article only: HTML-like text, emoji, author and tag filters. */
let fixtureService: SearchService;
const articles = new Map<string, Article>();

beforeAll(async () => {
  analyzer = createAnalyzer({});
  const builder = new IndexBuilder(analyzer.identity);
  for await (const result of loadCorpus(articlesDir)) {
    if (!result.ok) continue;
    articles.set(result.article.id, result.article);
    builder.add(analyzeArticle(analyzer, result.article));
  }
  const fixture = parseArticle(FIXTURE_ID, await readFile(path.join(repoRoot, 'test/fixtures/search/escape-article.md')));
  if (!fixture.ok) throw new Error(fixture.error.reason);
  const fixtureBuilder = new IndexBuilder(analyzer.identity);
  fixtureBuilder.add(analyzeArticle(analyzer, fixture.article));
  fixtureService = createSearchService(fixtureBuilder.build(), analyzer);
  reader = builder.build();
  service = createSearchService(reader, analyzer);
});

/** Every hit of a request, page by page. */
/** `a › b › c` → `a`, `a › b`, `a › b › c`. */
function ancestors(path: string): string[] {
  const levels = path.split(' › ');
  return levels.map((_, i) => levels.slice(0, i + 1).join(' › '));
}

function underCategory(paths: string[], category: string): boolean {
  return paths.some((p) => p === category || p.startsWith(category + ' › '));
}

function allHits(request: SearchRequest, on = service): SearchHit[] {
  const hits: SearchHit[] = [];
  for (let page = 1; ; page++) {
    const result = on.search({ ...request, page, size: 100 });
    hits.push(...result.hits);
    if (hits.length >= result.total || result.hits.length === 0) return hits;
  }
}

/** The article's searchable text, normalised the way the analyzer normalises terms. */
function normalizedText(article: Article): string {
  return analyzer.normalize([article.title, ...article.headings, article.text].join('\n'));
}

describe('ranking', () => {
  it('puts the article about 新基础设施 above those that only mention 基础设施', () => {
    const result = service.search({ q: '新基础设施', size: 5 });
    expect(result.hits[0].title).toBe('产业互联网正驶向深蓝');
    expect(result.hits[0].matched_terms).toEqual(['新基础设施']);
    // Only this article uses the word 新基础设施; the others match through its sub-word 基础设施 (weighted
    // subwordWeight per occurrence, and partPenalty as they lack the whole word) and rank below it. Since the built-in
    // synonyms (新基础设施 ~ 新型基础设施 ~ 新基建), the parts of 新型基础设施 count too, below (新型 alone last).
    expect(result.hits.map((hit) => [hit.title, hit.matched_terms.join(',')])).toMatchInlineSnapshot(`
      [
        [
          "产业互联网正驶向深蓝",
          "新基础设施",
        ],
        [
          "319tb_s 日本打破了数据传输的记录",
          "基础设施",
        ],
        [
          "02级校友匿名向浙江大学捐款2.5亿：培养物理、数学、化学人才",
          "基础设施,新型",
        ],
        [
          "CNCF宣布Linkerd正式毕业！",
          "基础设施",
        ],
        [
          "12月23日零点起 陕西延安实行交通管控",
          "新型",
        ],
      ]
    `);
    const others = result.hits.slice(1);
    expect(others.every((hit) => !normalizedText(articles.get(hit.id)!).includes('新基础设施'))).toBe(true);
  });

  it('returns only articles containing a quoted phrase', () => {
    for (const phrase of ['产业互联网', '人工智能', '新能源汽车']) {
      const hits = allHits({ q: `"${phrase}"` });
      expect(hits.length).toBeGreaterThan(0);
      for (const hit of hits) expect(normalizedText(articles.get(hit.id)!), `${phrase} in ${hit.id}`).toContain(phrase);
      const containing = [...articles.values()].filter((article) => normalizedText(article).includes(phrase));
      expect({ phrase, found: hits.length }).toEqual({ phrase, found: containing.length });
    }
  });

  it('excludes articles with a -word or -"phrase"', () => {
    const withAll = allHits({ q: '基础设施' });
    const without = allHits({ q: '基础设施 -新基础设施' });
    expect(without.map((hit) => hit.id).sort()).toEqual(
      withAll.filter((hit) => !normalizedText(articles.get(hit.id)!).includes('新基础设施')).map((hit) => hit.id).sort(),
    );
    expect(without.length).toBeLessThan(withAll.length);
    const phraseExcluded = allHits({ q: '手机 -"苹果"' });
    expect(phraseExcluded.length).toBeGreaterThan(0);
    for (const hit of phraseExcluded) expect(normalizedText(articles.get(hit.id)!)).not.toContain('苹果');
  });
});

describe('whole words, compounds and synonyms', () => {
  it('ranks the posts containing 云计算, 短视频 or 数字经济 before those containing only its parts (计算, 视频, 数字 …)', () => {
    for (const word of ['云计算', '短视频', '数字经济']) {
      const hits = allHits({ q: word });
      const hasWhole = hits.map((hit) => normalizedText(articles.get(hit.id)!).includes(word));
      const firstPartOnly = hasWhole.indexOf(false);
      expect(firstPartOnly, word).toBeGreaterThan(0);
      expect(hasWhole.slice(firstPartOnly).includes(true), word).toBe(false);
      expect(hits.length, word).toBeGreaterThan(firstPartOnly);
    }
  });

  it('reads 用户体验 (cut in 用户 + 体验) as one word: the posts where the two stand side by side come first', () => {
    const hits = allHits({ q: '用户体验' });
    const adjacent = [...articles.values()].filter((article) => normalizedText(article).includes('用户体验')).map((article) => article.id);
    expect(adjacent.length).toBe(2);
    expect(hits.slice(0, 2).map((hit) => hit.id).sort()).toEqual(adjacent.sort());
    expect(hits[0]!.matched_terms).toEqual(['用户', '体验']);
    expect(hits.length).toBeGreaterThan(10);
  });

  it('finds the post about 新基础设施 for the abbreviation 新基建, and says what it was expanded to', () => {
    // No post writes 新基建; the built-in list expands it to 新型基础设施 and 新基础设施.
    expect(articles.size).toBeGreaterThan(300);
    expect([...articles.values()].some((article) => normalizedText(article).includes('新基建'))).toBe(false);
    const result = service.search({ q: '新基建' });
    expect(result.hits[0]!.title).toBe('产业互联网正驶向深蓝');
    expect(result.hits[0]!.matched_terms).toContain('新基础设施');
    expect(result.expanded).toEqual([{ word: '新基建', to: ['新型基础设施', '新基础设施'] }]);
    expect(service.search({ q: '新基础设施' }).hits[0]!.title).toBe('产业互联网正驶向深蓝');
  });

  it('counts a synonym found as a phrase (工业和信息化部 for 工信部) below the word typed', () => {
    const hits = service.search({ q: '工信部', size: 5, facets: false, snippets: false }).hits;
    expect(hits[0]!.title).toBe('1-4月电动自行车完成产量1039.8万辆 同比增长64%');
    expect(hits[0]!.matched_terms).toEqual(['工信部']);
    // The post that writes only the full name comes after it (its phrase bonus, once as large as the word's, is halved).
    const fullNameOnly = hits.findIndex((hit) => hit.title === '2022年全国高考时间，定了！');
    expect(fullNameOnly).toBe(1);
    expect(hits[1]!.matched_terms).not.toContain('工信部');
    // With synonyms weighing as much as the word typed, it would come first (the opening, which counts only the word
    // typed, off too).
    expect(createSearchService(reader, analyzer, { synonymWeight: 1, openingWeight: 0 }).search({ q: '工信部', size: 1 }).hits[0]!.title).toBe('2022年全国高考时间，定了！');
  });

  it('applies an edit of synonyms.txt at the next search, without a reindex', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zhsearch-synonyms-'));
    const file = path.join(dir, 'synonyms.txt');
    const warnings: string[] = [];
    const withFile = createSearchService(reader, analyzer, {}, { synonymsFile: file, warn: (message) => warnings.push(message) });
    try {
      // zqxv is in no post; the file makes it a synonym of 产业互联网.
      expect(withFile.search({ q: 'zqxv' }).total).toBe(0);
      writeFileSync(file, 'ZQXV 产业互联网\n只有一个词\n');
      const expanded = withFile.search({ q: 'zqxv' });
      expect(expanded.expanded).toEqual([{ word: 'zqxv', to: ['产业互联网'] }]);
      expect(expanded.hits[0]!.title).toBe('产业互联网正驶向深蓝');
      expect(warnings).toEqual([`${file} 第 2 行：一组同义词至少要有两个词（用空格分隔），已忽略：只有一个词`]);
      writeFileSync(file, '# 不再有同义词\n');
      expect(withFile.search({ q: 'zqxv' }).total).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('two-topic queries', () => {
  /** Sentences of the article's text (normalised) that contain every word. */
  const sentencesWithAll = (id: string, words: string[]) =>
    analyzer
      .normalize(articles.get(id)!.text)
      .split(/[。！？!?\n]+/)
      .filter((sentence) => words.every((word) => sentence.includes(word)));

  it('ranks the post where 玩家 and 团队 meet in a sentence before a shorter one that has both only far apart', () => {
    const meet = '00后斜杠青年：我用游戏赚到了学费';
    const apart = '11bit工作室新作《多重人生》正式公布';
    const titles = service.search({ q: '玩家 团队', size: 5 }).hits.map((hit) => hit.title);
    expect(titles[0]).toBe(meet);
    expect(titles.indexOf(apart)).toBeGreaterThan(0);
    const idOf = (title: string) => [...articles.values()].find((article) => article.title === title)!.id;
    expect(sentencesWithAll(idOf(meet), ['玩家', '团队'])[0]).toContain('游戏开发是团队往同个目标进发');
    expect(sentencesWithAll(idOf(apart), ['玩家', '团队'])).toEqual([]);
    // Without the topic rule (topicsApart 1) BM25F alone puts the short post first.
    const plain = createSearchService(reader, analyzer, { topicsApart: 1 });
    expect(plain.search({ q: '玩家 团队', size: 1 }).hits[0]!.title).toBe(apart);
  });

  it('puts the posts having both topics (苹果 隐私) before posts that say one of them however often', () => {
    const request = { q: '苹果 隐私', size: 6, facets: false, snippets: false };
    const both = (hit: SearchHit) => hit.matched_terms.includes('苹果') && hit.matched_terms.includes('隐私');
    const hits = service.search(request).hits;
    expect(hits[0]!.title).toBe('10个关键词，读懂个人信息保护法');
    expect(both(hits[0]!)).toBe(true);
    expect(hits.slice(1).some(both)).toBe(false);
    // A missing word scaled by 0.3 (the earlier missingPenalty) left four posts about 苹果 alone above it.
    const before = createSearchService(reader, analyzer, { missingPenalty: 0.3 }).search(request).hits;
    expect(before.findIndex(both)).toBe(4);
  });

  it('puts words close together in the order typed (刷新 … 纪录) before the same words the other way round (纪录刷新)', () => {
    const inOrder = '0.23%! 华夏合肥高新REIT刷新公众配售比例纪录';
    const reversed = '11.14 千米，5G 毫米波传输距离纪录刷新';
    const top2 = (q: string, config = {}) => createSearchService(reader, analyzer, config).search({ q, size: 2, facets: false, snippets: false }).hits.map((hit) => hit.title);
    expect(top2('刷新 纪录')).toEqual([inOrder, reversed]);
    expect(top2('纪录 刷新')).toEqual([reversed, inOrder]);
    // Order left out (unorderedProximity 1), both queries rank alike.
    expect(top2('刷新 纪录', { unorderedProximity: 1 })).toEqual([reversed, inOrder]);
  });
});

describe('questions', () => {
  const titles = (q: string, size = 5) => service.search({ q, size, facets: false, snippets: false }).hits.map((hit) => hit.title);

  it('weighs the verb of a manner question (怎么**学习**编程语言) far below its topic: posts about 编程语言 first', () => {
    const question = titles('怎么学习编程语言');
    expect(question.slice(0, 2)).toEqual(['Alda 2 发布，用于作曲的音乐编程语言', '1 行代码生成随机迷宫，概率编程语言登 GitHub 热榜，作者曾开发著名 WFC 算法']);
    // The same words without the question: a post with 学习 eight times and 编程语言 in passing comes first.
    const plain = titles('学习编程语言');
    expect(plain[0]).toBe("+_&~_%！'^……");
    expect(question.indexOf(plain[0]!)).toBeGreaterThan(1);
    // The question word typed apart asks the same; 为什么 asks why, not how, and a noun may follow it: no verb there.
    expect(titles('怎么 学习编程语言')).toEqual(question);
    expect(titles('为什么学习编程语言')).toEqual(plain);
    // A question of its verb alone keeps the verb as its topic.
    expect(titles('如何学习', 20)).toEqual(titles('学习', 20));
  });
});

describe('Latin words inside longer ones', () => {
  const wholeWord = (article: Article, word: string) => new RegExp(`(?<![a-z0-9])${word}(?![a-z0-9])`, 'i').test(`${article.title}\n${article.text}`);

  it('finds JavaScript posts for Java, after the posts with the word Java itself', () => {
    const hits = allHits({ q: 'Java' });
    const whole = hits.map((hit) => wholeWord(articles.get(hit.id)!, 'java'));
    expect(whole.indexOf(false)).toBeGreaterThan(0);
    expect(whole.slice(whole.indexOf(false)).includes(true)).toBe(false);
    expect(hits.filter((hit) => hit.matched_terms.includes('javascript')).length).toBeGreaterThan(0);
  });

  it('completes an unfinished word (Lightr → Lightroom)', () => {
    const hits = allHits({ q: 'Lightr' });
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) {
      expect(hit.matched_terms).toEqual(['lightroom']);
      expect(normalizedText(articles.get(hit.id)!)).toContain('lightroom');
    }
  });

  it('finds ChatGPT and GPT4o posts for GPT, ChatGPT (a part match) last', () => {
    // Our own three short posts (no third-party text): the word alone, inside a name, before a version.
    const posts = {
      'gpt/alone.md': '---\ntitle: 生成式模型简介\n---\nGPT 是一种生成式预训练模型。',
      'gpt/chat.md': '---\ntitle: 聊天机器人\n---\n很多人每天用 ChatGPT 写周报。',
      'gpt/version.md': '---\ntitle: 新版本发布\n---\n新模型 GPT4o 支持语音。',
    };
    const builder = new IndexBuilder(analyzer.identity);
    for (const [id, source] of Object.entries(posts)) {
      const parsed = parseArticle(id, Buffer.from(source));
      if (!parsed.ok) throw new Error(parsed.error.reason);
      builder.add(analyzeArticle(analyzer, parsed.article));
    }
    const hits = createSearchService(builder.build(), analyzer).search({ q: 'GPT' }).hits;
    // gpt4o is indexed with its part gpt (letters and digits split), so only ChatGPT is found through the term list.
    expect(hits.map((hit) => [hit.id, hit.matched_terms])).toEqual([
      ['gpt/alone.md', ['gpt']],
      ['gpt/version.md', ['gpt']],
      ['gpt/chat.md', ['chatgpt']],
    ]);
  });
});

describe('queries of stop words only', () => {
  it('search 我们, 如何, the and "how to" as words: exactly the posts containing them, not every post', () => {
    const contains = (article: Article, word: string) => {
      const text = `${article.title}\n${article.text}`.toLowerCase();
      return /^[a-z]/.test(word) ? new RegExp(`(?<![a-z0-9])${word}(?![a-z0-9])`).test(text) : text.includes(word);
    };
    for (const [q, words] of [['我们', ['我们']], ['如何', ['如何']], ['the', ['the']], ['how to', ['how', 'to']]] as const) {
      const hits = allHits({ q });
      const expected = [...articles.values()].filter((article) => words.some((word) => contains(article, word))).map((article) => article.id);
      expect(expected.length, q).toBeGreaterThan(5);
      expect(expected.length, q).toBeLessThan(articles.size / 2);
      expect(hits.map((hit) => hit.id).sort(), q).toEqual(expected.sort());
      expect(hits[0]!.matched_terms, q).toEqual(words);
      expect(hits[0]!.score, q).toBeGreaterThan(0);
    }
    // Both words first: an article with only one of them is scaled down by missingPenalty.
    const howTo = allHits({ q: 'how to' });
    const both = howTo.map((hit) => ['how', 'to'].every((word) => contains(articles.get(hit.id)!, word)));
    expect(both.indexOf(false)).toBeGreaterThan(0);
    expect(both.slice(both.indexOf(false)).includes(true)).toBe(false);
  });
});

describe('OR', () => {
  it('matches either alternative', () => {
    const ids = (q: string) => new Set(allHits({ q }).map((hit) => hit.id));
    const either = ids('芯片 OR 手机');
    const union = new Set([...ids('芯片'), ...ids('手机')]);
    expect(either.size).toBe(union.size);
    expect([...either].every((id) => union.has(id))).toBe(true);
    expect(either.size).toBeGreaterThan(ids('芯片').size);
  });
});

describe('filters and facets', () => {
  /**
   * The real articles have no tags: an index of them each tagged with the levels of its categories and its author
   * (several tags a post, shared across sources), made on first use.
   */
  let tagged: { reader: IndexReader; service: SearchService } | undefined;
  const taggedIndex = () => {
    if (tagged) return tagged;
    const builder = new IndexBuilder(analyzer.identity);
    for (const article of articles.values()) {
      const tags = [...new Set([...article.categories.flatMap((path) => path.split(' › ')), ...(article.author ? [article.author] : [])])];
      builder.add(analyzeArticle(analyzer, { ...article, tags }));
    }
    const built = builder.build();
    return (tagged = { reader: built, service: createSearchService(built, analyzer) });
  };

  it('filters by category from the request or the query, a category including everything under it', () => {
    const games = [...articles.values()].filter((article) => underCategory(article.categories, '游戏'));
    expect(games.length).toBeGreaterThan(10);
    expect(service.search({ q: '', category: '游戏' }).total).toBe(games.length);
    expect(service.search({ q: 'category:游戏' }).total).toBe(games.length);
    const gamePlayers = allHits({ q: '玩家', category: '游戏' });
    expect(gamePlayers.every((hit) => underCategory(hit.categories, '游戏'))).toBe(true);
    expect(gamePlayers.length).toBe(allHits({ q: '玩家' }).filter((hit) => underCategory(hit.categories, '游戏')).length);
    const news = [...articles.values()].filter((article) => underCategory(article.categories, '游戏 › 游戏时光'));
    expect(news.length).toBe(15);
    expect(service.search({ q: '', category: '游戏 › 游戏时光' }).total).toBe(15);
    expect(service.search({ q: '', category: '游戏>游戏时光' }).total).toBe(15);
  });

  it('counts facets over all matches, not just the page', () => {
    const result = service.search({ q: '手机', size: 3 });
    const hits = allHits({ q: '手机' });
    expect(hits.length).toBe(result.total);
    const count = (values: (string | null)[]) => {
      const counts = new Map<string, number>();
      for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
      return counts;
    };
    // A path counts for its ancestors too: 新媒体 › 36kr › 资讯 is under 新媒体 and 新媒体 › 36kr.
    const categories = count(hits.flatMap((hit) => [...new Set(hit.categories.flatMap(ancestors))]));
    for (const { value, count: n } of result.facets.category) expect([value, n]).toEqual([value, categories.get(value)]);
    expect(result.facets.category.length).toBe(Math.min(30, categories.size));
    // Tags (taggedIndex): a tag's spellings count as one value (facetKey), listed under its first; the 30 most frequent
    // (every article has more).
    const tagKey = (tag: string) => facetKey(tag, analyzer.normalize);
    for (const q of ['手机', '']) {
      const taggedTags = taggedIndex().service.search({ q, size: 3 }).facets.tag;
      const tags = count(allHits({ q }, taggedIndex().service).flatMap((hit) => [...new Set(hit.tags.map(tagKey))]));
      for (const { value, count: n } of taggedTags) expect([q, value, n]).toEqual([q, value, tags.get(tagKey(value))]);
      expect(taggedTags.length, q).toBe(Math.min(30, tags.size));
      const listedTags = new Set(taggedTags.map(({ value }) => tagKey(value)));
      const leftOut = [...tags].filter(([key]) => !listedTags.has(key)).map(([, n]) => n);
      if (q === '') expect(leftOut.length).toBeGreaterThan(0);
      expect(Math.max(0, ...leftOut), q).toBeLessThanOrEqual(taggedTags.at(-1)!.count);
    }
    const authors = count(hits.map((hit) => hit.author));
    for (const { value, count: n } of result.facets.author) expect([value, n]).toEqual([value, authors.get(value)]);
    const years = count(hits.map((hit) => hit.date?.slice(0, 4) ?? null));
    expect(result.facets.year).toEqual([...years].sort((a, b) => Number(b[0]) - Number(a[0])).map(([value, n]) => ({ value, count: n })));
  });

  it('counts facets from bits a word at a time where its documents share their values: as counting each document', () => {
    const { reader } = taggedIndex();
    const meta = runAtOnce(docMetaSteps(reader.columns(), (text) => analyzer.normalize(text)));
    const { docCount } = reader;
    // 313 = 9 × 32 + 25: the last word of a set's bits is partial.
    expect(docCount % 32).toBeGreaterThan(0);
    const numbers = Array.from({ length: docCount }, (_, doc) => doc);
    // Per word, the documents with all the values of its first (categories, tags, author, year): those counted at once.
    const valuesOf = (doc: number) => JSON.stringify([[...meta.docCategories[doc]!], [...meta.docTags[doc]!], meta.docAuthor[doc], meta.docYear[doc]]);
    const masks = Array.from({ length: bitWords(docCount) }, (_, w) =>
      numbers.slice(32 * w, 32 * w + 32).reduce((mask, doc) => (valuesOf(doc) === valuesOf(32 * w) ? mask | (1 << (doc & 31)) : mask), 0),
    );
    // All, every other, every third, a run across words, the ends of words (the last document too), the last word
    // alone, and queries' matches.
    const sets = [numbers, numbers.filter((doc) => doc % 2 === 0), numbers.filter((doc) => doc % 3 === 0), numbers.slice(20, 150)];
    sets.push([0, 31, 32, 63, 64, docCount - 25, docCount - 1], numbers.slice(288));
    for (const q of ['手机', '游戏', '人工智能']) sets.push(allHits({ q, facets: false, snippets: false }, taggedIndex().service).map((hit) => reader.docNumber(hit.id)!).sort((a, b) => a - b));
    let bothWays = 0;
    for (const docs of sets) {
      const bits = documentBits(docs, docCount);
      const byBits = new FacetCounter(meta);
      byBits.addBits(bits);
      const byDocument = new FacetCounter(meta);
      for (const doc of docs) byDocument.add(doc);
      const expected = byDocument.result();
      if (docs === numbers) for (const kind of ['category', 'tag', 'author', 'year'] as const) expect(expected[kind].length, kind).toBeGreaterThan(0);
      expect(byBits.result()).toEqual(expected);
      // Words with documents counted at once and others one by one.
      for (let w = 0; w < bits.length; w++) if ((bits[w]! & masks[w]!) !== 0 && (bits[w]! & ~masks[w]!) !== 0) bothWays++;
    }
    expect(bothWays).toBeGreaterThan(0);
  });

  it('filters by date range and author, from the query and the request', () => {
    const inRange = [...articles.values()].filter((a) => a.date !== null && a.date >= '2022-08-01' && a.date < '2022-09-01');
    expect(service.search({ q: 'date:2022-08' }).total).toBe(inRange.length);
    expect(service.search({ q: '', from: '2022-08', to: '2022-08-31' }).total).toBe(inRange.length);
    expect(service.search({ q: 'date:2022-08-01..2022-08' }).total).toBe(inRange.length);
    expect(fixtureService.search({ q: 'author:测试员' }).hits.map((hit) => hit.id)).toEqual([FIXTURE_ID]);
    expect(fixtureService.search({ q: 'tag:安全 新基础设施' }).hits.map((hit) => hit.id)).toEqual([FIXTURE_ID]);
    expect(fixtureService.search({ q: '', author: '别人' }).total).toBe(0);
    expect(service.search({ q: '', category: '不存在的分类' }).total).toBe(0);
  });
});

describe('order and pages', () => {
  it('answers an empty query with the newest articles first', () => {
    const result = service.search({ q: '', size: 20 });
    expect(result.total).toBe(articles.size);
    const dates = result.hits.map((hit) => hit.date!);
    expect(dates).toEqual([...dates].sort().reverse());
    const newest = [...articles.values()].map((a) => a.date).filter((d): d is string => d !== null).sort().reverse()[0];
    expect(dates[0]).toBe(newest);
  });

  it('sorts by date on request', () => {
    const hits = allHits({ q: '手机', sort: 'date' });
    const dates = hits.map((hit) => hit.date ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('paginates consistently', () => {
    const whole = service.search({ q: '游戏 玩家', size: 30 }).hits.map((hit) => hit.id);
    const paged = [1, 2, 3].flatMap((page) => service.search({ q: '游戏 玩家', page, size: 10 }).hits.map((hit) => hit.id));
    expect(paged).toEqual(whole);
    expect(new Set(whole).size).toBe(whole.length);
  });
});

describe('snippets', () => {
  it('marks the matched words in the best passage', () => {
    const [hit] = service.search({ q: '新基础设施', size: 1 }).hits;
    expect(hit.snippet).toMatchInlineSnapshot(`"…义为“石油和发动机”，腾讯将自身定义为“<mark>新基础设施</mark>”，拼多多将自身定义为“扶农助农者”……无论是称谓如何，他们所做的事情基本上都是一样的，即他们都在试图成为产业互联网时代的<mark>新基础设施</mark>。 所谓的<mark>新基础设施</mark>，就是像我们传统意义上所理解的水、电…"`);
  });

  it('escapes HTML and keeps emoji whole around marks', () => {
    const [hit] = fixtureService.search({ q: '转义 script', size: 1 }).hits;
    expect(hit.id).toBe(FIXTURE_ID);
    expect(hit.snippet).toMatchInlineSnapshot(`"网页里的 &lt;<mark>script</mark>&gt;alert(&quot;x &amp; y&quot;)&lt;/<mark>script</mark>&gt; 必须被<mark>转义</mark>，搜索摘要也一样。 表情😀😀之后是新基础设施，再后面是🎉庆祝。"`);
    const emoji = fixtureService.search({ q: '庆祝 新基础设施', size: 1 }).hits[0];
    expect(emoji.snippet).toMatchInlineSnapshot(`"网页里的 &lt;script&gt;alert(&quot;x &amp; y&quot;)&lt;/script&gt; 必须被转义，搜索摘要也一样。 表情😀😀之后是<mark>新基础设施</mark>，再后面是🎉<mark>庆祝</mark>。"`);
  });
});

describe('suggestions, related, topics, stats', () => {
  it('suggests titles and keywords for a Chinese prefix', () => {
    expect(service.suggest('产业', 3)).toMatchInlineSnapshot(`
      [
        {
          "kind": "title",
          "text": "产业互联网正驶向深蓝",
          "url": "/articles/%E6%96%B0%E5%AA%92%E4%BD%93/%E4%BA%BA%E4%BA%BA%E9%83%BD%E6%98%AF%E4%BA%A7%E5%93%81%E7%BB%8F%E7%90%86/%E6%9C%80%E6%96%B0%E6%96%87%E7%AB%A0/%E4%BA%A7%E4%B8%9A%E4%BA%92%E8%81%94%E7%BD%91%E6%AD%A3%E9%A9%B6%E5%90%91%E6%B7%B1%E8%93%9D.md",
        },
        {
          "kind": "keyword",
          "text": "产业",
        },
        {
          "kind": "keyword",
          "text": "产业互联网",
        },
      ]
    `);
    expect(service.suggest('驶向深', 3)).toEqual([{ text: '产业互联网正驶向深蓝', kind: 'title', url: service.suggest('产业', 1)[0]!.url }]);
    expect(service.suggest('', 3)).toEqual([]);
  });

  it('finds related articles by keyword vectors', () => {
    const id = [...articles.values()].find((a) => a.title === '产业互联网正驶向深蓝')!.id;
    const related = service.related(id, 3)!;
    expect(related.map((hit) => hit.title)).toMatchInlineSnapshot(`
      [
        ""年轻人 , 不是流量 , 不是数据 , 而是一个又一个活生生的人"",
        "1-10月佛山签约引进超亿元或超千万美元项目近300个",
        "00后斜杠青年：我用游戏赚到了学费",
      ]
    `);
    expect(related.some((hit) => hit.id === id)).toBe(false);
    expect(service.related('no/such.md')).toBeUndefined();
  });

  it('lists topics and stats', () => {
    const topics = service.topics(5);
    expect(topics).toHaveLength(5);
    expect(topics[0].count).toBeGreaterThanOrEqual(topics[4].count);
    // A topic counts the articles about it: with it among their keywords and named in their title, tags or categories.
    for (const { keyword, count } of topics) {
      const about = [...articles.values()].filter((a) => aboutKeywords(reader.stored(reader.docNumber(a.id)!), analyzer.normalize).includes(keyword));
      expect(about.length, keyword).toBe(count);
      expect(count).toBeGreaterThan(0);
    }
    expect(service.stats().articles).toBe(articles.size);
  });

  it('lists topics a reader would click: nouns and names, collocations of the collection, no verbs or amounts', () => {
    const keywords = service.topics(100).map((topic) => topic.keyword);
    expect(keywords).toHaveLength(100);
    for (const generic of ['增长', '上涨', '举办', '亿元', '新增', '系列', '万亿元']) expect(keywords).not.toContain(generic);
    // Nouns common in all Chinese writing (a low general idf) and a date's tail glued to its number (23日起) are
    // keywords, not topics.
    for (const generic of ['全国', '同比', '产品', '记录', '指数', '日起', '企业', '中国', '价格', '项目']) expect(keywords).not.toContain(generic);
    const lexicon = createLexicon();
    const tags = lexicon.tag(keywords.slice(0, 20));
    expect(keywords.slice(0, 20).filter((keyword, i) => isGenericWord(keyword, tags[i]!))).toEqual([]);
    expect(keywords.slice(0, 5)).toEqual(expect.arrayContaining(['游戏', '手办']));
    // Bylines say where an article comes from (财联社11月27日电, 每经AI快讯), not what it is about; 官图 is half of 官图更新
    // in every title naming it.
    for (const notTopic of ['财联社', '每经', '官图']) expect(keywords).not.toContain(notTopic);
    // Labels only a title has (《新闻联播》要闻15条, 开订 298人民币), what happens on a date (2022年10月出荷), a time phrase
    // (去年同期) and a unit after a number (75个基点) are no topics.
    for (const notTopic of ['要闻', '开订', '出荷', '去年同期', '基点']) expect(keywords).not.toContain(notTopic);
    const digest = reader.stored(reader.docNumber([...articles.values()].find((a) => a.title === '10月11日周一《新闻联播》要闻15条')!.id)!);
    expect(digest.keywords).toContain('要闻');
    expect(aboutKeywords(digest, analyzer.normalize)).toEqual(['新闻联播']);
    // 新冠 + 肺炎 is no dictionary word: the collection's own collocation, one topic.
    expect(reader.newWords().map((word) => word.word)).toContain('新冠肺炎');
    expect(keywords).toContain('新冠肺炎');
    expect(keywords).not.toContain('肺炎');
  });

  it('counts topics over recent articles (since) or one category, ties going to the most recent', () => {
    const about = (keyword: string) =>
      [...articles.values()].filter((article) => aboutKeywords(reader.stored(reader.docNumber(article.id)!), analyzer.normalize).includes(keyword));
    const aboutIn = (keyword: string, keep: (article: Article) => boolean) => about(keyword).filter(keep).length;
    const since = '2021-11-01';
    const recent = service.topics(10, { since });
    expect(recent.length).toBe(10);
    for (const { keyword, count } of recent) {
      expect(count, keyword).toBe(aboutIn(keyword, (a) => a.date !== null && Date.parse(a.date) >= Date.UTC(2021, 10, 1)));
    }
    const latest = (keyword: string) => Math.max(-Infinity, ...about(keyword).filter((a) => a.date !== null).map((a) => Date.parse(a.date!)));
    const all = service.topics(100);
    for (let i = 1; i < all.length; i++) {
      if (all[i]!.count === all[i - 1]!.count) expect(latest(all[i - 1]!.keyword)).toBeGreaterThanOrEqual(latest(all[i]!.keyword));
    }
    expect(service.topics(10, { since: '2100' })).toEqual([]);
    const games = service.topics(5, { category: '游戏' });
    const inGames = new Set(service.search({ q: '', category: '游戏', size: 100, facets: false, snippets: false }).hits.map((hit) => hit.id));
    expect(games[0]).toEqual({ keyword: '游戏', count: aboutIn('游戏', (a) => inGames.has(a.id)) });
    expect(service.topics(5, { category: '没有这个分类' })).toEqual([]);
  });
});

describe('did you mean', () => {
  it('corrects a misspelt Latin word from the index vocabulary, keeping its capital', () => {
    const result = service.search({ q: 'Kubernets' });
    expect(result.total).toBe(0);
    expect(result.did_you_mean).toBe('Kubernetes');
    expect(service.search({ q: result.did_you_mean! }).total).toBeGreaterThan(0);
    // Full-width letters are compared as half-width; the words that are known stay as typed.
    expect(service.search({ q: 'Ｄｏｃｋｅｒ kuberntes' }).did_you_mean).toBe('Docker kubernetes');
  });

  it('corrects a Chinese word with one wrong character when nothing is found, in Simplified', () => {
    expect(service.search({ q: '元宇寅' }).did_you_mean).toBe('元宇宙');
    expect(service.search({ q: '元宇寅' }).total).toBe(0);
  });

  it('says nothing when the query finds enough or every word is known', () => {
    expect(service.search({ q: '元宇宙' }).did_you_mean).toBeUndefined();
    expect(service.search({ q: 'Kubernetes' }).did_you_mean).toBeUndefined();
    expect(service.search({ q: 'zzzzqqqq' }).did_you_mean).toBeUndefined();
  });
});
