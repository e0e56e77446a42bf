/**
 * A document's analysed fields in one buffer (its forward form, terms as ids), and how an analysis thread hands it to
 * the builder: packed there with term numbers of the thread's own, so only the terms new to that thread cross as
 * strings. The builder used to look every term of every document up in its dictionary on the main thread (~3 s of
 * main-thread CPU per 7,000 posts) after the strings had been cloned across.
 */
import { threadId } from 'node:worker_threads';
import { packEdges, type PackedEdges } from './boilerplate.js';
import { grown } from '../analysis/index.js';
import { KEPT_BYTES, ScratchFile, SpillPlaces, WindowedReads } from './text-spill.js';
import type { AnalyzedArticle, AnalyzedFieldName } from './types.js';

export const ANALYZED_FIELDS: readonly AnalyzedFieldName[] = ['title', 'headings', 'description', 'tags', 'body'];

/** One field of a document with its terms as dictionary ids; otherwise like AnalyzedField. */
export interface ForwardField {
  termIds: Uint32Array;
  freqs: Uint32Array | Uint16Array;
  positions: Uint32Array | Uint16Array;
  length: number;
}

export const EMPTY_FIELD: ForwardField = {
  termIds: new Uint32Array(0),
  freqs: new Uint32Array(0),
  positions: new Uint32Array(0),
  length: 0,
};

/**
 * Entries of a forward buffer's header: per analysed field its term count, position count and length, then the width
 * in bytes (2 or 4) of its frequencies and positions.
 */
const HEADER = 3 * ANALYZED_FIELDS.length + 1;

/**
 * A document's analysed fields (in ANALYZED_FIELDS order) in one buffer: the HEADER and every field's term ids (the
 * returned view), then every field's frequencies and positions, 16 bits wide when all of them fit (nearly every
 * document: 60 % of its bytes are those numbers). Views of each field's arrays are made when asked for (forwardField):
 * fifteen of them per document, kept, took ~1.3 KB a document, more than most of the data.
 */
export function packForward(fields: readonly ForwardField[]): Uint32Array {
  let terms = 0;
  let numbers = 0;
  let largest = 0;
  for (const field of fields) {
    terms += field.termIds.length;
    numbers += field.termIds.length + field.positions.length;
    for (const value of field.freqs) largest = Math.max(largest, value);
    for (const value of field.positions) largest = Math.max(largest, value);
  }
  const width = largest <= 0xffff ? 2 : 4;
  const buffer = new ArrayBuffer(4 * (HEADER + terms) + width * numbers);
  const head = new Uint32Array(buffer, 0, HEADER + terms);
  const rest = numbersOf(buffer, head.byteLength, numbers, width);
  head[HEADER - 1] = width;
  let at = HEADER;
  let next = 0;
  fields.forEach((field, k) => {
    const count = field.termIds.length;
    head[3 * k] = count;
    head[3 * k + 1] = field.positions.length;
    head[3 * k + 2] = field.length;
    head.set(field.termIds, at);
    rest.set(field.freqs, next);
    rest.set(field.positions, next + count);
    at += count;
    next += count + field.positions.length;
  });
  return head;
}

function numbersOf(buffer: ArrayBufferLike, offset: number, length: number, width: number): Uint32Array | Uint16Array {
  return width === 2 ? new Uint16Array(buffer, offset, length) : new Uint32Array(buffer, offset, length);
}

/** Field `k` (of ANALYZED_FIELDS) of a packed buffer, its arrays views of the buffer. */
export function forwardField(buffer: Uint32Array, k: number): ForwardField {
  let at = HEADER;
  let next = 0;
  for (let before = 0; before < k; before++) {
    at += buffer[3 * before];
    next += buffer[3 * before] + buffer[3 * before + 1];
  }
  const count = buffer[3 * k];
  const length = buffer[3 * k + 2];
  if (count === 0) return length === 0 ? EMPTY_FIELD : { ...EMPTY_FIELD, length };
  const width = buffer[HEADER - 1];
  const start = buffer.byteOffset + buffer.byteLength + width * next;
  return {
    termIds: buffer.subarray(at, at + count),
    freqs: numbersOf(buffer.buffer, start, count, width),
    positions: numbersOf(buffer.buffer, start + width * count, buffer[3 * k + 1], width),
    length,
  };
}

