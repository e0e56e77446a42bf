/**
 * The opening of a one-topic query on a slice of the scale corpus read from its archive at test time (新闻联播 of five
 * ten-day spans, 701 posts): 稳就业, a word the segmenter cuts in two (稳 就业), named in a report's title only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { analyzerForIndex, createSearchService } from '../src/search/index.js';
import { openedScaleSlice } from './fixtures/cli/scale-slice.js';

const NEWS = 'DuckBurnIncense-xin-wen-lian-bo/news';
const SLICES = ['2023011', '2023030', '2023041', '2025042', '2025052'].map((days) => `${NEWS}/${days}*`);
/** 稳就业促发展 春风行动一季度发布岗位3800万个: the word in its title, not in its body (graded 3 for 稳就业 in ../shared/eval). */
const TITLED = `${NEWS}/20230412/07.md`;
/** Reports naming 稳就业 in their first sentences, not in their titles. */
const OPENING_ONLY = [`${NEWS}/20230302/07.md`, `${NEWS}/20250529/05.md`, `${NEWS}/20230110/07.md`];

const slice = openedScaleSlice('opening', SLICES);

it('counts a word the segmenter cuts (稳 就业) as in the opening of a post whose title names it', () => {
  expect(slice.reader.docCount).toBe(701);
  const analyzer = analyzerForIndex(slice.reader.manifest.analyzer);
  expect(analyzer.analyzeQuery('稳就业').map((token) => token.term)).toEqual(['稳', '就业']);
  const text = (id: string) => readFileSync(path.join(slice.corpus, id), 'utf8');
  const [, frontMatter, body] = text(TITLED).split('---');
  expect(frontMatter).toContain('稳就业');
  expect(body).not.toContain('稳就业');
  for (const id of OPENING_ONLY) expect(/^title:.*$/m.exec(text(id))![0]).not.toContain('稳就业');

  const ranks = (config = {}) => {
    const ids = createSearchService(slice.reader, analyzer, config)
      .search({ q: '稳就业', size: 10, facets: false, snippets: false })
      .hits.map((hit) => hit.id);
    return { titled: ids.indexOf(TITLED), openingOnly: OPENING_ONLY.map((id) => ids.indexOf(id)) };
  };
  // The title names the word as the report's opening does (its pieces side by side there): it keeps the place it has
  // without the opening's weight, before the reports naming the word only in their first sentences.
  for (const { titled, openingOnly } of [ranks(), ranks({ openingWeight: 0 })]) {
    expect(titled).toBeGreaterThanOrEqual(0);
    for (const rank of openingOnly) expect(rank).toBeGreaterThan(titled);
  }
});
