/**
 * OpenCC's standard Traditional → Simplified table ('t' → 'cn'), whole: what the Node analyzer converts with.
 *
 * Source variant: OpenCC standard Traditional ('t'). The Taiwan variant tables ('tw') were left out on
 * purpose: applied to Simplified text they rewrite characters that are correct there (著 → 着 in 著名).
 */
import { Trie } from 'opencc-js/core';
import { to } from 'opencc-js/preset/t2cn';
import type { ChangingEntries, SimplifiedTable } from './traditional.js';

let table: SimplifiedTable | undefined;

function dictionaryGroup(): readonly (string | readonly (readonly [string, string])[])[] {
  const groups = to['cn'];
  if (!groups || groups.length !== 1) throw new Error('opencc-js: expected one dictionary group for to.cn');
  return groups[0]!;
}

export function traditionalToSimplifiedTable(): SimplifiedTable {
  if (!table) {
    const trie = new Trie();
    trie.loadDictGroup(dictionaryGroup());
    // Almost no character of Simplified text starts an entry: a bit per UTF-16 unit answers those without the
    // trie's map lookup (normalising took ~70 ns a character through the trie, most of it for no match).
    const starts = entryStarts();
    let changing: ChangingEntries | undefined;
    table = {
      entryStarts: starts,
      matchPrefix: (text, offset) => (starts[text.charCodeAt(offset)] === 1 ? trie.matchPrefix(text, offset) : null),
      changingEntries: () => (changing ??= changingEntries()),
    };
  }
  return table;
}

/** 1 for each UTF-16 unit an entry's source starts with (an astral first character: its high surrogate). */
function entryStarts(): Uint8Array {
  const starts = new Uint8Array(0x10000);
  for (const dictionary of dictionaryGroup()) {
    if (typeof dictionary !== 'string') {
      for (const [source] of dictionary) starts[source.charCodeAt(0)] = 1;
      continue;
    }
    // "source target|source target|…"
    for (let at = 0; at < dictionary.length; ) {
      starts[dictionary.charCodeAt(at)] = 1;
      const bar = dictionary.indexOf('|', at);
      if (bar < 0) break;
      at = bar + 1;
    }
  }
  return starts;
}

/** SimplifiedTable.changingEntries over every dictionary of the group (an entry another one overrides counts too). */
function changingEntries(): ChangingEntries {
  const starts = new Uint8Array(0x10000);
  const seconds = new Uint8Array(0x10000);
  const sources = new Map<number, string[]>();
  for (const dictionary of dictionaryGroup()) {
    for (const [source, target] of entryPairs(dictionary)) {
      if (source === target) continue;
      const first = source.charCodeAt(0);
      starts[first] = 1;
      if (source.length > 1) seconds[source.charCodeAt(1)] = 1;
      const starting = sources.get(first);
      if (starting) starting.push(source);
      else sources.set(first, [source]);
    }
  }
  return { starts, seconds, sources };
}

/**
 * Every entry of the table (source → Simplified), as the trie holds it: the group's dictionaries are loaded last
 * to first, so an entry of an earlier one (phrases) replaces the same source of a later one (characters).
 */
export function traditionalToSimplifiedEntries(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const dictionary of [...dictionaryGroup()].reverse()) {
    for (const [source, target] of entryPairs(dictionary)) entries.set(source, target);
  }
  return entries;
}

/** A dictionary's [source, target] entries ("source target|source target|…" when given as one string). */
function entryPairs(dictionary: string | readonly (readonly [string, string])[]): readonly (readonly [string, string])[] {
  return typeof dictionary === 'string' ? dictionary.split('|').map((line) => line.split(' ') as [string, string]) : dictionary;
}
