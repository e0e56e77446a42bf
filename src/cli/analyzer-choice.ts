/** Which analyzer goes with a corpus and an index: the user dictionary rule. */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** `<corpus>/dict.txt` when the corpus ships one; undefined leaves the choice to the analysis default. */
export function userDictionaryFor(corpusDir: string): string | undefined {
  const own = path.join(corpusDir, 'dict.txt');
  return existsSync(own) ? own : undefined;
}
