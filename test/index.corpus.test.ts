/** The index stage on the real articles corpus: postings checked against the analyzer, persistence, incremental builds. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzer, createLexicon, topKeywords } from '../src/analysis/index.js';
import type { Analyzer } from '../src/analysis/types.js';
import { analyzeArticle, engineTerm, boilerplateOf, edgeClauses, positionPostings, IndexBuilder, openIndex, readSummaries, titleRoleWords, withoutKeywords, writeIndex, type AnalyzedArticle, type IndexReader } from '../src/index/index.js';
import { BOILERPLATE_RULES, edgeKeys, packEdges, unpackEdges } from '../src/index/boilerplate.js';
import { engineRows } from '../src/index/engine/rows.js';
import type { MemoryIndex } from '../src/index/memory-index.js';
import type { GenerationContent } from '../src/index/persist.js';
import type { ArticleSummary } from '../src/index/summaries.js';
import { documentList } from '../src/index/forward.js';
import { encodePostings, writeForwardPostings } from '../src/index/postings-codec.js';
import { FIELDS } from '../src/search/bm25f.js';
import { loadCorpus } from '../src/ingest/index.js';
import type { Article } from '../src/ingest/types.js';
import { dumpIndex } from './fixtures/index/dump.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const articlesDir = path.resolve(repoRoot, '../shared/corpus/articles');
const TOPIC_TITLE = '产业互联网正驶向深蓝';

let analyzer: Analyzer;
const articles: Article[] = [];
const analyzed = new Map<string, AnalyzedArticle>();
let built: IndexReader;
let dir: string;

beforeAll(async () => {
  analyzer = createAnalyzer({});
  for await (const result of loadCorpus(articlesDir)) {
    if (!result.ok) continue;
    articles.push(result.article);
    analyzed.set(result.article.id, analyzeArticle(analyzer, result.article));
  }
  const builder = new IndexBuilder(analyzer.identity);
  for (const doc of analyzed.values()) builder.add(doc);
  built = builder.build();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zhsearch-index-corpus-'));
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('built from the articles corpus', () => {
  it('holds every article, numbered in id order', () => {
    expect(built.docCount).toBe(articles.length);
    expect(built.docCount).toBe(312);
    const ids = [...built.documents()].map((d) => d.id);
    expect(ids).toEqual(articles.map((a) => a.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(built.manifest.sourceBytes).toBe(articles.reduce((sum, a) => sum + a.bytes, 0));
  });

  it('has the positions the analyzer gives for 新基础设施 in the body of the article about it', () => {
    const article = articles.find((a) => a.title === TOPIC_TITLE)!;
    const expected = analyzer
      .analyze(article.text)
      .filter((t) => t.term === '新基础设施')
      .map((t) => t.position);
    expect(expected.length).toBeGreaterThan(1);
    const list = built.postings('body', '新基础设施')!;
    const i = list.docs.indexOf(built.docNumber(article.id)!);
    expect(list.tfs[i]).toBe(expected.length);
    expect([...list.positions.subarray(list.posStart[i], list.posStart[i + 1])]).toEqual(expected);
    expect(built.stored(list.docs[i]).keywords).toEqual(expect.arrayContaining(['产业互联网', '流量']));
  });

  it('counts title document frequencies as an independent scan of the titles does', () => {
    const counts = new Map<string, number>();
    for (const article of articles) {
      for (const term of new Set(analyzer.analyze(article.title).map((t) => t.term))) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    expect([...built.terms('title')].sort()).toEqual([...counts.keys()].sort());
    for (const [term, count] of counts) expect(built.docFreq('title', term)).toBe(count);
  });

  it('gives every document the keywords topKeywords gives from its title and body tokens, the collocations found, its boilerplate and the titles\' word roles', () => {
    const collocations = new Map(built.newWords().map((word) => [word.parts.join('\n'), word.word]));
    expect(collocations.size).toBeGreaterThan(5);
    const titles: (string | undefined)[][] = [];
    const counts = articles.map((article) => {
      const termCounts = new Map<string, number>();
      const add = (term: string) => termCounts.set(term, (termCounts.get(term) ?? 0) + 1);
      for (const [field, text] of [article.title, article.text].entries()) {
        const words: string[] = [];
        for (const { term, position } of analyzer.analyze(text)) {
          add(term);
          words[position] ??= term; // the first token at a position is the word, the rest its sub-words
        }
        if (field === 0) titles.push(Array.from(words));
        // Collocations left to right: where two overlap, the first wins.
        for (let p = 0; p + 1 < words.length; p++) {
          const collocation = words[p] !== undefined && words[p + 1] !== undefined ? collocations.get(`${words[p]}\n${words[p + 1]}`) : undefined;
          if (collocation === undefined) continue;
          add(collocation);
          p++;
        }
      }
      return termCounts;
    });
    const docFreq = new Map<string, number>();
    for (const termCounts of counts) for (const term of termCounts.keys()) docFreq.set(term, (docFreq.get(term) ?? 0) + 1);
    // Words the titles show to be verbs, titles or half a name weigh 0, as verbs do.
    const lexicon = withoutKeywords(createLexicon(), titleRoleWords(titles, createLexicon()));
    const boilerplate = boilerplateOf(articles.length, (i) => packEdges(edgeClauses({ title: articles[i]!.title, body: articles[i]!.text })));
    articles.forEach((article, i) => {
      const expected = topKeywords(counts[i]!, (term) => docFreq.get(term) ?? 0, articles.length, 10, lexicon, boilerplate[i]);
      expect(built.stored(built.docNumber(article.id)!).keywords, article.id).toEqual(expected);
    });
  });

  it('finds the bylines and disclaimers articles share at their edges, and counts no keyword from them', () => {
    const edges = articles.map((a) => edgeClauses({ title: a.title, body: a.text }));
    // Read from edges packed as a build keeps them, without unpacking: the clauses whose keys stand at the edges of
    // enough articles, each source once, as the edges' objects say.
    const packed = edges.map(packEdges);
    const boilerplate = boilerplateOf(packed.length, (i) => packed[i]!);
    expect(packed.map(unpackEdges)).toEqual(edges);
    expect(packed.map(edgeKeys)).toEqual(edges.map((list) => list.map((edge) => edge.key)));
    const docsWith = new Map<string, number>();
    for (const list of edges) for (const key of new Set(list.map((edge) => edge.key))) docsWith.set(key, (docsWith.get(key) ?? 0) + 1);
    const minDocs = Math.max(BOILERPLATE_RULES.minDocs, BOILERPLATE_RULES.minShare * articles.length);
    const expected = edges.map((list) => [...new Map(list.filter((edge) => docsWith.get(edge.key)! >= minDocs).map((edge) => [edge.source, edge.clause])).values()].join('\n'));
    expect(boilerplate).toEqual(expected);
    const of = (id: string) => boilerplate[articles.findIndex((a) => a.id === id)]!.split('\n');
    const cls = '金融/财联社/电报/1-10月全国社会物流总额2618万亿元 同比增长105%.md';
    const nbd = '金融/每经网/重磅原创/10月11日日经225指数收盘上涨158%.md';
    // 财联社11月27日电 and 每经AI快讯 (digits folded when counting), the disclaimer's clauses, the date's 点 clauses.
    expect(of(cls)).toContain('财联社11月27日电');
    expect(of(nbd)).toEqual(expect.arrayContaining(['每经ai快讯', '免责声明', '不构成投资建议', '使用前核实', '风险自担']));
    // A field's value (类型: 手办) is what the article is about, not boilerplate, however many articles share it.
    const figure = articles.find((a) => a.id.startsWith('二次元/Hpoi 手办维基/') && a.text.includes('手办'))!;
    expect(of(figure.id)).not.toContain('手办');
    expect(built.stored(built.docNumber(cls)!).keywords).not.toContain('财联社');
    for (const boiler of ['每经', 'ai', '快讯', '免责声明', '自担', '核实']) expect(built.stored(built.docNumber(nbd)!).keywords).not.toContain(boiler);
    expect(built.stored(built.docNumber(figure.id)!).keywords).toContain('手办');
  });

  it('finds the words titles use around names and dates rather than as a topic: 官图 always before 更新, 出荷 after a month, no topic of the collection', () => {
    const titles = articles.map((article) => {
      const words: string[] = [];
      for (const { term, position } of analyzer.analyze(article.title)) words[position] ??= term;
      return Array.from(words);
    });
    const roles = titleRoleWords(titles, createLexicon());
    expect(roles).toContain('官图');
    // What happens on a date: 2022年10月出荷 in every title naming 出荷.
    expect(roles).toContain('出荷');
    for (const topic of ['游戏', '手办', '苹果', '特斯拉', 'steam', '产业互联网', '新冠肺炎']) expect(roles).not.toContain(topic);
    const figure = articles.find((a) => a.title.includes('官图更新'))!;
    expect(built.stored(built.docNumber(figure.id)!).keywords).not.toContain('官图');
  });

  it('gives back, from an engine row\'s term positions, the postings of its article (what the engine\'s re-ranking reads)', () => {
    // Every 10th article and the one about 新基础设施: its words, sub-words, a Latin word and a title word.
    const topic = built.docNumber(articles.find((a) => a.title === TOPIC_TITLE)!.id)!;
    const docs = [...new Set([topic, ...Array.from({ length: built.docCount }, (_, doc) => doc).filter((doc) => doc % 10 === 0)])].sort((a, b) => a - b);
    const rows = [...engineRows(built, docs, (text) => analyzer.normalize(text))].flat();
    const terms = ['新基础设施', '基础', '设施', '产业互联网', '流量', '游戏', 'kubernetes', '深蓝'];
    // As the engine gives them back: per term, each row's value of pos['term'] (null when the article lacks it).
    const values = rows.map((row) => JSON.parse(row.positions) as Record<string, string>);
    const postings = positionPostings(new Map(terms.map((term) => [term, values.map((value) => value[engineTerm(term)] ?? null)])));
    let compared = 0;
    for (const field of FIELDS) {
      for (const term of terms) {
        const expected: [number, number[]][] = [];
        const list = built.postings(field, term);
        for (let i = 0; list && i < list.docs.length; i++) {
          const at = docs.indexOf(list.docs[i]);
          if (at >= 0) expected.push([at, [...list.positions.subarray(list.posStart[i], list.posStart[i + 1])]]);
        }
        const read = postings(field, term);
        const got: [number, number[]][] = read ? [...read.docs].map((doc, i) => [doc, [...read.positions.subarray(read.posStart[i], read.posStart[i + 1])]]) : [];
        expect(got, `${field} ${term}`).toEqual(expected);
        if (read) expect([...read.tfs]).toEqual(expected.map(([, positions]) => positions.length));
        compared += expected.length;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('keeps each document\'s text and display fields exactly', () => {
    for (const article of articles) {
      const { frontMatter: _f, warnings: _w, ...expected } = article;
      const stored = built.stored(built.docNumber(article.id)!);
      expect({ ...stored, keywords: undefined }).toEqual({ ...expected, keywords: undefined });
    }
  });
});

describe('persisted', () => {
  it('a write failing before text.bin stops compressing texts, ends its summaries.bin and removes its folder before it tells the failure', async () => {
    const summaries = copiedSummaries();
    const table = (built as MemoryIndex).table;
    let reads = 0;
    const counted = Object.assign(Object.create(table) as typeof table, {
      text(doc: number) {
        reads++;
        return table.text(doc);
      },
    });
    const content: GenerationContent = {
      manifest: built.manifest,
      writePostings: async () => {
        throw new Error('磁盘已满');
      },
      fieldLength: (field, doc) => built.fieldLength(field, doc),
      table: counted,
      newWords: [],
      abbreviations: [],
    };
    const failing = await fs.mkdtemp(path.join(os.tmpdir(), 'zhsearch-index-failing-'));
    try {
      await expect(writeIndex(failing, content, { summaries })).rejects.toThrow('磁盘已满');
      const readsAtFailure = reads;
      // summaries.bin is written into the folder: every summary was read before it was removed.
      expect(summaries.reads).toBe(summaries.size);
      // The compressors had more blocks to go (else this shows nothing), and take none once the failure is told.
      expect(readsAtFailure).toBeLessThan(built.docCount);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(reads).toBe(readsAtFailure);
      expect((await fs.readdir(failing)).filter((name) => /^\d+$/.test(name))).toEqual([]);
    } finally {
      await fs.rm(failing, { recursive: true, force: true });
    }
  });

  it('a CURRENT.tmp that cannot be written or removed (a folder) fails the write only once its folder is gone', async () => {
    const failing = await fs.mkdtemp(path.join(os.tmpdir(), 'zhsearch-index-tmp-folder-'));
    try {
      await fs.mkdir(path.join(failing, 'CURRENT.tmp'));
      await fs.writeFile(path.join(failing, 'CURRENT.tmp', 'kept'), '');
      await expect(writeIndex(failing, built)).rejects.toThrow();
      expect((await fs.readdir(failing)).filter((name) => /^\d+$/.test(name))).toEqual([]);
    } finally {
      await fs.rm(failing, { recursive: true, force: true });
    }
  });

  it('loads back identical postings, lengths and stored fields', async () => {
    await writeIndex(dir, built);
    const loaded = await openIndex(dir, { expectedAnalyzer: analyzer.identity });
    expect(dumpIndex(loaded)).toEqual(dumpIndex(built));
    // Sizes: postings are varint-coded, the text is compressed; both well below the raw source.
    const sizes = Object.fromEntries(loaded.manifest.files.map((f) => [f.name, f.bytes]));
    expect(sizes['body.postings']).toBeLessThan(built.manifest.sourceBytes / 2);
    expect(sizes['text.bin']).toBeLessThan(built.manifest.sourceBytes / 3);
  });

  it('an incremental build from the loaded index plus changes equals a full build', async () => {
    const loaded = await openIndex(dir);
    const [removed, changed] = articles.filter((a) => a.text.length > 2000);
    const edited = analyzeArticle(analyzer, { ...changed, text: changed.text.slice(0, 1000) + '\n\n新基础设施与产业互联网' });
    const addedArticle = { ...articles[0], id: '新增/article.md', title: '新增的文章：算力网络', text: '算力网络是新基础设施。' };
    const added = analyzeArticle(analyzer, addedArticle);

    const incremental = IndexBuilder.from(loaded);
    expect(incremental.remove(removed.id)).toBe(true);
    incremental.add(edited);
    incremental.add(added);

    const full = new IndexBuilder(analyzer.identity);
    for (const [id, doc] of analyzed) if (id !== removed.id && id !== changed.id) full.add(doc);
    full.add(edited);
    full.add(added);
    expect(dumpIndex(incremental.build())).toEqual(dumpIndex(full.build()));
  });

  it('the next incremental build takes each article\'s edge clauses from the summaries written beside the generation, and equals a full build', async () => {
    const full = new IndexBuilder(analyzer.identity);
    for (const doc of analyzed.values()) full.add(doc);
    const manifest = await writeIndex(dir, full.build(), { summaries: full.summaries() });
    const summaries = readSummaries(dir, manifest.generation)!;
    expect(summaries.size).toBe(articles.length);
    for (const [id, doc] of analyzed) expect(summaries.get(id)!.edges).toEqual(doc.edges);
    // Written in the order of the ids: the order the articles arrived in (the analysis threads') leaves no trace.
    const reversed = new IndexBuilder(analyzer.identity);
    for (const doc of [...analyzed.values()].reverse()) reversed.add(doc);
    const other = await fs.mkdtemp(path.join(os.tmpdir(), 'zhsearch-summaries-'));
    try {
      const otherManifest = await writeIndex(other, reversed.build(), { summaries: reversed.summaries() });
      const bytesOf = (root: string, generation: string) => fs.readFile(path.join(root, generation, 'summaries.bin'));
      expect(await bytesOf(other, otherManifest.generation)).toEqual(await bytesOf(dir, manifest.generation));
    } finally {
      await fs.rm(other, { recursive: true, force: true });
    }

    const loaded = await openIndex(dir);
    // Taken over, not worked out again: a clause the summaries put at the edges of every article is boilerplate, and
    // its word (written there more often than in any text) no keyword.
    const article = articles.find((a) => a.title === TOPIC_TITLE)!;
    const bylines = Array.from({ length: 100 }, (_, i) => ({ clause: '新基础设施', key: '新基础设施', source: `h${i}` }));
    const marked = new Map([...summaries].map(([id, { edges }]) => [id, { edges: [...edges, ...bylines] }]));
    const doc = (reader: IndexReader) => reader.stored([...reader.documents()].find((d) => d.id === article.id)!.doc);
    expect(doc(IndexBuilder.from(loaded, undefined, summaries).build()).keywords).toEqual(doc(built).keywords);
    expect(doc(built).keywords).toContain('新基础设施');
    expect(doc(IndexBuilder.from(loaded, undefined, marked).build()).keywords).not.toContain('新基础设施');

    const changed = articles.find((a) => a.text.length > 2000 && a.id !== article.id)!;
    const edited = analyzeArticle(analyzer, { ...changed, text: changed.text.slice(0, 1000) + '\n\n新基础设施与产业互联网' });
    const incremental = IndexBuilder.from(loaded, undefined, summaries);
    incremental.add(edited);
    const expected = new IndexBuilder(analyzer.identity);
    for (const [id, doc] of analyzed) expected.add(id === changed.id ? edited : doc);
    expect(dumpIndex(incremental.build())).toEqual(dumpIndex(expected.build()));
    expect(incremental.summaries().get(changed.id)!.edges).toEqual(edited.edges);

    // Edge clauses worked out under other rules are not taken over (nor carried on into the next generation).
    const { edgeChars } = BOILERPLATE_RULES;
    BOILERPLATE_RULES.edgeChars = edgeChars + 1;
    try {
      expect(readSummaries(dir, manifest.generation)).toBeNull();
    } finally {
      BOILERPLATE_RULES.edgeChars = edgeChars;
    }
    expect(readSummaries(dir, manifest.generation)).not.toBeNull();

    // A damaged file is no summary: the build works its edges out from the texts again.
    await fs.writeFile(path.join(dir, manifest.generation, 'summaries.bin'), 'not gzip');
    expect(readSummaries(dir, manifest.generation)).toBeNull();
  });

  it('an incremental build keeps the keywords of the articles an edit cannot rerank (re-sorted where an idf moved), tagging only what may rank anew, and equals a full build, summaries included; without the summaries\' keywords it ranks every article', async () => {
    const full = new IndexBuilder(analyzer.identity);
    for (const doc of analyzed.values()) full.add(doc);
    const manifest = await writeIndex(dir, full.build(), { summaries: full.summaries() });
    const summaries = readSummaries(dir, manifest.generation)!;
    expect(summaries.keywordsKept).toBe(true);
    const loaded = await openIndex(dir);
    const lexicon = createLexicon();
    let tagged = 0;
    const counting = { ...lexicon, keywordWeights: (terms: readonly string[]) => ((tagged += terms.length), lexicon.keywordWeights(terms)) };

    // Its second half cut (the idf of words only it had there rises) and words added that many articles have (their
    // idf falls: 企业, 消息) and few have.
    const changed = articles.find((a) => a.text.length > 2000 && a.title !== TOPIC_TITLE)!;
    const text = `${changed.text.slice(0, changed.text.length / 2)}\n\n新基础设施与产业互联网：中国企业的最新消息`;
    const edited = analyzeArticle(analyzer, { ...changed, text });
    const expected = new IndexBuilder(analyzer.identity);
    for (const [id, doc] of analyzed) expected.add(id === changed.id ? edited : doc);
    const incremental = IndexBuilder.from(loaded, counting, summaries);
    incremental.add(edited);
    expect(dumpIndex(incremental.build())).toEqual(dumpIndex(expected.build()));
    const keptTagged = tagged;

    // The next generation's summaries hold the same counts and weights as a full build's.
    const other = await fs.mkdtemp(path.join(os.tmpdir(), 'zhsearch-kept-'));
    try {
      const written = async (root: string, builder: IndexBuilder) => {
        const { generation } = await writeIndex(root, builder.build(), { summaries: builder.summaries() });
        return fs.readFile(path.join(root, generation, 'summaries.bin'));
      };
      expect(await written(other, incremental)).toEqual(await written(path.join(other, 'full'), expected));
    } finally {
      await fs.rm(other, { recursive: true, force: true });
    }

    // 第一财经 stands at the edge of exactly as many articles as boilerplate needs (BOILERPLATE_RULES.minDocs): one of
    // them losing it makes it no boilerplate in the others, one of whose keywords then counts it (flippedKeys).
    const shared = '第一财经';
    const holders = [...analyzed.values()].filter((doc) => doc.edges.some((edge) => edge.key === shared));
    expect(holders.length).toBe(BOILERPLATE_RULES.minDocs);
    const losing = analyzed.get('新媒体/36kr/快讯/107股获20家以上机构调研，迈瑞医疗最受关注.md')!;
    expect(holders).toContain(losing);
    const unstamped = { ...losing, edges: losing.edges.filter((edge) => edge.key !== shared) };
    const withoutByline = new IndexBuilder(analyzer.identity);
    for (const doc of analyzed.values()) withoutByline.add(doc === losing ? unstamped : doc);
    const flipped = IndexBuilder.from(loaded, undefined, summaries);
    flipped.add(unstamped);
    const rebuilt = withoutByline.build();
    expect(dumpIndex(flipped.build())).toEqual(dumpIndex(rebuilt));
    // Another article's keywords moved: the kept ones of the articles around the clause were not taken over.
    const original = new IndexBuilder(analyzer.identity);
    for (const doc of analyzed.values()) original.add(doc);
    const keywordsOf = (reader: IndexReader) => new Map([...reader.documents()].map(({ id, doc }) => [id, reader.stored(doc).keywords.join()]));
    const [before, after] = [keywordsOf(original.build()), keywordsOf(rebuilt)];
    expect([...after].filter(([id, keywords]) => id !== losing.article.id && keywords !== before.get(id)).length).toBe(1);

    tagged = 0;
    // A file of a build that kept no keywords (a plain map of edges here) has every article ranked again.
    const ranked = IndexBuilder.from(loaded, counting, new Map(summaries));
    ranked.add(edited);
    expect(dumpIndex(ranked.build())).toEqual(dumpIndex(expected.build()));
    expect(keptTagged).toBeLessThan(tagged / 5);
  });

  it('a builder writes from its documents (texts in a scratch file, postings a window of terms at a time) the same files as its built index, with its counting thread encoding the analysed fields\' postings, and also when that thread cannot start (counted and encoded on the main thread, with a warning)', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'zhsearch-content-'));
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const builder = new IndexBuilder(analyzer.identity, undefined, undefined, { spillTextsIn: root, keptTextBytes: 100_000 });
      // From the sources a thread cannot load its TypeScript module: it fails as a thread that cannot start would.
      const threaded = new IndexBuilder(analyzer.identity, undefined, undefined, { spillTextsIn: root, countingThread: { niceness: 0 } });
      // The compiled module's thread starts: it counts, then writes the analysed fields' postings the builder copies.
      const compiled = (await import('../dist/index/index.js')) as typeof import('../src/index/index.js');
      const onThread = new compiled.IndexBuilder(analyzer.identity, undefined, undefined, { spillTextsIn: root, countingThread: { niceness: 0 } });
      for (const doc of analyzed.values()) {
        builder.add(doc);
        threaded.add(doc);
        onThread.add(doc);
      }
      // The scratch file has no name from the start: a killed build leaves nothing in the index folder.
      expect(await fs.readdir(root)).toEqual([]);
      const [fromBuilt, fromContent, fromThreaded, fromThread] = ['built', 'content', 'threaded', 'thread'].map((name) => path.join(root, name));
      for (const dir of [fromBuilt, fromContent, fromThreaded, fromThread]) await fs.mkdir(dir);
      const expected = await writeIndex(fromBuilt, builder.build());
      const written = await writeIndex(fromContent, await builder.content());
      const writtenThreaded = await writeIndex(fromThreaded, await threaded.content());
      const writtenOnThread = await writeIndex(fromThread, await onThread.content());
      // The forward fields went once the postings were written: no second index can be made of them.
      expect(() => builder.build()).toThrow(/released/);
      builder.clear();
      threaded.clear();
      onThread.clear();
      for (const [dir, manifest] of [[fromContent, written], [fromThreaded, writtenThreaded], [fromThread, writtenOnThread]] as const) {
        expect(manifest.files).toEqual(expected.files);
        expect({ ...manifest, builtAt: '' }).toEqual({ ...expected, builtAt: '' });
        for (const { name } of expected.files) {
          expect(await fs.readFile(path.join(dir, '000001', name)), name).toEqual(await fs.readFile(path.join(fromBuilt, '000001', name)));
        }
      }
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([expect.stringMatching(/^统计与编码线程失败：.+，改在主线程完成：这次重建会慢一些$/)]);
    } finally {
      process.off('warning', onWarning);
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  it('encodes a field from its documents\' forward form into the same bytes as from its postings, whatever the window', async () => {
    const ids = new Map<string, number>();
    const docs = [...built.documents()].map(({ id }) => {
      const { terms, freqs, positions } = analyzed.get(id)!.fields.body;
      const termIds = Uint32Array.from(terms, (term) => ids.get(term) ?? ids.set(term, ids.size).size - 1);
      return { termIds, freqs, positions };
    });
    const terms = [...ids.keys()].sort();
    expect(terms).toEqual([...built.terms('body')]);
    const rankOf = new Uint32Array(ids.size);
    terms.forEach((term, rank) => (rankOf[ids.get(term)!] = rank));
    const expected = Buffer.from(encodePostings({ terms, postings: (term) => built.postings('body', term)! }));
    for (const windowBytes of [5_000, 50_000, 1 << 25]) {
      const pieces: Buffer[] = [];
      await writeForwardPostings(documentList(docs), terms, rankOf, async (piece) => void pieces.push(Buffer.from(piece)), windowBytes);
      expect(Buffer.concat(pieces).equals(expected), `window ${windowBytes}`).toBe(true);
    }
  });

  it('a rewrite after one edit reuses the compressed text blocks of the unchanged articles and reads back equal', async () => {
    const first = await openIndex(dir);
    const changed = articles.find((a) => a.title === TOPIC_TITLE)!;
    const edited = analyzeArticle(analyzer, { ...changed, contentHash: 'edited', text: changed.text + '\n\n补充一段：算力网络' });
    const incremental = IndexBuilder.from(first);
    incremental.add(edited);
    const expected = dumpIndex(incremental.build());
    await writeIndex(dir, incremental.build());
    const second = await openIndex(dir);
    expect(dumpIndex(second)).toEqual(expected);

    const blocksOf = (reader: IndexReader) => [...(reader as MemoryIndex).table.compressedBlocks!().keys()];
    const before = new Set(blocksOf(first));
    const after = blocksOf(second);
    const kept = after.filter((key) => before.has(key)).length;
    expect(after.length).toBeGreaterThan(30);
    expect(kept).toBeGreaterThanOrEqual(after.length - 3);
  });

  it('names a generation in CURRENT only once its summaries.bin is whole', async () => {
    const summaries = copiedSummaries();
    const small = new IndexBuilder(analyzer.identity);
    for (const doc of [...analyzed.values()].slice(0, 8)) small.add(doc);
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'zhsearch-summaries-'));
    try {
      const manifest = await writeIndex(root, small.build(), { summaries });
      expect(readSummaries(root, manifest.generation)?.size).toBe(summaries.size);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});

/**
 * The real articles' summaries, each under 40 ids (compressing and writing them outlasts the write of a few articles),
 * counting how many were read.
 */
function copiedSummaries(): CountedReads {
  const real = new IndexBuilder(analyzer.identity);
  for (const doc of analyzed.values()) real.add(doc);
  const source = real.summaries();
  const summaries = new CountedReads();
  for (const id of source.keys()) for (let copy = 0; copy < 40; copy++) summaries.set(`${id}#${copy}`, source.get(id)!);
  return summaries;
}

class CountedReads extends Map<string, ArticleSummary> {
  reads = 0;
  override get(id: string): ArticleSummary | undefined {
    this.reads++;
    return super.get(id);
  }
}
