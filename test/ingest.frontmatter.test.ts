/**
 * Front matter of simple fields is read without the YAML parser (simpleFields); what it reads must be what the
 * parser reads, on every header of the real corpus and on the cases where YAML reads text otherwise.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { simpleFields } from '../src/ingest/frontMatter.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const articlesDir = path.resolve(repoRoot, '../shared/corpus/articles');

/** What the YAML parser reads, as splitFrontMatter keeps it (an empty header is no fields). */
function parsed(yaml: string): unknown {
  return parseDocument(yaml).toJS() ?? {};
}

function headers(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(md|markdown)$/.test(entry.name)) continue;
    const text = readFileSync(path.join(entry.parentPath, entry.name), 'utf8').replace(/\r\n?/g, '\n');
    const header = /^(?:[ \t]*\n)*---[ \t]*\n([\s\S]*?\n)(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text);
    if (header) found.push(header[1]);
  }
  return found;
}

describe('simple front matter read without the YAML parser', () => {
  it('reads every header of the real corpus that it reads at all as the parser does', () => {
    const all = headers(articlesDir);
    expect(all.length).toBeGreaterThan(300);
    let read = 0;
    for (const yaml of all) {
      const fields = simpleFields(yaml);
      if (fields === undefined) continue;
      read++;
      expect(fields, yaml).toStrictEqual(parsed(yaml));
    }
    // The corpus's headers are mostly quoted titles, dates, flags and lists: most need no parser.
    expect(read).toBeGreaterThan(all.length / 2);
  });

  it('reads text and lists of text as the parser does, with spaces, colons, hashes and quotes where YAML keeps them', () => {
    const cases = [
      'title: "中共中央政治局召开会议 审议《条例》"\ndate: 2025-03-31 19:00:00\ncategories:\n  - "新闻联播"\n  - "2025"\ntags: []\n',
      'title: a\u3000\nsub: \u00a0x\nk: a  b  \n',
      'tags:\n- a\n- b\nc: C#\nd: a:b\ne: http://x.y/z#f\nf: a, b\ng: yes\nh: 1_000\n',
      'k:\n\nnext: "a: b # c"\nempty: ""\nquoted: "null"\nnumber: "1"\n',
      "title: '(更新) Twitter 在全球遭遇宕机'\ncategories: \n - 新媒体\n - IT 之家\ncomments: false\nshown: True\ndate: Thu, 14 Jul 2022 12:34:31 GMT\n",
    ];
    for (const yaml of cases) {
      expect(simpleFields(yaml), yaml).toBeDefined();
      expect(simpleFields(yaml), yaml).toStrictEqual(parsed(yaml));
    }
  });

  it('leaves to the parser what YAML reads as no text, as more than one line, or with escapes', () => {
    const cases = [
      'k: 1',
      'k: 1.5',
      'k: .5',
      'k: 1e3',
      'k: 0x1F',
      'k: 0o17',
      'k: .inf',
      'k: ~',
      'k: null',
      'null: x',
      'k: a #c',
      'k: a: b',
      'k: a\n  b',
      'k: "a\\nb"',
      "k: 'it''s'",
      'True: x',
      'k: [a, b]',
      'k: {a: b}',
      'k: &a x',
      'k: *a',
      'k: !tag x',
      'k: |\n  a',
      'k: a\nk: b',
      '__proto__: x',
      'a.b: c',
      ' k: a',
      'k:\ta',
      'k: 😀',
      'tags:\n- a\n  - b',
      'tags:\n- a: b',
      'tags:\n- 1',
      '# comment\nk: a',
    ];
    for (const yaml of cases) expect(simpleFields(yaml), yaml).toBeUndefined();
  });
});
