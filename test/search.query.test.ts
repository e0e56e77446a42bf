import { describe, expect, it } from 'vitest';
import { parseDateRange, parseQuery, periodEnd, periodStart } from '../src/search/query.js';

const term = (text: string) => ({ kind: 'term', text });
const phrase = (text: string) => ({ kind: 'phrase', text });
const noFilters = { category: [], tag: [], author: [], dates: [] };

describe('parseQuery', () => {
  it('reads plain terms as one group each', () => {
    expect(parseQuery('碳达峰 碳中和')).toEqual({ groups: [{ alternatives: [term('碳达峰')] }, { alternatives: [term('碳中和')] }], excludes: [], filters: noFilters });
  });

  it('reads quoted phrases, also with Chinese quotes', () => {
    expect(parseQuery('"产业 互联网" “新基建”').groups).toEqual([{ alternatives: [phrase('产业 互联网')] }, { alternatives: [phrase('新基建')] }]);
  });

  it('reads exclusions of words and phrases', () => {
    const ast = parseQuery('芯片 -手机 -"苹果 公司"');
    expect(ast.groups).toEqual([{ alternatives: [term('芯片')] }]);
    expect(ast.excludes).toEqual([term('手机'), phrase('苹果 公司')]);
  });

  it('joins alternatives with OR', () => {
    expect(parseQuery('芯片 OR 半导体 OR "集成电路" 产业').groups).toEqual([
      { alternatives: [term('芯片'), term('半导体'), phrase('集成电路')] },
      { alternatives: [term('产业')] },
    ]);
  });

  it('keeps a dangling or lowercase OR as a word', () => {
    expect(parseQuery('OR 芯片').groups).toEqual([{ alternatives: [term('OR')] }, { alternatives: [term('芯片')] }]);
    expect(parseQuery('芯片 OR').groups).toEqual([{ alternatives: [term('芯片')] }, { alternatives: [term('OR')] }]);
    expect(parseQuery('芯片 or 半导体').groups).toHaveLength(3);
  });

  it('reads field filters, quoted values and a full-width colon', () => {
    const ast = parseQuery('category:新媒体 tag:"人工 智能" author：张三 AI');
    expect(ast.filters).toEqual({ category: ['新媒体'], tag: ['人工 智能'], author: ['张三'], dates: [] });
    expect(ast.groups).toEqual([{ alternatives: [term('AI')] }]);
  });

  it('reads date ranges, open ranges and single periods', () => {
    expect(parseQuery('date:2021-01..2021-12').filters.dates).toEqual([{ from: '2021-01', to: '2021-12' }]);
    expect(parseQuery('date:2021..').filters.dates).toEqual([{ from: '2021' }]);
    expect(parseQuery('date:..2021-06-30').filters.dates).toEqual([{ to: '2021-06-30' }]);
    expect(parseQuery('date:2022-03').filters.dates).toEqual([{ from: '2022-03', to: '2022-03' }]);
  });

  it('keeps an invalid date filter or unknown field as text', () => {
    expect(parseQuery('date:昨天').groups).toEqual([{ alternatives: [term('date:昨天')] }]);
    expect(parseQuery('date:2021-13').groups).toEqual([{ alternatives: [term('date:2021-13')] }]);
    expect(parseQuery('title:深蓝').groups).toEqual([{ alternatives: [term('title:深蓝')] }]);
    expect(parseQuery('category:').groups).toEqual([{ alternatives: [term('category:')] }]);
  });

  it('treats an unbalanced quote as text', () => {
    expect(parseQuery('"新基础设施 建设').groups).toEqual([{ alternatives: [term('新基础设施')] }, { alternatives: [term('建设')] }]);
    expect(parseQuery('建设 -"新基').groups).toEqual([{ alternatives: [term('建设')] }, { alternatives: [term('新基')] }]);
    expect(parseQuery('a"b').groups).toEqual([{ alternatives: [term('a"b')] }]);
  });

  it('answers empty, blank and filter-only queries with no groups', () => {
    for (const q of ['', '   ', '""', 'category:游戏', 'date:2021..']) expect(parseQuery(q).groups).toEqual([]);
    expect(parseQuery('-').groups).toEqual([{ alternatives: [term('-')] }]);
    expect(parseQuery('category:游戏').filters.category).toEqual(['游戏']);
  });

  it('never throws on odd input', () => {
    for (const q of ['"', '-"', 'OR OR', '((', 'date:..', 'tag:"', '\u0000', '😀"😀', 'a -', '- -x']) expect(() => parseQuery(q)).not.toThrow();
    expect(parseQuery('date:..').groups).toEqual([{ alternatives: [term('date:..')] }]);
    expect(parseQuery('- -x')).toMatchObject({ groups: [{ alternatives: [term('-')] }], excludes: [term('x')] });
  });
});

describe('date periods', () => {
  it('bounds a period inclusively in UTC', () => {
    expect(new Date(periodStart('2021')!).toISOString()).toBe('2021-01-01T00:00:00.000Z');
    expect(new Date(periodEnd('2021')!).toISOString()).toBe('2021-12-31T23:59:59.999Z');
    expect(new Date(periodEnd('2024-02')!).toISOString()).toBe('2024-02-29T23:59:59.999Z');
    expect(new Date(periodEnd('2021-09-15')!).toISOString()).toBe('2021-09-15T23:59:59.999Z');
    expect(periodStart('2021-02-30')).toBeNull();
    expect(parseDateRange('2021-01..x')).toBeNull();
  });
});
