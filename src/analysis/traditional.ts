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
 * Convert `text`; `sourceStart[k]`/`sourceEnd[k]` are the input unit span that output unit k came from.
 * A replacement of equal length maps unit by unit; one of another length maps every output unit to the whole
 * replaced span.
 */
export function toSimplified(text: string): NormalizedText {
  const conversion = traditionalToSimplifiedTrie();
  const out: string[] = [];
  const sourceStart: number[] = [];
  const sourceEnd: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const match = text.charCodeAt(i) >= FIRST_CJK ? conversion.matchPrefix(text, i) : null;
    if (!match) {
      out.push(text[i]!);
      sourceStart.push(i);
      sourceEnd.push(i + 1);
      i += 1;
      continue;
    }
    const replaced = match.end - i;
    const value = match.value;
    out.push(value);
    for (let k = 0; k < value.length; k++) {
      if (value.length === replaced) {
        sourceStart.push(i + k);
        sourceEnd.push(i + k + 1);
      } else {
        sourceStart.push(i);
        sourceEnd.push(match.end);
      }
    }
    i = match.end;
  }
  return { text: out.join(''), sourceStart, sourceEnd };
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
