/**
 * The corpus-wide counts over every word of every post that need no lexicon and no text, on a thread of their own
 * while the build's main thread works out the boilerplate, then ranks keywords: the pairs of words that may be
 * collocations (frequentPairs), then the abbreviations' full forms (frequentForms). After the analysis the main thread
 * worked alone with the second core idle. The thread reads the posts' analysed fields itself (SharedForwards: the
 * spill's file through its descriptor) and hands back the few frequent pairs and forms; what needs the texts or the
 * lexicon (writtenCollocations, namedAbbreviations) stays on the main thread.
 */
import os from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { formSource, frequentForms, type Form } from './abbreviations.js';
import { frequentPairs, type FrequentPair } from './collocations.js';
import { readShared, titleAndBodyOf, type SharedForwards } from './forward.js';
import { pairSource } from './keywords.js';

/**
 * What the thread is given: the dictionary (its terms joined, and where each ends), every post's fields, and the
 * niceness it runs at (the analysis threads' own: above 0 while a server searches the index).
 */
export interface CountingTask {
  terms: string;
  termEnds: Uint32Array;
  forwards: SharedForwards;
  niceness: number;
}

/** On Linux setpriority(pid 0) applies to the calling thread only: a reindex's worker, not its main thread. */
export function lowerThreadPriority(niceness: number): void {
  try {
    if (niceness > os.getPriority(0)) os.setPriority(0, niceness);
  } catch {
    // Not permitted or not supported: the thread runs at normal priority.
  }
}

/** The thread's answers, each as soon as it is counted. */
export interface Counting {
  pairs: Promise<FrequentPair[]>;
  forms: Promise<Form[]>;
}

type FromThread = { pairs: FrequentPair[] } | { forms: Form[] } | { failed: string };

const THREAD_MARK = 'zhsearchCountingThread';

/** The dictionary as a CountingTask carries it: one string and each term's end (a term may hold any character). */
export function joinedTerms(termStrings: readonly string[]): Pick<CountingTask, 'terms' | 'termEnds'> {
  const termEnds = new Uint32Array(termStrings.length);
  let end = 0;
  termStrings.forEach((term, id) => (termEnds[id] = end += term.length));
  return { terms: termStrings.join(''), termEnds };
}

/**
 * The counts of the task's posts (title and body) on a new thread. The spill's file must stay open until both answers
 * settle. A failure rejects both (those not answered yet) with a message naming the thread.
 */
export function countOnThread(task: CountingTask): Counting {
  const pairs = deferred<FrequentPair[]>();
  const forms = deferred<Form[]>();
  // Rejecting an answered promise changes nothing: only those not answered yet fail.
  const failed = (detail: string): void => {
    const error = new Error(`搭配与缩略语统计线程失败：${detail}`);
    pairs.reject(error);
    forms.reject(error);
  };
  const worker = new Worker(new URL(import.meta.url), { workerData: { [THREAD_MARK]: task } });
  worker.on('message', (message: FromThread) => {
    if ('pairs' in message) pairs.resolve(message.pairs);
    else if ('forms' in message) forms.resolve(message.forms);
    else failed(message.failed);
  });
  worker.once('error', (error) => failed(error.message));
  // After both answers this changes nothing; before them the thread died (out of memory, terminated).
  worker.once('exit', (code) => failed(`线程意外退出（退出码 ${code}）`));
  // Awaited later (the pairs once the boilerplate is known); a failure meanwhile is not unhandled.
  pairs.promise.catch(() => {});
  forms.promise.catch(() => {});
  return { pairs: pairs.promise, forms: forms.promise };
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function count({ terms, termEnds, forwards, niceness }: CountingTask, send: (message: FromThread) => void): void {
  lowerThreadPriority(niceness);
  const termStrings = Array.from(termEnds, (end, id) => terms.slice(id === 0 ? 0 : termEnds[id - 1], end));
  const docs = titleAndBodyOf(readShared(forwards));
  send({ pairs: frequentPairs(pairSource(docs, termStrings)) });
  let ids: Map<string, number> | undefined;
  // Only asked for the halves of long words: the map is made on first use.
  send({ forms: frequentForms(formSource(docs, termStrings, (term) => (ids ??= new Map(termStrings.map((term, id) => [term, id]))).get(term))) });
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[THREAD_MARK] !== undefined) {
  const port = parentPort!;
  try {
    count((workerData as Record<string, CountingTask>)[THREAD_MARK]!, (message) => port.postMessage(message));
  } catch (error) {
    port.postMessage({ failed: error instanceof Error ? error.message : String(error) } satisfies FromThread);
  }
}
