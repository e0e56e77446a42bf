import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  analyzeArticle,
  IndexBuilder,
  IndexLoadError,
  openIndex,
  openIndexWith,
  PackedTerms,
  readCurrentGeneration,
  readIndexCatalog,
  writeIndex,
  type AnalyzedArticle,
  type IndexReader,
} from '../src/index/index.js';
import { ANALYZED_FIELDS, ForwardSpill, forwardField, readShared } from '../src/index/forward.js';
import { FIELD_NAMES } from '../src/index/memory-index.js';
import { memorySource } from '../src/index/byte-source.js';
import { decodeCatalog, encodeCatalog, encodeText, textBlocks } from '../src/index/stored-codec.js';
import { NumberRows } from '../src/index/number-rows.js';
import { NumberSpill, WindowedReads } from '../src/index/text-spill.js';
import { fixtureArticles } from './fixtures/index/articles.js';
import { flipMiddleByte } from './fixtures/index/corrupt.js';
import { dumpIndex } from './fixtures/index/dump.js';
import { stubAnalyzer } from './fixtures/index/stub-analyzer.js';

const analyzer = stubAnalyzer();
const analyzed = fixtureArticles.map((article) => analyzeArticle(analyzer, article));

function buildAll(): IndexReader {
  const builder = new IndexBuilder(analyzer.identity);
  for (const doc of analyzed) builder.add(doc);
  return builder.build();
}

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zhsearch-index-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('analyzeArticle', () => {
  it('groups positions by term, separates values of multi-valued fields and drops ingest-only fields', () => {
    const { article, fields } = analyzed[0];
    expect(article).not.toHaveProperty('frontMatter');
    expect(article).not.toHaveProperty('warnings');
    expect(article.title).toBe('新基础设施 and the cloud');
    expect(fields.title).toEqual({
      terms: ['新', '基', '础', '设', '施', 'and', 'cloud'],
      ids: expect.any(Int32Array),
      freqs: Uint32Array.from([1, 1, 1, 1, 1, 1, 1]),
      positions: Uint32Array.from([0, 1, 2, 3, 4, 5, 7]),
      length: 8,
    });
    // "Data centres" | "Networks of the future": the second heading starts 16 positions after the first ends.
    expect(fields.headings).toEqual({
      terms: ['data', 'centres', 'networks', 'future'],
      ids: expect.any(Int32Array),
      freqs: Uint32Array.from([1, 1, 1, 1]),
      positions: Uint32Array.from([0, 1, 18, 21]),
      length: 6,
    });
    // categories then tags: 科技 | cloud | 基建
    expect(fields.tags).toEqual({
      terms: ['科', '技', 'cloud', '基', '建'],
      ids: expect.any(Int32Array),
      freqs: Uint32Array.from([1, 1, 1, 1, 1]),
      positions: Uint32Array.from([0, 1, 18, 35, 36]),
      length: 5,
    });
    expect(fields.body.terms.slice(0, 3)).toEqual(['data', 'centres', 'cloud']);
    expect([...fields.body.positions.subarray(0, 7)]).toEqual([0, 5, 13, 1, 6, 14, 2]);
    expect(fields.body.length).toBe(26);
  });

  it('survives structured cloning (worker threads post it)', () => {
    expect(structuredClone(analyzed[0])).toEqual(analyzed[0]);
  });
});

