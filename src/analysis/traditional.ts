/**
 * Traditional → Simplified Chinese by longest-prefix match over a conversion table (OpenCC's dictionaries, phrases
 * first, then characters), reporting for each output unit which input units it replaced.
 *
 * The table is a parameter: the Node analyzer loads the whole of OpenCC's (opencc-table.ts); a browser runtime
 * loads only the entries starting with the characters of its query (every entry a prefix match at those characters
 * can reach), which converts that query exactly as the whole table would.
 */
import type { NormalizedText } from './normalize.js';
import { OffsetMapBuilder } from './offsetMap.js';

/** What conversion needs of a table (opencc-js's Trie has it). */
export interface SimplifiedTable {
  /** The longest entry starting at `offset`, or null. */
  matchPrefix(text: string, offset: number): { end: number; value: string } | null;
  /**
   * 1 for each UTF-16 unit an entry starts with: matchPrefix is not asked elsewhere (almost every character of
   * Simplified text). Absent: matchPrefix is asked at every unit from FIRST_CJK on.
   */
  readonly entryStarts?: Uint8Array;
  /** Where the entries that change their text start; absent when the table is not known whole. */
  changingEntries?(): ChangingEntries;
}

/** The entries whose replacement differs from their source: text converts to itself when none of them occurs in it. */
export interface ChangingEntries {
  /** 1 for each UTF-16 unit such a source starts with; seconds: has second. */
  starts: Uint8Array;
  seconds: Uint8Array;
  /** The sources, by the unit they start with. */
  sources: ReadonlyMap<number, readonly string[]>;
}

/** A node of a ConversionTrie: its children by code point, and the replacement of the entry ending here. */
interface TrieNode {
  next: Map<number, TrieNode>;
  value?: string;
}

/**
 * A table filled entry by entry (a browser runtime adds the entries of the characters it fetched), answering
 * matchPrefix as opencc-js's Trie does (the Node table's): the longest entry by code points, the last added of a
 * source. The few lines it takes instead of opencc-js's class keep a static page's script smaller.
 */
export class ConversionTrie implements SimplifiedTable {
  private readonly root: TrieNode = { next: new Map() };

  addWord(source: string, target: string): void {
    let node = this.root;
    for (const char of source) {
      const code = char.codePointAt(0)!;
      let child = node.next.get(code);
      if (!child) node.next.set(code, (child = { next: new Map() }));
      node = child;
    }
    node.value = target;
  }

  matchPrefix(text: string, offset: number): { end: number; value: string } | null {
    let node = this.root;
    let match: { end: number; value: string } | null = null;
    for (let i = offset; i < text.length; ) {
      const code = text.codePointAt(i)!;
      i += code > 0xffff ? 2 : 1;
      const child = node.next.get(code);
      if (!child) break;
      node = child;
      if (node.value !== undefined) match = { end: i, value: node.value };
    }
    return match;
  }
}

/** Code points below this are never the start of an OpenCC Traditional entry (all entries start with CJK). */
export const FIRST_CJK = 0x2e80;

function mayStartEntry(text: string, i: number, conversion: SimplifiedTable): boolean {
  const code = text.charCodeAt(i);
  return code >= FIRST_CJK && (conversion.entryStarts === undefined || conversion.entryStarts[code] === 1);
}

/**
 * Convert `text`; `sourceStart[k]`/`sourceEnd[k]` are the input unit span that output unit k came from, or
 * undefined when nothing changes (the usual case for Simplified text). A replacement of equal length maps unit by
 * unit; one of another length maps every output unit to the whole replaced span.
 */
export function toSimplified(text: string, conversion: SimplifiedTable): NormalizedText | undefined {
  const chunks: string[] = [];
  let offsets: OffsetMapBuilder | undefined;
  const n = text.length;
  let copiedUpTo = 0;
  let i = 0;
  while (i < n) {
    const match = mayStartEntry(text, i, conversion) ? conversion.matchPrefix(text, i) : null;
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
export function toSimplifiedText(text: string, conversion: SimplifiedTable): string {
  // Made at the first replacement: Simplified text (the usual case) is returned as it is.
  let out: string[] | undefined;
  const n = text.length;
  let copiedUpTo = 0;
  let i = 0;
  while (i < n) {
    const match = mayStartEntry(text, i, conversion) ? conversion.matchPrefix(text, i) : null;
    if (!match) {
      i += 1;
      continue;
    }
    (out ??= []).push(text.slice(copiedUpTo, i), match.value);
    i = match.end;
    copiedUpTo = i;
  }
  if (!out) return text;
  out.push(text.slice(copiedUpTo));
  return out.join('');
}
