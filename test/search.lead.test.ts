/**
 * The lead of a post on the weekly issues of the scale corpus (418 posts, read from its archive at test time): an
 * issue opening with an essay on a JavaScript framework before one with a link on JavaScript frameworks further down.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { analyzerForIndex, createSearchService } from '../src/search/index.js';
import { openedScaleSlice } from './fixtures/cli/scale-slice.js';

const OPENING = 'ruanyf-weekly/docs/issue-107.md';
const FURTHER_DOWN = 'ruanyf-weekly/docs/issue-300.md';

const slice = openedScaleSlice('lead', ['ruanyf-weekly/docs/*']);

it('ranks an issue whose opening essay is on a JavaScript framework before one naming JavaScript frameworks further down', () => {
  expect(slice.reader.docCount).toBe(418);
  const analyzer = analyzerForIndex(slice.reader.manifest.analyzer);
  const ranks = (config = {}) => {
    const ids = createSearchService(slice.reader, analyzer, config)
      .search({ q: 'JavaScript 框架', size: 20, facets: false, snippets: false })
      .hits.map((hit) => hit.id);
    return [ids.indexOf(OPENING), ids.indexOf(FURTHER_DOWN)];
  };
  // Where each issue first names a JavaScript framework: in its first quarter, past its first third.
  const firstAt = (id: string) => {
    const text = readFileSync(path.join(slice.corpus, id), 'utf8');
    return /JavaScript (前端)?框架/.exec(text)!.index / text.length;
  };
  expect(firstAt(OPENING)).toBeLessThan(0.25);
  expect(firstAt(FURTHER_DOWN)).toBeGreaterThan(0.33);
  const [opening, furtherDown] = ranks();
  expect(opening).toBeGreaterThanOrEqual(0);
  expect(opening).toBeLessThan(furtherDown);
  // Without the lead's weight the issue with the link further down comes first.
  const [openingNoLead, furtherDownNoLead] = ranks({ leadWeight: 0 });
  expect(furtherDownNoLead).toBeGreaterThanOrEqual(0);
  expect(furtherDownNoLead).toBeLessThan(openingNoLead);
});
