/** Which analyzer goes with a corpus and an index: the user dictionary rule and identity comparison. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AnalyzerIdentity } from '../analysis/types.js';

/** `<corpus>/dict.txt` when the corpus ships one; undefined leaves the choice to the analysis default. */
export function userDictionaryFor(corpusDir: string): string | undefined {
  const own = path.join(corpusDir, 'dict.txt');
  return existsSync(own) ? own : undefined;
}

export function sameAnalyzer(a: AnalyzerIdentity, b: AnalyzerIdentity): boolean {
  return a.segmenter === b.segmenter && a.version === b.version && a.dictHash === b.dictHash && a.rules === b.rules;
}

export function describeAnalyzer(a: AnalyzerIdentity): string {
  return `${a.segmenter} ${a.version}，词典 ${a.dictHash.slice(0, 8)}，规则 ${a.rules}`;
}
