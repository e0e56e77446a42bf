/** sha256 of every corpus file (the incremental reindex's change detection). */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CorpusFile } from '../ingest/types.js';

/** Hash of a file that could not be read: never equal to an indexed hash, so ingest reports the real error. */
export const UNREADABLE_HASH = 'unreadable';

/**
 * Synchronous reads on purpose: measured on the scale corpus (27,855 files, 215 MB, in the page cache), reading
 * and hashing them one after another took 0.64 s, and 3.1 s with 32 concurrent promise-based reads.
 */
export function hashFiles<F extends CorpusFile>(files: readonly F[]): (F & { contentHash: string })[] {
  return files.map((file) => {
    let contentHash = UNREADABLE_HASH;
    try {
      contentHash = createHash('sha256').update(readFileSync(file.path)).digest('hex');
    } catch {
      // Left to ingest, which names the file and the reason.
    }
    return { ...file, contentHash };
  });
}