describe('IndexBuilder', () => {
  it('numbers documents by id and inverts postings with tfs and positions', () => {
    const reader = buildAll();
    expect(reader.docCount).toBe(5);
    expect([...reader.documents()].map((d) => d.id)).toEqual([
      'misc/cloud-notes.md',
      'misc/empty.md',
      'news/flash.md',
      'tech/infra.md',
      'tech/rust.md',
    ]);
    const cloud = reader.postings('body', 'cloud')!;
    expect([...cloud.docs]).toEqual([0, 3]);
    expect([...cloud.tfs]).toEqual([4, 2]);
    expect([...cloud.positions.subarray(cloud.posStart[0], cloud.posStart[1])]).toEqual([2, 11, 12, 13]);
    expect([...cloud.positions.subarray(cloud.posStart[1], cloud.posStart[2])]).toEqual([2, 25]);
    expect(reader.docFreq('body', 'cloud')).toBe(2);
    expect(reader.docFreq('tags', 'cloud')).toBe(2);
    expect(reader.docFreq('body', 'absent')).toBe(0);
    expect(reader.postings('body', 'absent')).toBeUndefined();
    expect(reader.postings('body', 'the')).toBeUndefined(); // stop word
    expect(reader.fieldLength('body', 3)).toBe(26);
    expect(reader.fieldLength('body', 1)).toBe(0);
    expect(reader.fieldLength('body', 4)).toBe(16);
    expect(reader.averageFieldLength('title')).toBe((4 + 3 + 6 + 8 + 4) / 5);
    expect([...reader.terms('headings')]).toEqual(['centres', 'costs', 'data', 'future', 'networks']);
    expect(reader.docNumber('tech/rust.md')).toBe(4);
    expect(reader.docNumber('nope.md')).toBeUndefined();
    expect(reader.dateMs(4)).toBe(Date.parse('2022-01-03T08:30:00.000Z'));
    expect(reader.dateMs(0)).toBeNaN();
    expect(reader.manifest.sourceBytes).toBe(fixtureArticles.reduce((sum, a) => sum + a.bytes, 0));
  });

  it('stores every display field, keywords included, and the text exactly (emoji too)', () => {
    const reader = buildAll();
    const { frontMatter: _f, warnings: _w, ...expected } = fixtureArticles[1];
    const stored = reader.stored(reader.docNumber('tech/rust.md')!);
    expect({ ...stored, keywords: [] }).toEqual({ ...expected, keywords: [] });
    expect(stored.text).toContain('😀 emoji');
  });

  it('keeps texts and stored fields in scratch files until they are written, giving back every code unit (a lone surrogate too)', () => {
    const builder = new IndexBuilder(analyzer.identity, undefined, undefined, { spillTextsIn: dir, keptTextBytes: 0 });
    const odd = { ...fixtureArticles[1], title: `${fixtureArticles[1].title} \udc00`, text: `${fixtureArticles[1].text}\n半个字符 \ud83d 之后` };
    for (const article of [fixtureArticles[0], odd]) builder.add(analyzeArticle(analyzer, article));
    const reader = builder.build();
    for (const article of [fixtureArticles[0], odd]) {
      const { frontMatter: _f, warnings: _w, ...expected } = article;
      expect({ ...reader.stored(reader.docNumber(article.id)!), keywords: [] }).toEqual({ ...expected, keywords: [] });
    }
    builder.clear();
  });

  it('keeps analysed fields in a scratch file beyond the kept bytes, read back equal in any order, before and after reordering', () => {
    const terms = new PackedTerms();
    // More than the file's write batch and read-ahead (1 MB): a read ahead must stop where the written bytes end.
    const analysed = fixtureArticles.map((article) => analyzeArticle(analyzer, article));
    const packed = Array.from({ length: 5000 }, (_, i) => terms.pack(analysed[i % analysed.length]).forward);
    // Room for the first buffer only (packForward gives each its own ArrayBuffer, no larger than it needs).
    const spill = new ForwardSpill(dir, packed[0].buffer.byteLength);
    const handles = packed.map((buffer) => spill.keep(buffer));
    // The first as it was given (kept), every later one read back from the file.
    expect(spill.read(handles[0])).toBe(packed[0]);
    expect(spill.read(handles[1])).not.toBe(packed[1]);
    const places = handles.slice(1);
    const fieldsOf = (buffer: Uint32Array) => ANALYZED_FIELDS.map((_, k) => forwardField(buffer, k)).map(({ termIds, freqs, positions, length }) => ({ termIds: [...termIds], freqs: [...freqs], positions: [...positions], length }));
    const expectRead = (order: number[]): void => {
      for (const i of order) expect(fieldsOf(spill.read(places[i])), `document ${i + 1}`).toEqual(fieldsOf(packed[i + 1]));
    };
    // In the order written (reads ahead, not past what is written), then backwards (one document at a time).
    expectRead(places.map((_, i) => i));
    expectRead(places.map((_, i) => places.length - 1 - i));
    // Every window of the file, over 1 MB apart, read into the same buffer: no dead 1 MB buffer per window to collect.
    const lastWindow = spill.read(places[places.length - 1]).buffer;
    expect(spill.read(places[0]).buffer).toBe(lastWindow);
    spill.reorder([...handles].reverse());
    expectRead(places.map((_, i) => places.length - 1 - i));
    expectRead([1, 0, 2]);
    // As another thread reads them (readShared over the file's descriptor), kept and spilled alike, in any order.
    const forwards = spill.shared(handles);
    // Rewritten in the reordered order: the last document first in the file.
    expect(forwards.at[packed.length - 1]).toBe(0);
    expect(forwards.at[1]).toBeGreaterThan(1 << 20);
    const shared = readShared(forwards);
    expect(shared.count).toBe(packed.length);
    for (const i of [0, 1, packed.length - 1, 2, 1]) expect(fieldsOf(shared.at(i)), `document ${i}`).toEqual(fieldsOf(packed[i]));
    spill.close();
    // Its descriptor may be another file's once closed.
    expect(() => spill.read(places[0])).toThrow('scratch file read after it was closed');
  });

  it('reads a file through one reused window buffer, and a read larger than a window into a buffer of its own', async () => {
    const file = path.join(dir, 'windows.bin');
    const bytes = Uint8Array.from({ length: 3 << 20 }, (_, i) => (i * 7) % 251);
    await fs.writeFile(file, bytes);
    const handle = await fs.open(file, 'r');
    try {
      const reads = new WindowedReads();
      const at = (from: number, length: number) => reads.read(handle.fd, from, length, bytes.length);
      const first = at(10, 100);
      expect([...first]).toEqual([...bytes.subarray(10, 110)]);
      // (Buffers compared by identity as booleans: a failed toBe would diff megabytes.)
      // Past the first window: the same buffer again.
      expect(at(2 << 20, 50).buffer === first.buffer).toBe(true);
      // One item of 2 MB (a huge post): its own buffer, which the window buffer does not grow to keep.
      const huge = at(1, 2 << 20);
      expect(huge.buffer === first.buffer).toBe(false);
      expect(huge.byteLength).toBe(2 << 20);
      expect(huge[(2 << 20) - 1]).toBe(bytes[2 << 20]);
      // A read past it: back in the one window buffer, still a window's size.
      const after = at(5 << 19, 10);
      expect(after.buffer === first.buffer).toBe(true);
      expect(after.buffer.byteLength).toBe(1 << 20);
      expect([...after]).toEqual([...bytes.subarray(5 << 19, (5 << 19) + 10)]);
    } finally {
      await handle.close();
    }
  });

  it('keeps numbers beyond the kept bytes in a scratch file in chunks, read back equal in order, out of order and as ranges', async () => {
    // One chunk (256 KB) kept, then five more (over the file's 1 MB write batch and read-ahead) and part of one.
    const count = 6 * 65536 + 1000;
    const value = (i: number): number => (Math.imul(i, 2654435761) ^ i) >>> 0;
    const spill = new NumberSpill(dir, 256 << 10);
    expect(spill.append(Uint32Array.from({ length: 1000 }, (_, i) => value(i)))).toBe(0);
    for (let i = 1000; i < count; i++) spill.push(value(i));
    expect(spill.length).toBe(count);
    // Unlinked at once: nothing in the folder even while it is written.
    expect(await fs.readdir(dir)).toEqual([]);
    for (let i = 0; i < count; i++) if (spill.at(i) !== value(i)) expect(spill.at(i), `number ${i}`).toBe(value(i));
    for (const i of [count - 1, 3 * 65536 + 7, 5, 65536, 2 * 65536 - 1, count - 1000]) expect(spill.at(i), `number ${i}`).toBe(value(i));
    // Within a chunk (a view) and across chunks, kept and spilled, and up to the last part-filled one.
    for (const [start, end] of [[10, 20], [65530, 65546], [2 * 65536 - 3, 4 * 65536 + 2], [count - 900, count], [7, 7]]) {
      expect([...spill.range(start, end)], `${start}..${end}`).toEqual(Array.from({ length: end - start }, (_, i) => value(start + i)));
    }
    spill.close();
    expect(spill.length).toBe(0);
  });

  it('keeps rows of numbers across chunks, each found by its number, set and read back in any order', () => {
    // Three chunks of 4,096 rows and part of a fourth; three columns.
    const count = 3 * 4096 + 10;
    const rows = new NumberRows(3);
    for (let i = 0; i < count; i++) {
      expect(rows.add()).toBe(i);
      rows.set(i, 0, i * 1.5);
      rows.set(i, 2, -i);
    }
    expect(rows.size).toBe(count);
    for (const i of [count - 1, 4095, 4096, 0, 2 * 4096 + 1, 7]) expect([rows.get(i, 0), rows.get(i, 1), rows.get(i, 2)], `row ${i}`).toEqual([i * 1.5, 0, -i]);
    rows.set(4096, 1, 2 ** 40 + 0.5);
    expect(rows.get(4096, 1)).toBe(2 ** 40 + 0.5);
    expect(rows.get(4095, 1)).toBe(0);
    expect(rows.get(count, 0)).toBeNaN();
    rows.clear();
    expect(rows.size).toBe(0);
    expect(rows.get(5, 0)).toBeNaN();
    expect(rows.add()).toBe(0);
    expect(rows.get(0, 0)).toBe(0);
  });

  it('writes a block file larger than its write batch through a scratch file, blocks in document order, leaving no file', async () => {
    // Hardly compressible text (a random walk over 3,000 characters), ~1.7 MB of blocks: beyond the 1 MB kept in memory.
    let seed = 7;
    const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const texts = Array.from({ length: 400 }, () => String.fromCodePoint(...Array.from({ length: 1000 + Math.floor(random() * 3000) }, () => 0x4e00 + Math.floor(random() * 3000))));
    const table = {
      count: texts.length,
      ids: texts.map((_, doc) => `doc-${doc}.md`),
      contentHashes: texts.map((_, doc) => `hash-${doc}`),
      text: (doc: number) => texts[doc],
      textBytes: (doc: number) => Buffer.byteLength(texts[doc]),
    };
    const pieces: Uint8Array[] = [];
    await (await encodeText(table, dir)).writeTo(async (piece) => void pieces.push(piece.slice()));
    const file = Buffer.concat(pieces);
    expect(file.length).toBeGreaterThan(3 << 19);
    const blocks = textBlocks(memorySource(file), texts.length);
    for (let b = 0; b < blocks.count; b++) {
      const expected = texts.slice(blocks.firstDoc[b], blocks.firstDoc[b + 1]).join('');
      expect(zlib.brotliDecompressSync(blocks.read(b)).toString('utf8'), `block ${b}`).toBe(expected);
      // A 64 KiB window (RFC 7932: a stream's first bit 0 is WBITS 16), which quality 5 compresses with less work.
      expect(blocks.read(b)[0] & 1, `block ${b}'s window`).toBe(0);
    }
    expect(blocks.firstDoc[blocks.count]).toBe(texts.length);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('indexes each document\'s keywords as the keywords field, in rank order', () => {
    const reader = buildAll();
    for (let doc = 0; doc < reader.docCount; doc++) {
      const keywords = reader.stored(doc).keywords;
      expect(reader.fieldLength('keywords', doc)).toBe(keywords.length);
      keywords.forEach((term, rank) => {
        const list = reader.postings('keywords', term)!;
        const i = list.docs.indexOf(doc);
        expect(i).toBeGreaterThanOrEqual(0);
        expect([...list.positions.subarray(list.posStart[i], list.posStart[i + 1])]).toEqual([rank]);
      });
    }
    expect(reader.stored(0).keywords).toEqual(['cloud', 'costs', 'money', 'notes', 'storage', 'transfer', 'data']);
    expect(reader.stored(1).keywords).toEqual(['title']); // 'only' is a stop word
    expect(reader.stored(2).keywords).toEqual([]); // single Chinese characters are never keywords
  });

  it('gives the same index whatever the insertion order, and add() replaces a document with the same id', () => {
    const builder = new IndexBuilder(analyzer.identity);
    for (const doc of [...analyzed].reverse()) builder.add(doc);
    builder.add(analyzeArticle(analyzer, { ...fixtureArticles[0], title: 'replaced' }));
    builder.add(analyzed[0]);
    expect(builder.has('tech/infra.md')).toBe(true);
    expect(dumpIndex(builder.build())).toEqual(dumpIndex(buildAll()));
  });

  it('takes articles packed by analysis threads (each numbering its terms) as add() takes them, in each thread\'s order', () => {
    const threads = [new PackedTerms(), new PackedTerms()];
    const packed = analyzed.map((doc, i) => structuredClone(threads[i % 2].pack(doc)));
    const builder = new IndexBuilder(analyzer.identity);
    builder.add(analyzed[1]);
    for (const doc of packed) builder.addPacked(doc);
    expect(dumpIndex(builder.build())).toEqual(dumpIndex(buildAll()));

    const late = new IndexBuilder(analyzer.identity);
    expect(() => late.addPacked(packed[2])).toThrow(/out of order/);
  });

  it('numbers by their text the terms of articles another vocabulary numbered (the same numbers name other terms there)', () => {
    // A second analyzer numbers its terms from 0 in its own vocabulary, in another order (the articles reversed).
    const other = [...fixtureArticles].reverse().map((article) => analyzeArticle(stubAnalyzer(), article)).reverse();
    expect(other[0].vocabulary.name).not.toBe(analyzed[0].vocabulary.name);
    const terms = new PackedTerms();
    const builder = new IndexBuilder(analyzer.identity);
    analyzed.forEach((doc, i) => builder.addPacked(terms.pack(i % 2 === 0 ? doc : other[i])));
    expect(dumpIndex(builder.build())).toEqual(dumpIndex(buildAll()));
  });

  it('numbers again the terms of a packed article that never reached the builder, if it was the last packed', () => {
    const terms = new PackedTerms();
    const first = terms.pack(analyzed[0]);
    const lost = terms.pack(analyzed[1]);
    expect(terms.unpack(first)).toBe(false);
    expect(terms.unpack(lost)).toBe(true);
    const builder = new IndexBuilder(analyzer.identity);
    for (const packed of [first, ...analyzed.slice(1).map((doc) => terms.pack(doc))]) builder.addPacked(structuredClone(packed));
    expect(dumpIndex(builder.build())).toEqual(dumpIndex(buildAll()));
  });

  it('numbers again the terms of an article whose packing failed part way (its first fields numbered, a later one bad)', () => {
    const terms = new PackedTerms();
    const bad = { ...analyzed[0], fields: { ...analyzed[0].fields, body: { ...analyzed[0].fields.body, terms: undefined } } } as unknown as AnalyzedArticle;
    expect(() => terms.pack(bad)).toThrow(TypeError);
    const builder = new IndexBuilder(analyzer.identity);
    for (const doc of analyzed) builder.addPacked(structuredClone(terms.pack(doc)));
    expect(dumpIndex(builder.build())).toEqual(dumpIndex(buildAll()));
  });

  it('from(reader) + changes equals a full build of the same documents', async () => {
    const changed = analyzeArticle(analyzer, { ...fixtureArticles[2], text: '市场下跌。cloud 投资者' });
    const added = analyzeArticle(analyzer, {
      ...fixtureArticles[3],
      id: 'misc/new.md',
      title: 'A new cloud note',
      text: 'Brand new text about data.',
    });

    const full = new IndexBuilder(analyzer.identity);
    for (const doc of [analyzed[0], analyzed[1], changed, added, analyzed[4]]) full.add(doc);
    const expected = dumpIndex(full.build());

    await writeIndex(dir, buildAll());
    for (const previous of [buildAll(), await openIndex(dir), await openIndex(dir, { keepPostings: false })]) {
      const incremental = IndexBuilder.from(previous);
      expect(incremental.has('misc/empty.md')).toBe(true);
      expect(incremental.remove('misc/empty.md')).toBe(true);
      expect(incremental.remove('misc/empty.md')).toBe(false);
      incremental.add(changed);
      incremental.add(added);
      expect(dumpIndex(incremental.build())).toEqual(expected);
    }
  });

  it('builds an empty index', async () => {
    const reader = new IndexBuilder(analyzer.identity).build();
    expect(reader.docCount).toBe(0);
    expect(reader.averageFieldLength('body')).toBe(0);
    await writeIndex(dir, reader);
    expect(dumpIndex(await openIndex(dir))).toEqual(dumpIndex(reader));
  });
});

describe('writeIndex / openIndex', () => {
  it('round-trips postings, lengths and stored fields exactly', async () => {
    const built = buildAll();
    const manifest = await writeIndex(dir, built);
    expect(manifest.generation).toBe('000001');
    expect(manifest.docCount).toBe(5);
    expect(manifest.files.map((f) => f.name).sort()).toEqual([
      'abbreviations.json',
      'body.postings',
      'catalog.bin',
      'columns.bin',
      'description.postings',
      'docs.bin',
      'headings.postings',
      'keywords.postings',
      'lengths.bin',
      'new-words.json',
      'tags.postings',
      'text.bin',
      'title.postings',
    ]);
    const loaded = await openIndex(dir, { expectedAnalyzer: analyzer.identity });
    expect(loaded.manifest).toEqual(manifest);
    expect(dumpIndex(loaded)).toEqual(dumpIndex(built));
    const onDisk = JSON.parse(await fs.readFile(path.join(dir, '000001', 'manifest.json'), 'utf8'));
    expect(onDisk).toEqual(manifest);
  });

  it('a reader that keeps no postings decodes them afresh at each call, equal to a keeping reader\'s', async () => {
    await writeIndex(dir, buildAll());
    const [keeping, once] = [await openIndex(dir), await openIndex(dir, { keepPostings: false })];
    expect(dumpIndex(once)).toEqual(dumpIndex(keeping));
    expect(keeping.postings('body', 'cloud')).toBe(keeping.postings('body', 'cloud'));
    expect(once.postings('body', 'cloud')).not.toBe(once.postings('body', 'cloud'));
    expect(once.postings('body', 'cloud')).toEqual(keeping.postings('body', 'cloud'));
  });

  it('a walk of every term (readPostings) reads what postings does, keeping none', async () => {
    const built = buildAll();
    await writeIndex(dir, built);
    const loaded = await openIndex(dir);
    for (const reader of [built, loaded]) {
      for (const field of FIELD_NAMES) for (const term of reader.terms(field)) expect(reader.readPostings(field, term)).toEqual(built.postings(field, term));
    }
    // A loaded index decodes a list afresh for each walk until a search keeps it.
    const term = [...loaded.terms('body')][0]!;
    expect(loaded.readPostings('body', term)).not.toBe(loaded.readPostings('body', term));
    const kept = loaded.postings('body', term);
    expect(loaded.readPostings('body', term)).toBe(kept);
    expect(loaded.readPostings('body', '没有的词')).toBeUndefined();
  });

  it('reads back texts that end and start with the halves of one character, joined in their block as one', async () => {
    const order = buildAll();
    const [first, second] = [order.stored(0), order.stored(1)];
    const builder = new IndexBuilder(analyzer.identity);
    for (const article of fixtureArticles) {
      const text = article.id === first.id ? `${article.text} \ud83d` : article.id === second.id ? `\ude00 ${article.text}` : article.text;
      builder.add(analyzeArticle(analyzer, { ...article, text }));
    }
    const built = builder.build();
    await writeIndex(dir, built);
    const loaded = await openIndex(dir);
    // Documents one after another, then the other way round (each text of the block read on its own).
    const docs = Array.from({ length: loaded.docCount }, (_, doc) => doc);
    for (const doc of [...docs, ...docs.reverse()]) expect(loaded.stored(doc).text, loaded.stored(doc).id).toBe(built.stored(doc).text);
    expect(loaded.stored(0).text.endsWith(' \ud83d')).toBe(true);
    expect(loaded.stored(1).text.startsWith('\ude00 ')).toBe(true);
  });

  it('catalog.bin holds the ids and content hashes joined by NUL, non-ASCII ids as UTF-8, and refuses a NUL in either', async () => {
    const catalog = { ids: ['科技/云计算.md', 'é/a b.md', '', 'x😀y.md'], contentHashes: ['0a1b', '', 'ff', 'c3'] };
    const raw = zlib.brotliDecompressSync(await encodeCatalog(catalog));
    const [ids, hashes] = [Buffer.from(catalog.ids.join('\0')), Buffer.from('0a1b\0\0ff\0c3')];
    expect(raw.subarray(raw.length - hashes.length - ids.length)).toEqual(Buffer.concat([ids, hashes]));
    const decoded = decodeCatalog(raw);
    expect([decoded.ids, decoded.contentHashes]).toEqual([catalog.ids, catalog.contentHashes]);
    expect([...decodeCatalog(zlib.brotliDecompressSync(await encodeCatalog({ ids: [], contentHashes: [] }))).ids]).toEqual([]);
    await expect(encodeCatalog({ ids: ['a\0b'], contentHashes: ['00'] })).rejects.toThrow(/id contains NUL/);
    await expect(encodeCatalog({ ids: ['a'], contentHashes: ['0\0'] })).rejects.toThrow(/content hash contains NUL/);
  });

  it('a load in slices (a server) reads the same index as a load at once, after an incremental rewrite', async () => {
    await writeIndex(dir, buildAll());
    const previous = await openIndex(dir);
    const next = IndexBuilder.from(previous);
    // Quotes, backslashes, brackets and commas inside a stored row.
    const title = '市场下跌 "a\\"],[{\\';
    next.add(analyzeArticle(analyzer, { ...fixtureArticles[2], title, text: '市场下跌。cloud 投资者' }));
    next.add(analyzeArticle(analyzer, { ...fixtureArticles[3], id: 'misc/new.md', title: 'A new cloud note', text: 'Brand new text.' }));
    next.remove('misc/empty.md');
    await writeIndex(dir, next.build());

    const expected = dumpIndex(await openIndex(dir));
    const sliced = await openIndex(dir, { sliceMs: 1 });
    expect(dumpIndex(sliced)).toEqual(expected);
    const storedOf = (reader: IndexReader, id: string) => reader.stored(reader.docNumber(id)!);
    expect(storedOf(sliced, 'tech/rust.md')).toEqual(storedOf(previous, 'tech/rust.md'));
    expect(storedOf(sliced, fixtureArticles[2].id).title).toBe(title);
    expect(storedOf(sliced, 'misc/new.md').title).toBe('A new cloud note');
  });

  it('openIndexWith runs its work on the manifest while the files are read, and loads the same index; its work or a damaged file fails the load', async () => {
    const built = buildAll();
    const manifest = await writeIndex(dir, built);
    const { reader, prepared } = await openIndexWith(dir, (read) => `${read.generation}/${read.docCount}`);
    expect(prepared).toBe('000001/5');
    expect(reader.manifest).toEqual(manifest);
    expect(dumpIndex(reader)).toEqual(dumpIndex(built));

    await expect(openIndexWith(dir, () => { throw new Error('分析器不符'); })).rejects.toThrow('分析器不符');
    // A small file (read in a thread of its own) and a large one (checked in another).
    for (const [generation, name] of [['000001', 'lengths.bin'], ['000002', 'body.postings']]) {
      if (generation !== '000001') await writeIndex(dir, built);
      const file = path.join(dir, generation, name);
      flipMiddleByte(file);
      await expect(openIndexWith(dir, () => 0)).rejects.toThrow(
        new IndexLoadError(`索引文件 ${file} 已损坏（CRC-32 校验值不符）：请运行 zhsearch reindex --full --corpus <文章目录> --index ${dir}`, file),
      );
    }
  });

  it('a loaded reader reads its postings and texts by block after its generation folder is deleted', async () => {
    const built = buildAll();
    await writeIndex(dir, built);
    // Loaded at once and in slices (whose checks run in a worker thread that has ended by the time blocks are read).
    const loaded = [await openIndex(dir), await openIndex(dir, { sliceMs: 1 })];
    await writeIndex(dir, built);
    await writeIndex(dir, built);
    await expect(fs.stat(path.join(dir, '000001'))).rejects.toThrow('ENOENT');
    for (const reader of loaded) expect(dumpIndex(reader)).toEqual(dumpIndex(built));
  });

  it('readIndexCatalog gives the manifest and every document id and content hash, in document order', async () => {
    const builder = IndexBuilder.from(buildAll());
    // An id in Chinese with quotes, commas and brackets, as a file name may have them.
    builder.add(analyzeArticle(analyzer, { ...fixtureArticles[3], id: '随笔/"引号", [括号].md', contentHash: 'ab,"]' }));
    const built = builder.build();
    const manifest = await writeIndex(dir, built);
    const catalog = await readIndexCatalog(dir);
    expect(catalog.manifest).toEqual(manifest);
    expect(catalog.documents).toEqual([...built.documents()].map(({ id, contentHash }) => ({ id, contentHash })));
    expect(catalog.documents[4]).toEqual({ id: 'tech/rust.md', contentHash: fixtureArticles[1].contentHash });
    expect(catalog.documents).toContainEqual({ id: '随笔/"引号", [括号].md', contentHash: 'ab,"]' });
  });

  it('readIndexCatalog verifies every file as openIndex does', async () => {
    await writeIndex(dir, buildAll());
    const file = path.join(dir, '000001', 'body.postings');
    flipMiddleByte(file);
    await expect(readIndexCatalog(dir)).rejects.toThrow(
      new IndexLoadError(`索引文件 ${file} 已损坏（CRC-32 校验值不符）：请运行 zhsearch reindex --full --corpus <文章目录> --index ${dir}`, file),
    );
  });

  it('switches CURRENT to each new generation, keeps the previous one and deletes older ones', async () => {
    expect(readCurrentGeneration(dir)).toBeNull();
    const reader = buildAll();
    await writeIndex(dir, reader);
    await fs.mkdir(path.join(dir, '000007')); // leftover of a killed build
    await writeIndex(dir, reader);
    expect(readCurrentGeneration(dir)).toBe('000008');
    expect((await fs.readdir(dir)).sort()).toEqual(['000001', '000008', 'CURRENT']);
    await writeIndex(dir, reader);
    expect(readCurrentGeneration(dir)).toBe('000009');
    expect((await fs.readdir(dir)).sort()).toEqual(['000008', '000009', 'CURRENT']);
    expect((await openIndex(dir)).manifest.generation).toBe('000009');
  });

  it('says how to build an index when there is none', async () => {
    await expect(openIndex(dir)).rejects.toThrow(new IndexLoadError(`${dir} 中还没有索引：请运行 zhsearch reindex --corpus <文章目录> --index ${dir}`));
  });

  it('names a postings file with a flipped byte', async () => {
    await writeIndex(dir, buildAll());
    const file = path.join(dir, '000001', 'body.postings');
    flipMiddleByte(file);
    const error = await openIndex(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexLoadError);
    expect((error as IndexLoadError).file).toBe(file);
    expect((error as Error).message).toBe(
      `索引文件 ${file} 已损坏（CRC-32 校验值不符）：请运行 zhsearch reindex --full --corpus <文章目录> --index ${dir}`,
    );
  });

  it('names a truncated file', async () => {
    await writeIndex(dir, buildAll());
    const file = path.join(dir, '000001', 'text.bin');
    const { size } = await fs.stat(file);
    await fs.truncate(file, size - 10);
    await expect(openIndex(dir)).rejects.toThrow(
      new IndexLoadError(`索引文件 ${file} 不完整：${size - 10} 字节，应为 ${size} 字节：请运行 zhsearch reindex --full --corpus <文章目录> --index ${dir}`, file),
    );
  });

  /** What reading the first article's text throws once text.bin, loaded and checked, is changed by `change`. */
  async function textReadErrorAfter(change: (file: string) => Promise<void>): Promise<{ file: string; error: unknown }> {
    await writeIndex(dir, buildAll());
    const reader = await openIndex(dir);
    const file = path.join(dir, '000001', 'text.bin');
    await change(file);
    try {
      reader.stored(0).text;
    } catch (error) {
      return { file, error };
    }
    return { file, error: undefined };
  }
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  it('names a file cut short after the load when a request reads it', async () => {
    const { file, error } = await textReadErrorAfter((text) => fs.truncate(text, 0));
    expect(error).toBeInstanceOf(IndexLoadError);
    expect((error as IndexLoadError).file).toBe(file);
    expect((error as Error).message).toMatch(
      new RegExp(`^索引文件 ${escaped(file)} 加载后被改动（文件在第 \\d+ 字节处结束，应有 \\d+ 字节）：请运行 zhsearch reindex --full`),
    );
  });

  it('names a file changed in place after the load when a block no longer decodes', async () => {
    const { file, error } = await textReadErrorAfter(async (text) => fs.writeFile(text, Buffer.alloc((await fs.stat(text)).size, 0xab)));
    expect(error).toBeInstanceOf(IndexLoadError);
    expect((error as IndexLoadError).file).toBe(file);
    expect((error as Error).message).toMatch(
      new RegExp(`^索引文件 ${escaped(file)} 加载后被改动（第 \\d+ 块无法解开：.+）：请运行 zhsearch reindex --full`),
    );
  });

  it('names a missing file and a corrupted manifest', async () => {
    await writeIndex(dir, buildAll());
    const file = path.join(dir, '000001', 'lengths.bin');
    await fs.rm(file);
    await expect(openIndex(dir)).rejects.toThrow(`索引文件 ${file} 无法读取（ENOENT）`);
    const manifest = path.join(dir, '000001', 'manifest.json');
    await fs.writeFile(manifest, '{"formatVersion": 1, "files": [');
    await expect(openIndex(dir)).rejects.toThrow(`索引文件 ${manifest} 已损坏（`);
  });

  it('refuses an index built by another analyzer, saying which one built it', async () => {
    await writeIndex(dir, buildAll());
    const other = stubAnalyzer({ segmenter: 'node-rs', version: '2.0.3' }).identity;
    await expect(openIndex(dir, { expectedAnalyzer: other })).rejects.toThrow(
      new IndexLoadError(
        `索引 ${path.join(dir, '000001')} 由分析器 nodejieba stub-1 (dictionary stubdict, rules stub) 建立，` +
          `当前的分析器是 node-rs 2.0.3 (dictionary stubdict, rules stub)：请运行 zhsearch reindex --full --corpus <文章目录> --index ${dir}`,
        path.join(dir, '000001', 'manifest.json'),
      ),
    );
  });

  it('refuses another format version', async () => {
    await writeIndex(dir, buildAll());
    const file = path.join(dir, '000001', 'manifest.json');
    const manifest = JSON.parse(await fs.readFile(file, 'utf8'));
    await fs.writeFile(file, JSON.stringify({ ...manifest, formatVersion: 99 }));
    await expect(openIndex(dir)).rejects.toThrow(
      `索引 ${path.join(dir, '000001')} 的格式是第 99 版，这个 zhsearch 读取第 10 版：请运行 zhsearch reindex --full --corpus <文章目录> --index ${dir}`,
    );
  });
});
