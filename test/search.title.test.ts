/**
 * Title length normalisation on a slice of the scale corpus read from its archive at test time (新闻联播 of four
 * ten-day spans and the administrative laws, 609 posts): for 海洋经济 a title that is mostly the topic comes before a
 * long title naming it among other things.
 */
import { expect, it } from 'vitest';
import { analyzerForIndex, createSearchService, defaultRankingConfig } from '../src/search/index.js';
import { openedScaleSlice } from './fixtures/cli/scale-slice.js';

const NEWS = 'DuckBurnIncense-xin-wen-lian-bo/news';
const SLICES = [...['2025070', '2024110', '2025010', '2025022'].map((days) => `${NEWS}/${days}*`), 'LawRefBook-Laws/行政法/*'];
/** 我国海洋经济呈现出强劲发展势头 and 前三季度我国海洋经济运行稳中有进 (graded 3 for 海洋经济 in ../shared/eval). */
const SHORT = [`${NEWS}/20250109/10.md`, `${NEWS}/20241103/08.md`];
/** 习近平主持召开中央财经委员会第六次会议强调 纵深推进全国统一大市场建设 推动海洋经济高质量发展 (graded 2). */
const LONG = `${NEWS}/20250701/01.md`;

const slice = openedScaleSlice('title', SLICES);

it('ranks titles that are mostly the topic before a long title naming it among other things', () => {
  expect(slice.reader.docCount).toBe(609);
  const analyzer = analyzerForIndex(slice.reader.manifest.analyzer);
  const titleOf = (id: string) => slice.reader.stored(slice.reader.docNumber(id)!).title;
  for (const id of [...SHORT, LONG]) expect(titleOf(id)).toContain('海洋经济');
  for (const id of SHORT) expect(titleOf(id).length * 2).toBeLessThan(titleOf(LONG).length);
  const ranks = (titleB: number) => {
    const ids = createSearchService(slice.reader, analyzer, { b: { ...defaultRankingConfig.b, title: titleB } })
      .search({ q: '海洋经济', size: 10, facets: false, snippets: false })
      .hits.map((hit) => hit.id);
    return { short: SHORT.map((id) => ids.indexOf(id)), long: ids.indexOf(LONG) };
  };
  const { short, long } = ranks(defaultRankingConfig.b.title);
  for (const rank of short) expect(rank).toBeGreaterThanOrEqual(0);
  expect(long).toBeGreaterThan(Math.max(...short));
  // With round 2's slight normalisation (b 0.3) the long title came first.
  const before = ranks(0.3);
  expect(before.long).toBeGreaterThanOrEqual(0);
  expect(before.long).toBeLessThan(Math.min(...before.short));
});
