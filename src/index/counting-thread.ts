/**
 * The corpus-wide counts over every word of every post that need no lexicon and no text, on a thread of their own
 * while the build's main thread works out the boilerplate, then ranks keywords: the pairs of words that may be
 * collocations (frequentPairs), each term's document frequency (termDocFreqs: the main thread meanwhile finds the
 * collocations among the pairs), the abbreviations' full forms (frequentForms); then, while the main thread still
 * ranks keywords, the postings files of the analysed fields (writeForwardPostings, ~4.5 s of CPU at scale that the main
 * thread spent after the keywords). After the analysis the main thread worked alone with the second core idle. The
 * thread reads the posts' analysed fields itself (SharedForwards: the spill's file through its descriptor) and hands
 * back the few frequent pairs and forms, and where in a scratch file (the builder's, through its descriptor) it wrote
 * each postings file; what needs the texts or the lexicon (writtenCollocations, namedAbbreviations) and the keywords
 * field's postings stay on the main thread.
 */
import os from 'node:os';
import { writeSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { formSource, frequentForms, type Form } from './abbreviations.js';
import { frequentPairs, type FrequentPair } from './collocations.js';
import { ANALYZED_FIELDS, forwardField, readShared, titleAndBodyOf, type DocumentList, type ForwardField, type SharedForwards } from './forward.js';
import { pairSource, termDocFreqs } from './keywords.js';
import { sortedTerms, writeForwardPostings } from './postings-codec.js';

/**
 * What the thread is given once the analysis is done: the dictionary (its terms joined, and where each ends) and every
 * post's fields.
 */
export interface CountingTask {
  terms: string;
  termEnds: Uint32Array;
  forwards: SharedForwards;
  /**
   * The file (a scratch file of this process) the thread writes every analysed field's postings file into, one after
   * another (in ANALYZED_FIELDS order) from its start, once the counts are sent. None: counts only.
   */
  postings?: { fd: number };
}

/** On Linux setpriority(pid 0) applies to the calling thread only: a reindex's worker, not its main thread. */
export function lowerThreadPriority(niceness: number): void {
  try {
    if (niceness > os.getPriority(0)) os.setPriority(0, niceness);
  } catch {
    // Not permitted or not supported: the thread runs at normal priority.
  }
}

/**
 * Resource limits of a reindex's threads (its analysis workers and the counting thread): a young generation of 8 MB
 * instead of V8's default (a new space that grows to 32 MB a thread, mostly the garbage of the last articles). Peak
 * RSS of full builds of the 10 % sample and 3x it, defaults and these alternated (load 12-19): 404/404 -> 379/375 MB
 * and 436/436 -> 404/419 MB; user CPU 10.3/11.6 -> 11.0/11.0 s and 22.4/21.9 -> 22.1/21.9 s.
 */
export const THREAD_LIMITS = { maxYoungGenerationSizeMb: 8 };

/** Where the thread wrote a postings file in the task's file: `bytes` bytes from `at`. */
export interface WrittenPostings {
  at: number;
  bytes: number;
}

/** The thread's answers, each as soon as it is counted or written. */
export interface Counting {
  pairs: Promise<FrequentPair[]>;
  /** termDocFreqs of the posts. */
  docFreqs: Promise<Uint32Array>;
  forms: Promise<Form[]>;
  /** By analysed field index (ANALYZED_FIELDS), when the task asked for postings. */
  postings: ReadonlyMap<number, Promise<WrittenPostings>>;
  /**
   * Stops the thread at the next post it reads (what it has not answered fails) and resolves once it has exited: then,
   * and only then, the files it reads and writes may be closed.
   */
  stop(): Promise<void>;
}

type FromThread = { pairs: FrequentPair[] } | { docFreqs: Uint32Array } | { forms: Form[] } | { postings: WrittenPostings & { field: number } } | { failed: string };

/**
 * What the thread is started with: its niceness (the analysis threads' own: above 0 while a server searches the index)
 * and the flag stop() sets (shared memory: once given its task the thread is busy, not listening).
 */
interface ThreadData {
  niceness: number;
  stop: Int32Array;
}

const THREAD_MARK = 'zhsearchCountingThread';

/** The dictionary as a CountingTask carries it: one string and each term's end (a term may hold any character). */
export function joinedTerms(termStrings: readonly string[]): Pick<CountingTask, 'terms' | 'termEnds'> {
  const termEnds = new Uint32Array(termStrings.length);
  let end = 0;
  termStrings.forEach((term, id) => (termEnds[id] = end += term.length));
  return { terms: termStrings.join(''), termEnds };
}

/**
 * A counting thread, started before its task is known: Node's start-up and the modules' loading happen while the
 * analysis runs, not between its end and the pairs the main thread waits for. Idle, it keeps no process alive. The
 * files its task reads and writes must stay open until stop()'s promise settles (the thread has exited).
 */
export class CountingThread {
  private readonly worker: Worker;
  private readonly stopFlag = new Int32Array(new SharedArrayBuffer(4));
  private readonly exited: Promise<void>;
  private given = false;
  /** The answers not given yet, rejected when the thread fails. */
  private answers: Deferred<unknown>[] = [];
  /** Why the thread failed, if it did: told to the answers of a task given after that. */
  private failure: Error | null = null;
  private onMessage: (message: FromThread) => void = () => {};

  constructor(niceness: number) {
    const data: ThreadData = { niceness, stop: this.stopFlag };
    this.worker = new Worker(new URL(import.meta.url), { workerData: { [THREAD_MARK]: data }, resourceLimits: THREAD_LIMITS });
    this.worker.unref();
    this.exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (message: FromThread) => this.onMessage(message));
    this.worker.once('error', (error) => this.failed(error.message));
    // After every answer this changes nothing; before them the thread died (out of memory, terminated).
    this.worker.once('exit', (code) => this.failed(`线程意外退出（退出码 ${code}）`));
  }

  /**
   * The counts of the task's posts (title and body), then the postings files it asks for. Given once. A failure rejects
   * every answer not given yet with a message naming the thread.
   */
  count(task: CountingTask): Counting {
    if (this.given) throw new Error('CountingThread: given a second task');
    this.given = true;
    const pairs = deferred<FrequentPair[]>();
    const docFreqs = deferred<Uint32Array>();
    const forms = deferred<Form[]>();
    const postings = new Map(task.postings ? [...ANALYZED_FIELDS.keys()].map((field) => [field, deferred<WrittenPostings>()]) : []);
    this.answers = [pairs, docFreqs, forms, ...postings.values()] as Deferred<unknown>[];
    // Awaited later (the pairs once the boilerplate is known); a failure meanwhile is not unhandled.
    for (const answer of this.answers) answer.promise.catch(() => {});
    this.onMessage = (message) => {
      if ('pairs' in message) pairs.resolve(message.pairs);
      else if ('docFreqs' in message) docFreqs.resolve(message.docFreqs);
      else if ('forms' in message) forms.resolve(message.forms);
      else if ('postings' in message) postings.get(message.postings.field)?.resolve(message.postings);
      else this.failed(message.failed);
    };
    if (this.failure) this.rejectAll(this.failure);
    else {
      // Busy now: the build waits for its answers.
      this.worker.ref();
      this.worker.postMessage(task);
    }
    return {
      pairs: pairs.promise,
      docFreqs: docFreqs.promise,
      forms: forms.promise,
      postings: new Map([...postings].map(([field, answer]) => [field, answer.promise])),
      stop: () => this.stop(),
    };
  }

  /**
   * Stops the thread, at the next post it reads once given its task (what it has not answered fails), and resolves once
   * it has exited: then, and only then, the files it reads and writes may be closed.
   */
  stop(): Promise<void> {
    Atomics.store(this.stopFlag, 0, 1);
    // Waiting for its task, it reads no flag.
    if (!this.given) void this.worker.terminate();
    return this.exited;
  }

  private failed(detail: string): void {
    this.failure ??= new Error(`统计与编码线程失败：${detail}`);
    this.rejectAll(this.failure);
  }

  /** Rejecting an answered promise changes nothing: only those not answered yet fail. */
  private rejectAll(error: Error): void {
    for (const answer of this.answers) answer.reject(error);
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function count(
  { terms, termEnds, forwards, postings }: CountingTask,
  stop: Int32Array,
  send: (message: FromThread, transfer?: ArrayBuffer[]) => void,
): Promise<void> {
  const termStrings = Array.from(termEnds, (end, id) => terms.slice(id === 0 ? 0 : termEnds[id - 1], end));
  const shared = readShared(forwards);
  const packed: DocumentList<Uint32Array> = {
    count: shared.count,
    at: (doc) => {
      // The builder's files are closed only once this thread has exited (Counting.stop).
      if (Atomics.load(stop, 0) !== 0) throw new Error('已停止');
      return shared.at(doc);
    },
  };
  const docs = titleAndBodyOf(packed);
  send({ pairs: frequentPairs(pairSource(docs, termStrings)) });
  const docFreqs = termDocFreqs(docs, termStrings.length);
  send({ docFreqs }, [docFreqs.buffer as ArrayBuffer]);
  send({ forms: countForms(docs, termStrings) });
  if (!postings) return;
  let end = 0;
  for (const field of ANALYZED_FIELDS.keys()) {
    const perDoc: DocumentList<ForwardField> = { count: packed.count, at: (doc) => forwardField(packed.at(doc), field) };
    const { terms: sorted, rankOf } = sortedTerms(perDoc, termStrings);
    const at = end;
    await writeForwardPostings(perDoc, sorted, rankOf, async (piece) => {
      for (let done = 0; done < piece.length; ) done += writeSync(postings.fd, piece, done, piece.length - done, end + done);
      end += piece.length;
    });
    send({ postings: { field, at, bytes: end - at } });
  }
}

/** frequentForms of the posts, its map of terms (made on first use: only the halves of long words need it) dropped after. */
function countForms(docs: DocumentList<ForwardField[]>, termStrings: readonly string[]): Form[] {
  let ids: Map<string, number> | undefined;
  return frequentForms(formSource(docs, termStrings, (term) => (ids ??= new Map(termStrings.map((term, id) => [term, id]))).get(term)));
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[THREAD_MARK] !== undefined) {
  const port = parentPort!;
  const { niceness, stop } = (workerData as Record<string, ThreadData>)[THREAD_MARK]!;
  lowerThreadPriority(niceness);
  // The one task; the thread then ends with it.
  port.once('message', (task: CountingTask) => {
    count(task, stop, (message, transfer) => port.postMessage(message, transfer)).catch((error: unknown) => {
      port.postMessage({ failed: error instanceof Error ? error.message : String(error) } satisfies FromThread);
    });
  });
}
