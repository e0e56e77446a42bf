/**
 * Dates through the engine, in the site's calendar as the embedded index reads them (README: a time without a zone
 * is the site's wall clock, Asia/Shanghai without a Hexo site): a post of 07:30 on 1 March in Shanghai is the
 * UTC evening of 28 February, yet `date:2022-03-01` finds it and its year is the site's. Both backends are asked the
 * same searches on a few posts written here, near midnight in UTC.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../src/analysis/index.js';
import { analyzeArticle, IndexBuilder, parseEngineUrl, syncEngine } from '../src/index/index.js';
import { loadCorpus } from '../src/ingest/index.js';
import { createSearchService, embeddedBackend, engineBackend } from '../src/search/index.js';
import type { SearchBackend, SearchRequest } from '../src/search/types.js';
import { searchdAvailable, startCluster, type EngineCluster } from './fixtures/engine/searchd.js';

const available = await searchdAvailable('test/engine.dates.test.ts');

const POSTS: Record<string, string> = {
  // 2022-02-28T23:30Z.
  '早班.md': '---\ntitle: 三月的早班列车\ndate: 2022-03-01 07:30:00\n---\n早班列车准时发车，乘客不多。\n',
  // 2021-12-31T21:00Z: the site's year is 2022.
  '元旦.md': '---\ntitle: 元旦清晨的列车\ndate: 2022-01-01 05:00:00\n---\n元旦清晨，列车上只有几位乘客。\n',
  '跨年.md': '---\ntitle: 跨年夜的末班列车\ndate: 2021-12-31 23:30:00\n---\n跨年夜的末班列车挤满了乘客。\n',
  '无日期.md': '---\ntitle: 没有日期的列车笔记\n---\n列车笔记，没有写日期。\n',
};

describe.skipIf(!available)('engine date filters and year facet in the site calendar', () => {
  let dir: string;
  let cluster: EngineCluster;
  let embedded: SearchBackend;
  let engine: SearchBackend;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'zhsearch-engine-dates-'));
    for (const [name, text] of Object.entries(POSTS)) writeFileSync(path.join(dir, name), text);
    const analyzer = createAnalyzer({});
    const builder = new IndexBuilder(analyzer.identity);
    for await (const result of loadCorpus(dir)) if (result.ok) builder.add(analyzeArticle(analyzer, result.article));
    const reader = builder.build();
    embedded = embeddedBackend(createSearchService(reader, analyzer));
    cluster = await startCluster();
    const url = parseEngineUrl(cluster.url);
    expect((await syncEngine(url, reader, (text) => analyzer.normalize(text))).written).toBe(4);
    engine = await engineBackend({ engine: url });
  });

  afterAll(async () => {
    await engine?.close();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const ids = async (backend: SearchBackend, request: SearchRequest) => (await backend.search({ size: 10, ...request })).hits.map((hit) => hit.id).sort();

  it.each([
    [{ q: 'date:2022-03-01..2022-03-01' }, ['早班.md']],
    [{ q: '列车 date:2022-03-01' }, ['早班.md']],
    [{ q: '', from: '2022-02-28', to: '2022-02-28' }, []],
    [{ q: 'date:2022' }, ['元旦.md', '早班.md']],
    [{ q: '列车', to: '2021-12-31' }, ['跨年.md']],
    [{ q: '', from: '2022-01-01' }, ['元旦.md', '早班.md']],
  ] as [SearchRequest, string[]][])('%j finds the posts of those days on the site calendar', async (request, expected) => {
    expect(await ids(embedded, request)).toEqual(expected);
    expect(await ids(engine, request)).toEqual(expected);
  });

  it('counts years on the site calendar, as the embedded index does', async () => {
    const [a, b] = [await embedded.search({ q: '列车' }), await engine.search({ q: '列车' })];
    expect(a.facets!.year).toEqual([
      { value: '2022', count: 2 },
      { value: '2021', count: 1 },
    ]);
    expect(b.facets!.year).toEqual(a.facets!.year);
    expect(b.hits.find((hit) => hit.id === '元旦.md')!.date).toBe('2022-01-01T05:00:00+08:00');
  });
});
