import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, type Article, type IngestError } from '../src/ingest/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const archive = path.resolve(repoRoot, '../shared/corpus/scale/scale-corpus.tar.gz');

/** Articles kept whole for the spot checks; the rest are only counted (27,855 texts are ~130 MB). */
const SPOT_CHECKS = new Set([
  'DuckBurnIncense-xin-wen-lian-bo/news/20250331/01.md',
  'LawRefBook-Laws/DLC/上海地方法规/地方性法规/上海/上海市中小学校外实践教育促进规定(2024-08-22).md',
  'doocs-leetcode/lcof/面试题15. 二进制中1的个数/README.md',
  'ruanyf-weekly/docs/issue-206.md',
  'ruanyf-weekly/docs/issue-302.md',
]);

describe('scale corpus (../shared/corpus/scale/scale-corpus.tar.gz)', () => {
  let tmp: string;
  const errors: IngestError[] = [];
  const warnings: string[] = [];
  const perSource = new Map<string, number>();
  const spot = new Map<string, Article>();
  const withMarkup: string[] = [];
  let articles = 0;
  let undated = 0;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'zhsearch-scale-'));
    execFileSync('tar', ['-xzf', archive, '-C', tmp]);
    for await (const result of loadCorpus(tmp)) {
      if (!result.ok) {
        // The scale corpus has no hidden or unpublished files: any would be a surprise worth failing on.
        errors.push('error' in result ? result.error : result.notPublished);
        continue;
      }
      const article = result.article;
      articles += 1;
      const source = article.id.slice(0, article.id.indexOf('/'));
      perSource.set(source, (perSource.get(source) ?? 0) + 1);
      warnings.push(...article.warnings.map((w) => `${article.id}: ${w}`));
      if (article.date === null) undated += 1;
      // Markdown syntax or HTML tags left in prose would mean a body took the wrong path.
      if (/<\/?(?:p|div|span|strong|br)[\s/>]|\]\(https?:/.test(article.text)) {
        withMarkup.push(article.id);
      }
      if (SPOT_CHECKS.has(article.id)) spot.set(article.id, article);
    }
  });

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('loads all 27,855 posts with no errors and no warnings', () => {
    expect(errors).toEqual([]);
    expect(articles).toBe(27_855);
    expect(warnings).toEqual([]);
    expect(undated).toBe(0);
    expect(Object.fromEntries(perSource)).toEqual({
      'DuckBurnIncense-xin-wen-lian-bo': 19_541,
      'LawRefBook-Laws': 3_470,
      'doocs-leetcode': 4_426,
      'ruanyf-weekly': 418,
    });
  });

  it('turns Markdown and embedded HTML into plain text', () => {
    expect(withMarkup).toEqual([
      // An image line inside an HTML block stays literal, as CommonMark says.
      'doocs-leetcode/lcci/16.20.T9/README.md',
      // A problem about parsing tags, with tags in its example: text.
      'doocs-leetcode/solution/0500-0599/0591.Tag Validator/README.md',
      // Both issues write about HTML elements in code spans (`<search>`, `<span>`): text, not markup.
      'ruanyf-weekly/docs/issue-252.md',
      'ruanyf-weekly/docs/issue-302.md',
    ]);
    expect(spot.get('ruanyf-weekly/docs/issue-302.md')!.text).toContain(
      '<span>是一个表示行内文本的 HTML 网页元素，本文收集了许多案例，你可以用它做各种各样的事情。',
    );
  });

  it('新闻联播: the HTML paragraphs and the Markdown link both become text', () => {
    const article = spot.get('DuckBurnIncense-xin-wen-lian-bo/news/20250331/01.md')!;
    expect(article).toMatchObject({
      title: '中共中央政治局召开会议 审议《生态环境保护督察工作条例》《关于二十届中央第四轮巡视情况的综合报告》 中共中央总书记习近平主持会议',
      date: '2025-03-31T19:00:00+08:00',
      author: '央视网',
      categories: ['新闻联播 › 2025'],
      tags: [],
    });
    expect(article.summary).toBe(
      '央视网消息（新闻联播）：中共中央政治局3月31日召开会议，审议《生态环境保护督察工作条例》《关于二十届中央第四轮巡视情况的综合报告》。中共中央总书记习近平主持会议。',
    );
    expect(article.text.endsWith('\n\n会议还研究了其他事项。\n\n查看原文')).toBe(true);
  });

  it('法律法规: HTML comments are dropped, paragraphs kept', () => {
    const article = spot.get('LawRefBook-Laws/DLC/上海地方法规/地方性法规/上海/上海市中小学校外实践教育促进规定(2024-08-22).md')!;
    expect(article).toMatchObject({
      title: '上海市中小学校外实践教育促进规定',
      date: '2024-08-22T00:00:00+08:00',
      author: null,
      categories: ['法律法规库 › 上海地方法规 › 地方性法规 › 上海'],
    });
    expect(article.summary).toBe('2024年8月22日 上海市第十六届人民代表大会常务委员会第十五次会议通过');
    expect(article.text).not.toContain('INFO END');
    expect(article.text).toMatch(/\n\n第一条 为了促进本市中小学校外实践教育高质量发展，/);
  });

  it('LeetCode: headings from Markdown, code blocks as text', () => {
    const article = spot.get('doocs-leetcode/lcof/面试题15. 二进制中1的个数/README.md')!;
    expect(article.title).toBe('面试题 15. 二进制中 1 的个数');
    expect(article.headings.slice(0, 4)).toEqual(['题目描述', '解法', '方法一：位运算', 'Python3']);
    expect(article.text).toContain('class Solution:\n    def hammingWeight(self, n: int) -> int:\n');
    expect(article.text).not.toContain('tabs:start');
  });

  it('科技爱好者周刊: Markdown links, emphasis and images leave their text only', () => {
    const article = spot.get('ruanyf-weekly/docs/issue-206.md')!;
    expect(article).toMatchObject({
      title: '科技爱好者周刊（第 206 期）：如何走出失望和怀疑',
      date: '2022-05-13T08:53:35+08:00',
      author: '阮一峰',
      categories: ['科技爱好者周刊'],
    });
    expect(article.headings.slice(0, 2)).toEqual(['封面图', '本周话题：如何走出失望和怀疑']);
    expect(article.text).toContain('本杂志开源（GitHub: ruanyf/weekly），欢迎提交 issue，投稿或推荐科技内容。');
    expect(article.text).toContain('都必须要求自己做到三点：吃得下，睡得着，笑得出来。');
  });
});
