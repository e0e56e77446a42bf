/**
 * OpenCC's standard Traditional → Simplified table ('t' → 'cn'), whole: what the Node analyzer converts with.
 *
 * Source variant: OpenCC standard Traditional ('t'). The Taiwan variant tables ('tw') were left out on
 * purpose: applied to Simplified text they rewrite characters that are correct there (著 → 着 in 著名).
 */
import { Trie } from 'opencc-js/core';
import { to } from 'opencc-js/preset/t2cn';
import type { SimplifiedTable } from './traditional.js';

let trie: Trie | undefined;

function dictionaryGroup(): readonly (string | readonly (readonly [string, string])[])[] {
  const groups = to['cn'];
  if (!groups || groups.length !== 1) throw new Error('opencc-js: expected one dictionary group for to.cn');
  return groups[0]!;
}

export function traditionalToSimplifiedTable(): SimplifiedTable {
  if (!trie) {
    trie = new Trie();
    trie.loadDictGroup(dictionaryGroup());
  }
  return trie;
}

/**
 * Every entry of the table (source → Simplified), as the trie holds it: the group's dictionaries are loaded last
 * to first, so an entry of an earlier one (phrases) replaces the same source of a later one (characters).
 */
export function traditionalToSimplifiedEntries(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const dictionary of [...dictionaryGroup()].reverse()) {
    const pairs = typeof dictionary === 'string' ? dictionary.split('|').map((line) => line.split(' ') as [string, string]) : dictionary;
    for (const [source, target] of pairs) entries.set(source, target);
  }
  return entries;
}
