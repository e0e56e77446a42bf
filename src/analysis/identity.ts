/** Comparing analyzer identities: an index is only queried with the analyzer that built it. */
import type { AnalyzerIdentity } from './types.js';

export function sameAnalyzer(a: AnalyzerIdentity, b: AnalyzerIdentity): boolean {
  return a.segmenter === b.segmenter && a.version === b.version && a.dictHash === b.dictHash && a.rules === b.rules;
}

export function describeAnalyzer(a: AnalyzerIdentity): string {
  return `${a.segmenter} ${a.version} (dictionary ${a.dictHash}, rules ${a.rules})`;
}
