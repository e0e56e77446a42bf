/**
 * The abbreviations' pass over every word of every post (frequentForms) on a thread of its own, while the build's main
 * thread ranks keywords: the two passes are independent, and after the analysis the main thread worked alone with
 * the second core idle. The thread reads the posts' analysed fields itself (SharedForwards: the spill's file through
 * its descriptor) and hands back the few frequent forms; the lexicon's part (naming) stays on the main thread.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { frequentForms, type Form } from './abbreviations.js';
import { ANALYZED_FIELDS, forwardField, readShared, type SharedForwards } from './forward.js';

/** What the thread is given: the dictionary (its terms joined, and where each ends) and every post's fields. */
export interface FormsTask {
  terms: string;
  termEnds: Uint32Array;
  forwards: SharedForwards;
}

type FromThread = { forms: Form[] } | { failed: string };

const THREAD_MARK = 'zhsearchAbbreviationThread';
const TITLE = ANALYZED_FIELDS.indexOf('title');
const BODY = ANALYZED_FIELDS.indexOf('body');

/** The dictionary as a FormsTask carries it: one string and each term's end (a term may hold any character). */
export function joinedTerms(termStrings: readonly string[]): Pick<FormsTask, 'terms' | 'termEnds'> {
  const termEnds = new Uint32Array(termStrings.length);
  let end = 0;
  termStrings.forEach((term, id) => (termEnds[id] = end += term.length));
  return { terms: termStrings.join(''), termEnds };
}

/**
 * frequentForms of the task's posts (title and body) on a new thread. The spill's file must stay open until this
 * settles. Fails with a message naming the thread.
 */
export function frequentFormsOnThread(task: FormsTask): Promise<Form[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { [THREAD_MARK]: task } });
    const fail = (detail: string): void => reject(new Error(`缩略语统计线程失败：${detail}`));
    worker.once('message', (message: FromThread) => ('forms' in message ? resolve(message.forms) : fail(message.failed)));
    worker.once('error', (error) => fail(error.message));
    // After an answer this changes nothing; without one the thread died (out of memory, terminated).
    worker.once('exit', (code) => fail(`线程意外退出（退出码 ${code}）`));
  });
}

function countForms({ terms, termEnds, forwards }: FormsTask): Form[] {
  const termStrings = Array.from(termEnds, (end, id) => terms.slice(id === 0 ? 0 : termEnds[id - 1], end));
  let ids: Map<string, number> | undefined;
  const buffers = readShared(forwards);
  return frequentForms({
    docs: {
      count: buffers.count,
      at: (doc) => {
        const buffer = buffers.at(doc);
        return [forwardField(buffer, TITLE), forwardField(buffer, BODY)];
      },
    },
    dictionarySize: termStrings.length,
    term: (id) => termStrings[id],
    chars: (id) => [...termStrings[id]].length,
    // Only asked for the halves of long words: made on first use.
    id: (term) => (ids ??= new Map(termStrings.map((term, id) => [term, id]))).get(term),
  });
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[THREAD_MARK] !== undefined) {
  const port = parentPort!;
  let message: FromThread;
  try {
    message = { forms: countForms((workerData as Record<string, FormsTask>)[THREAD_MARK]!) };
  } catch (error) {
    message = { failed: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(message);
}
