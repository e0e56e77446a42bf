/**
 * File stamps (src/index/file-stamps.ts): a file whose stat is the one kept beside the generation is taken as
 * unchanged; an edit that puts its size and modification time back, a file changed just before the listing, and a
 * damaged stamps file are not.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeStamps, ListingStamps, readStamps, STAMPS_FILE } from '../src/index/file-stamps.js';
import type { CorpusFile } from '../src/ingest/types.js';

const GENERATION = '000001';
const HASH = 'a'.repeat(64);
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'zhsearch-stamps-'));
  mkdirSync(path.join(dir, 'index', GENERATION), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The file as a listing sees it: its size and its stat's stamp. */
function listed(id: string): CorpusFile {
  const file = path.join(dir, id);
  const { size, mtimeMs, ctimeMs, ino } = statSync(file);
  return { id, path: file, bytes: size, stamp: { mtimeMs, ctimeMs, ino } };
}

/** Writes the stamps of `files` (listed at `listedAt`) beside the generation; its documents are `files` in order. */
function keep(files: CorpusFile[], listedAt: number): void {
  writeFileSync(path.join(dir, 'index', GENERATION, STAMPS_FILE), encodeStamps(files.map((f) => f.id), new ListingStamps(files, listedAt)));
}

const documents = (files: CorpusFile[]) => files.map((f) => ({ id: f.id, contentHash: HASH }));

describe('file stamps', () => {
  it('an unchanged file keeps its content hash; one edited in place with its size and times put back does not', () => {
    writeFileSync(path.join(dir, 'a.md'), '# 标题\n\n正文一');
    writeFileSync(path.join(dir, 'b.md'), '# 标题\n\n正文二');
    // Whole seconds, which utimes puts back exactly.
    const mtime = Math.floor(Date.now() / 1000) - 3600;
    utimesSync(path.join(dir, 'b.md'), mtime, mtime);
    const files = [listed('a.md'), listed('b.md')];
    // Listed well after the files last changed.
    keep(files, Date.now() + 60_000);
    const known = readStamps(path.join(dir, 'index'), GENERATION, documents(files))!;
    expect(files.map((f) => known(f))).toEqual([HASH, HASH]);

    const before = statSync(path.join(dir, 'b.md'));
    // Past the file system clock's tick of the last write (a change within it is what the listing's margin is for).
    while (Date.now() < before.ctimeMs + 50);
    writeFileSync(path.join(dir, 'b.md'), '# 标题\n\n正文三');
    utimesSync(path.join(dir, 'b.md'), mtime, mtime);
    const edited = listed('b.md');
    expect([edited.bytes, edited.stamp!.mtimeMs]).toEqual([before.size, before.mtimeMs]);
    expect(known(edited)).toBeUndefined();
    expect(known(listed('a.md'))).toBe(HASH);
    // A file the generation does not hold, or listed without a stamp.
    writeFileSync(path.join(dir, 'c.md'), '新文章');
    expect(known(listed('c.md'))).toBeUndefined();
    expect(known({ ...listed('a.md'), stamp: undefined })).toBeUndefined();
  });

  it('a file that changed shortly before the listing that stamped it is read again', () => {
    writeFileSync(path.join(dir, 'a.md'), '正文');
    const files = [listed('a.md')];
    keep(files, Date.now());
    expect(readStamps(path.join(dir, 'index'), GENERATION, documents(files))!(listed('a.md'))).toBeUndefined();
  });

  it('no stamps, damaged stamps or stamps of another document count are not used', () => {
    writeFileSync(path.join(dir, 'a.md'), '正文');
    const files = [listed('a.md')];
    const index = path.join(dir, 'index');
    expect(readStamps(index, GENERATION, documents(files))).toBeNull();
    keep(files, Date.now() + 60_000);
    expect(readStamps(index, GENERATION, [...documents(files), { id: 'b.md', contentHash: HASH }])).toBeNull();
    const file = path.join(index, GENERATION, STAMPS_FILE);
    const bytes = readFileSync(file);
    bytes[bytes.length - 3] ^= 0x01;
    writeFileSync(file, bytes);
    expect(readStamps(index, GENERATION, documents(files))).toBeNull();
  });
});