/** A list of documents' data read one document at a time (a build's analysed fields may be in a scratch file). */
export interface DocumentList<T> {
  readonly count: number;
  at(doc: number): T;
}

const TITLE = ANALYZED_FIELDS.indexOf('title');
const BODY = ANALYZED_FIELDS.indexOf('body');

/** The title and body of each document's packed fields: what the corpus-wide counts (pairs, forms, keywords) read. */
export function titleAndBodyOf(forwards: DocumentList<Uint32Array>): DocumentList<ForwardField[]> {
  return {
    count: forwards.count,
    at: (doc) => {
      const forward = forwards.at(doc);
      return [forwardField(forward, TITLE), forwardField(forward, BODY)];
    },
  };
}

/** An array as a DocumentList. */
export function documentList<T>(items: readonly T[]): DocumentList<T> {
  return { count: items.length, at: (doc) => items[doc] };
}

/** A field's arrays copied: views of a spill's read are overwritten by a later read of the same file. */
export function copyField({ termIds, freqs, positions, length }: ForwardField): ForwardField {
  return { termIds: termIds.slice(), freqs: freqs.slice(), positions: positions.slice(), length };
}

/** A packed buffer (packForward's view) copied: one read from a spill may be overwritten by the next. */
export function copyPacked(buffer: Uint32Array): Uint32Array {
  return packedOf(packedBytes(buffer).slice());
}

/** A packed buffer's bytes (the view packForward returns covers only its header and term ids). */
function packedBytes(buffer: Uint32Array): Uint8Array {
  let numbers = 0;
  for (let k = 0; k < ANALYZED_FIELDS.length; k++) numbers += buffer[3 * k] + buffer[3 * k + 1];
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength + buffer[HEADER - 1] * numbers);
}

/** The view packForward returned, of a packed buffer's bytes (at an offset that is a multiple of 4). */
function packedOf(bytes: Uint8Array): Uint32Array {
  const header = new Uint32Array(bytes.buffer, bytes.byteOffset, HEADER);
  return new Uint32Array(bytes.buffer, bytes.byteOffset, HEADER + termCount(header));
}

/** The number of term ids of every field, read from a packed buffer's header. */
function termCount(header: Uint32Array): number {
  let terms = 0;
  for (let k = 0; k < ANALYZED_FIELDS.length; k++) terms += header[3 * k];
  return terms;
}

/**
 * Documents' packed buffers kept until the index is written, each found by the number keep() gave it (SpillPlaces):
 * the first `keptBytes` in memory, the rest in a scratch file (ScratchFile), read back when asked for. They were the
 * largest part of a build's memory that grows with the corpus (~3.3 KB a post, ~270 MB at 3× the scale corpus).
 * Without a folder every buffer stays in memory.
 */
export class ForwardSpill {
  private file: ScratchFile | null;
  private kept = 0;
  private readonly places = new SpillPlaces<Uint32Array>();

  constructor(
    private readonly dir: string | undefined,
    private readonly keptBytes = KEPT_BYTES,
  ) {
    this.file = dir === undefined ? null : new ScratchFile(dir);
  }

  keep(buffer: Uint32Array): number {
    const bytes = packedBytes(buffer);
    if (this.file === null || this.kept + bytes.length <= this.keptBytes) {
      this.kept += bytes.length;
      return this.places.keep(buffer);
    }
    return this.places.put(this.put(this.file, bytes), bytes.length);
  }

  read(handle: number): Uint32Array {
    return this.places.keptItem(handle) ?? packedOf(this.file!.read(this.places.where(handle), this.places.size(handle)));
  }

