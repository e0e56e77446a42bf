/** sha256 of every corpus file, read with bounded concurrency (the incremental reindex's change detection). */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { CorpusFile } from '../ingest/types.js';

/** Parallel reads: enough to keep the disk and page cache busy without thousands of open files. */
const READ_CONCURRENCY = 32;

/** Hash of a file that could not be read: never equal to an indexed hash, so ingest reports the real error. */
export const UNREADABLE_HASH = 'unreadable';

export async function hashFiles<F extends CorpusFile>(files: readonly F[]): Promise<(F & { contentHash: string })[]> {
  const result = new Array<F & { contentHash: string }>(files.length);
  let next = 0;
  const readNext = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      const file = files[i]!;
      let contentHash = UNREADABLE_HASH;
      try {
        contentHash = createHash('sha256').update(await readFile(file.path)).digest('hex');
      } catch {
        // Left to ingest, which names the file and the reason.
      }
      result[i] = { ...file, contentHash };
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, readNext));
  return result;
}
