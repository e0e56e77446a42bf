/**
 * Traditional → Simplified Chinese with OpenCC's own dictionaries (phrases first, then characters),
 * reporting for each output unit which input units it replaced.
 *
 * Source variant: OpenCC standard Traditional ('t'). The Taiwan variant tables ('tw') were left out on
 * purpose: applied to Simplified text they rewrite characters that are correct there (著 → 着 in 著名).
 */
import { Trie } from 'opencc-js/core';
import { to } from 'opencc-js/preset/t2cn';
import type { NormalizedText } from './normalize.js';
import { OffsetMapBuilder } from './offsetMap.js';

let trie: Trie | undefined;

function traditionalToSimplifiedTrie(): Trie {
  if (!trie) {
    const groups = to['cn'];
    if (!groups || groups.length !== 1) throw new Error('opencc-js: expected one dictionary group for to.cn');
    trie = new Trie();
    trie.loadDictGroup(groups[0]!);
  }
  return trie;
}

/** Code points below this are never the start of an OpenCC Traditional entry (all entries start with CJK). */
const FIRST_CJK = 0x2e80;

/**
 * Convert `text`; `sourceStart[k]`/`sourceEnd[k]` are the input unit span that output unit k came from, or
 * undefined when nothing changes (the usual case for Simplified text). A replacement of equal length maps unit by
 * unit; one of another length maps every output unit to the whole replaced span.
 */
export function toSimplified(text: string): NormalizedText | undefined {
  const conversion = traditionalToSimplifiedTrie();
  const chunks: string[] = [];
  let offsets: OffsetMapBuilder | undefined;
  const n = text.length;
  let copiedUpTo = 0;
  let i = 0;
  while (i < n) {
    const match = text.charCodeAt(i) >= FIRST_CJK ? conversion.matchPrefix(text, i) : null;
    if (!match || match.value === text.slice(i, match.end)) {
      i = match ? match.end : i + 1;
      continue;
    }
    offsets ??= new OffsetMapBuilder(n);
    chunks.push(text.slice(copiedUpTo, i), match.value);
    offsets.pushIdentity(copiedUpTo, i - copiedUpTo);
    const replaced = match.end - i;
    if (match.value.length === replaced) offsets.pushIdentity(i, replaced);
    else offsets.pushSpan(i, match.end, match.value.length);
    i = match.end;
    copiedUpTo = i;
  }
  if (!offsets) return undefined;
  chunks.push(text.slice(copiedUpTo));
  offsets.pushIdentity(copiedUpTo, n - copiedUpTo);
  return { text: chunks.join(''), ...offsets.build() };
}

/** Convert `text` without keeping offsets. */
export function toSimplifiedText(text: string): string {
  const conversion = traditionalToSimplifiedTrie();
  const out: string[] = [];
  const n = text.length;
  let copiedUpTo = 0;
  let i = 0;
  while (i < n) {
    const match = text.charCodeAt(i) >= FIRST_CJK ? conversion.matchPrefix(text, i) : null;
    if (!match) {
      i += 1;
      continue;
    }
    out.push(text.slice(copiedUpTo, i), match.value);
    i = match.end;
    copiedUpTo = i;
  }
  out.push(text.slice(copiedUpTo));
  return out.join('');
}