  /**
   * Rewrites the spilled buffers in the order of `handles`: a build's passes read every document in id order, which is
   * then the file's order, one read per READ_AHEAD bytes.
   */
  reorder(handles: ArrayLike<number>): void {
    if (this.file === null) return;
    const file = new ScratchFile(this.dir!);
    const moved = new Float64Array(handles.length).fill(-1);
    try {
      for (let i = 0; i < handles.length; i++) {
        const handle = handles[i];
        if (this.places.keptItem(handle) === undefined) moved[i] = this.put(file, this.file.read(this.places.where(handle), this.places.size(handle)));
      }
    } catch (error) {
      // A full disk part way: the new file goes, the places still point into the old one.
      file.close();
      throw error;
    }
    for (let i = 0; i < handles.length; i++) if (moved[i] >= 0) this.places.move(handles[i], moved[i]);
    this.file.close();
    this.file = file;
  }

  /** The buffers numbered `handles`, for another thread of this process to read (readShared). */
  shared(handles: ArrayLike<number>): SharedForwards {
    const { fd, size } = this.file?.shared() ?? { fd: -1, size: 0 };
    const at = new Float64Array(handles.length);
    const bytes = new Uint32Array(handles.length);
    const kept = Array.from(handles, (handle, i) => {
      const buffer = this.places.keptItem(handle);
      if (buffer !== undefined) return packedBytes(buffer);
      at[i] = this.places.where(handle);
      bytes[i] = this.places.size(handle);
      return null;
    });
    return { kept, at, bytes, fd, size };
  }

  /** Removes its file and lets go of its buffers. */
  close(): void {
    this.file?.close();
    this.places.clear();
  }

  /** Appends `bytes` to `file`, padded to a multiple of 4 bytes so that every buffer can be viewed as 32-bit numbers. */
  private put(file: ScratchFile, bytes: Uint8Array): number {
    const at = file.append(bytes);
    if (bytes.length % 4 !== 0) file.append(PADDING.subarray(0, 4 - (bytes.length % 4)));
    return at;
  }
}

const PADDING = new Uint8Array(4);

/**
 * Documents' packed buffers as another thread reads them (a message can carry it): those in memory as their bytes,
 * copied across, the others where they lie in a spill's file, read through its descriptor (this process's).
 */
export interface SharedForwards {
  /** Document i's bytes when it is in memory, else null. */
  kept: (Uint8Array | null)[];
  /** Where document i's bytes lie in the file, when not kept. */
  at: Float64Array;
  bytes: Uint32Array;
  fd: number;
  size: number;
}

/** The packed buffers of SharedForwards, read one document at a time. */
export function readShared(shared: SharedForwards): DocumentList<Uint32Array> {
  const reads = new WindowedReads();
  return {
    count: shared.kept.length,
    at: (doc) => packedOf(shared.kept[doc] ?? reads.read(shared.fd, shared.at[doc], shared.bytes[doc], shared.size)),
  };
}

/** The term ids of every field of a packed buffer, one view (what a term numbering is applied to). */
function allTermIds(buffer: Uint32Array): Uint32Array {
  return buffer.subarray(HEADER, HEADER + termCount(buffer));
}

/** An analysed article as an analysis thread hands it over (PackedTerms.pack), for IndexBuilder.addPacked. */
export interface PackedArticle {
  article: AnalyzedArticle['article'];
  /** Its fields (packForward), term ids numbered by the PackedTerms named `numbering`. */
  forward: Uint32Array;
  edges: PackedEdges;
  numbering: string;
  /** The terms that numbering met first in this article, numbered `firstNew`, `firstNew` + 1, … */
  newTerms: string[];
  firstNew: number;
}

let numberings = 0;

/**
 * Numbers the terms of the articles one analysis thread packs, in the order it meets them. The builder learns each
 * term once per thread (PackedArticle.newTerms) and maps the thread's numbers to its own.
 */
