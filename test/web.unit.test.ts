/** The page's pure modules in Node: URL state, dates in the articles' zone, category paths, term marking. */
import { describe, expect, it } from 'vitest';
import { localDateTime, displayDate, today } from '../src/web/dates.js';
import { termRanges } from '../src/web/dom.js';
import { buildCategoryTree } from '../src/web/facets.js';
import { daysBefore, readState, stateQuery, toggled, toRequest } from '../src/web/url-state.js';

describe('dates', () => {
  it('shows a date with an offset as written and a UTC instant in China time, never the machine zone', () => {
    expect(localDateTime('2022-03-01T07:30:00+08:00')).toEqual({ date: '2022-03-01', time: '07:30' });
    expect(localDateTime('2022-03-01T23:30:00-05:00')).toEqual({ date: '2022-03-01', time: '23:30' });
    expect(localDateTime('2021-05-18T16:15:17.000Z')).toEqual({ date: '2021-05-19', time: '00:15' });
    expect(displayDate('2021-12-31T16:00:00.000Z')).toBe('2022-01-01');
    expect(displayDate('not a date')).toBe('');
    expect(displayDate(null)).toBe('');
    expect(today(Date.parse('2026-12-03T17:00:00Z'))).toBe('2026-12-04');
  });
});

describe('URL state', () => {
  it('reads repeated filters, drops bad page and sort values, and writes back only what differs from the defaults', () => {
    const state = readState('?q=%E6%89%8B%E6%9C%BA&category=a&category=b&category=a&page=abc&sort=newest&within=month');
    expect(state).toMatchObject({ q: '手机', category: ['a', 'b'], page: 1, sort: null, within: 'month' });
    expect(stateQuery(state)).toBe('?q=%E6%89%8B%E6%9C%BA&category=a&category=b&within=month');
    expect(stateQuery(toggled(state, 'category', 'a'))).toBe('?q=%E6%89%8B%E6%9C%BA&category=b&within=month');
    expect(stateQuery(readState(''))).toBe('');
  });

  it('turns a relative window into a from date counted back from today', () => {
    expect(daysBefore('2021-03-01', 7)).toBe('2021-02-22');
    const state = readState('?q=x&within=week&page=3&tag=t');
    expect(toRequest(state, 10, '2021-03-01')).toEqual({ q: 'x', size: 10, page: 3, tag: ['t'], from: '2021-02-22' });
  });
});

describe('category paths', () => {
  it('builds a tree from › paths; a level known only inside longer paths has no count', () => {
    const tree = buildCategoryTree([
      { value: '新媒体 › 36kr › 快讯', count: 5 },
      { value: '新媒体 › 36kr', count: 7 },
      { value: '新媒体 › 机核网', count: 2 },
      { value: '编程', count: 1 },
    ]);
    expect(tree.map((n) => [n.name, n.count])).toEqual([['新媒体', undefined], ['编程', 1]]);
    expect(tree[0]!.children.map((n) => [n.path, n.count])).toEqual([['新媒体 › 36kr', 7], ['新媒体 › 机核网', 2]]);
    expect(tree[0]!.children[0]!.children.map((n) => n.path)).toEqual(['新媒体 › 36kr › 快讯']);
  });
});

describe('marking terms', () => {
  it('finds normalised terms in full-width and mixed-case text, merging touching ranges', () => {
    expect(termRanges('学习 Ｋｕｂｅｒｎｅｔｅｓ 和 Docker', ['kubernetes', 'docker'])).toEqual([[3, 13], [16, 22]]);
    expect(termRanges('新基础设施建设', ['新', '基础设施'])).toEqual([[0, 5]]);
    expect(termRanges('没有', ['有无'])).toEqual([]);
  });
});
