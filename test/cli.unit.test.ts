import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../src/cli/args.js';
import { UsageError } from '../src/cli/errors.js';
import { displayWidth, renderSearchResult, renderSnippet } from '../src/cli/format.js';
import { planReindex } from '../src/cli/reindex-plan.js';
import { groupSkipReasons } from '../src/cli/reindex-summary.js';
import { reindexSpec, searchSpec } from '../src/cli/specs.js';

describe('planReindex', () => {
  const indexed = [
    { id: 'a.md', contentHash: 'h1' },
    { id: 'b.md', contentHash: 'h2' },
    { id: 'c.md', contentHash: 'h3' },
  ];

  it('keeps unchanged files, re-analyses changed and new ones, drops deleted ones', () => {
    const files = [
      { id: 'a.md', contentHash: 'h1', path: '/x/a.md' },
      { id: 'b.md', contentHash: 'h2-edited', path: '/x/b.md' },
      { id: 'd.md', contentHash: 'h4', path: '/x/d.md' },
    ];
    const plan = planReindex(files, indexed);
    expect(plan.unchanged).toEqual(['a.md']);
    expect(plan.changed).toEqual([files[1]]);
    expect(plan.added).toEqual([files[2]]);
    expect(plan.removed).toEqual(['c.md']);
  });

  it('does nothing when every hash matches', () => {
    const plan = planReindex(indexed, indexed);
    expect(plan).toEqual({ added: [], changed: [], unchanged: ['a.md', 'b.md', 'c.md'], removed: [] });
  });

  it('treats everything as new against an empty index and everything as removed for an empty corpus', () => {
    expect(planReindex(indexed, []).added).toEqual(indexed);
    expect(planReindex([], indexed).removed).toEqual(['a.md', 'b.md', 'c.md']);
  });
});

describe('parseCommandArgs', () => {
  it('reads flags, values in both forms and positionals', () => {
    const parsed = parseCommandArgs(searchSpec, ['新基础设施', '--size', '5', '--sort=date', '--json']);
    expect(parsed).toEqual({ positionals: ['新基础设施'], options: { size: 5, sort: 'date', json: true }, help: false });
  });

  it('treats everything after -- as positional', () => {
    expect(parseCommandArgs(searchSpec, ['--', '-游戏']).positionals).toEqual(['-游戏']);
  });

  it('recognises --help without requiring the positionals', () => {
    expect(parseCommandArgs(searchSpec, ['--help']).help).toBe(true);
  });

  const usageError = (spec: typeof reindexSpec, argv: string[]) => {
    try {
      parseCommandArgs(spec, argv);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as UsageError).message;
    }
    throw new Error('expected a UsageError');
  };

  it('names the option in every error', () => {
    expect(usageError(reindexSpec, ['--fast'])).toBe(
      '未知选项 --fast（reindex 支持：--corpus, --index, --site, --base-url, --drafts, --include-hidden, --full, --segmenter, --workers, --wait, --engine, --json）',
    );
    expect(usageError(reindexSpec, ['--segmenter', 'ik'])).toBe('选项 --segmenter 的值必须是 nodejieba 或 node-rs，收到 "ik"');
    expect(usageError(reindexSpec, ['--workers', '0'])).toBe('选项 --workers 的值必须是 1 到 256 之间的整数，收到 "0"');
    expect(usageError(reindexSpec, ['--workers', '2.5'])).toBe('选项 --workers 的值必须是 1 到 256 之间的整数，收到 "2.5"');
    expect(usageError(reindexSpec, ['--corpus'])).toBe('选项 --corpus 缺少值（DIR）');
    expect(usageError(reindexSpec, ['--full=yes'])).toBe('选项 --full 是开关，不接受值（收到 "yes"）');
    expect(usageError(reindexSpec, ['--full', '--full'])).toBe('选项 --full 重复出现');
    expect(usageError(reindexSpec, ['extra'])).toBe('多余的参数 "extra"');
    expect(usageError(searchSpec, [])).toBe('缺少参数 查询');
    expect(usageError(searchSpec, ['x', '--from', '2021-13'])).toBe(
      '选项 --from 的值必须是日期 YYYY、YYYY-MM 或 YYYY-MM-DD，收到 "2021-13"',
    );
  });
});

describe('groupSkipReasons', () => {
  it('groups reasons that differ only in line numbers and details, most frequent first', () => {
    expect(
      groupSkipReasons([
        { id: 'a', reason: 'invalid YAML front matter at line 3: bad indentation' },
        { id: 'b', reason: 'invalid YAML front matter at line 7: unexpected end' },
        { id: 'c', reason: 'binary file' },
      ]),
    ).toEqual([
      { reason: 'invalid YAML front matter at line N', count: 2 },
      { reason: 'binary file', count: 1 },
    ]);
  });
});

describe('terminal output', () => {
  it('renders <mark> as colour on a terminal and as brackets elsewhere, unescaping HTML', () => {
    const html = '推进<mark>新基础设施</mark>建设 &lt;b&gt; &amp; 5G';
    expect(renderSnippet(html, { color: false })).toBe('推进[新基础设施]建设 <b> & 5G');
    expect(renderSnippet(html, { color: true })).toBe('推进\x1b[1;31m新基础设施\x1b[0m建设 <b> & 5G');
  });

  it('counts CJK characters as two columns', () => {
    expect(displayWidth('--tag 标签')).toBe(10);
  });
});

describe('renderSearchResult', () => {
  it('prints "did you mean" under an empty result', () => {
    const empty = { query: 'Kubernets', total: 0, took_ms: 1, page: 1, size: 10, hits: [], facets: { category: [], tag: [], author: [], year: [] } };
    expect(renderSearchResult({ ...empty, did_you_mean: 'Kubernetes' }, { color: false })).toBe('没有找到与“Kubernets”相关的文章。\n你是不是要找：Kubernetes\n');
    expect(renderSearchResult(empty, { color: false })).toBe('没有找到与“Kubernets”相关的文章。\n');
  });
});