export class PackedTerms {
  readonly name = `${process.pid}.${threadId}.${numberings++}`;
  /** The terms numbered, by their number. */
  private readonly terms: string[] = [];
  /**
   * Their numbers by their text, made when the articles of a second vocabulary (or generation) come with terms already
   * numbered: until then a term new to the vocabulary's numbering (byWord) is new here too, and needs no lookup by its
   * text (a Map insertion per term of a thread).
   */
  private ids: Map<string, number> | undefined;
  /**
   * The vocabulary (and its generation) that numbered the last articles' terms, and per number of it the term's
   * number here (−1 not yet known): an article's terms are then numbered by array reads, not by their text.
   */
  private vocabulary: AnalyzedArticle['vocabulary'] = { name: '', generation: -1 };
  private byWord: Int32Array = new Int32Array(1024).fill(-1);

  pack({ article, fields, edges, vocabulary }: AnalyzedArticle): PackedArticle {
    if (vocabulary.name !== this.vocabulary.name || vocabulary.generation !== this.vocabulary.generation) {
      if (this.ids === undefined && this.terms.length > 0) this.ids = new Map(this.terms.map((term, id) => [term, id]));
      this.vocabulary = vocabulary;
      this.byWord.fill(-1);
    }
    const firstNew = this.terms.length;
    const newTerms: string[] = [];
    const idOf = (term: string): number => {
      let id = this.ids?.get(term);
      if (id === undefined) {
        id = this.terms.length;
        this.terms.push(term);
        this.ids?.set(term, id);
        newTerms.push(term);
      }
      return id;
    };
    try {
      const forward = packForward(
        ANALYZED_FIELDS.map((name) => {
          const field = fields[name];
          const termIds = new Uint32Array(field.terms.length);
          for (let i = 0; i < termIds.length; i++) {
            const word = field.ids[i]!;
            if (word >= this.byWord.length) this.byWord = grown(this.byWord, 2 * word + 1, -1);
            let id = this.byWord[word]!;
            if (id < 0) id = this.byWord[word] = idOf(field.terms[i]!);
            termIds[i] = id;
          }
          return { termIds, freqs: field.freqs, positions: field.positions, length: field.length };
        }),
      );
      return { article, forward, edges: packEdges(edges), numbering: this.name, newTerms, firstNew };
    } catch (error) {
      // Nothing of this article reaches the builder: the terms it numbered are numbered again by the next that has them.
      this.forget(firstNew);
      throw error;
    }
  }

  /**
   * Forgets the terms `packed` numbered first, its result having never reached the builder, so that the next article
   * having them numbers them again. False (nothing forgotten) if another article was packed since: its numbers follow.
   */
  unpack(packed: PackedArticle): boolean {
    if (packed.firstNew + packed.newTerms.length !== this.terms.length) return false;
    this.forget(packed.firstNew);
    return true;
  }

  /** Forgets the terms numbered `firstNew` and after (the last numbered). */
  private forget(firstNew: number): void {
    for (const term of this.terms.splice(firstNew)) this.ids?.delete(term);
    // Words may point at the forgotten numbers (and only at those: the others' stay right when there is no Map).
    for (let word = 0; word < this.byWord.length; word++) if (this.byWord[word]! >= firstNew) this.byWord[word] = -1;
  }
}

/**
 * The builder's side of the PackedTerms of each analysis thread: that numbering's terms as the builder's ids. Articles
 * of one numbering must come in the order it packed them (a worker's messages arrive in the order it sent them).
 */
export class TermNumberings {
  private readonly numberings = new Map<string, number[]>();

  /** Renumbers `packed`'s term ids in place into the ids `intern` gives its terms. */
  renumber(packed: PackedArticle, intern: (term: string) => number): Uint32Array {
    let ids = this.numberings.get(packed.numbering);
    if (ids === undefined) this.numberings.set(packed.numbering, (ids = []));
    if (packed.firstNew !== ids.length) {
      throw new Error(`IndexBuilder: articles of term numbering ${packed.numbering} out of order (terms from ${packed.firstNew}, ${ids.length} known)`);
    }
    for (const term of packed.newTerms) ids.push(intern(term));
    const termIds = allTermIds(packed.forward);
    for (let i = 0; i < termIds.length; i++) termIds[i] = ids[termIds[i]];
    return packed.forward;
  }

  clear(): void {
    this.numberings.clear();
  }
}
