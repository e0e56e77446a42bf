/**
 * Query-time synonyms and abbreviations: a built-in list of common abbreviations of Chinese news, policy and tech
 * writing, plus `synonyms.txt` beside the user dictionary (dict.txt). One group a line — every word of
 * `新基建 新型基础设施 新基础设施` expands to the others — or one direction, `双碳 => 碳达峰 碳中和` (the right side may be
 * several words that belong together, separated by spaces; several alternatives are separated by `|`).
 * `#` starts a comment. The file is read again when it changes, so an edit needs no reindex.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Analyzer } from '../analysis/types.js';
import type { Abbreviation } from '../index/types.js';
import { DEFAULT_SYNONYMS } from './defaultSynonyms.js';

/** The synonyms file's name, beside the user dictionary (dict.txt). */
export const SYNONYMS_FILE = 'synonyms.txt';

export interface SynonymOptions {
  /** Query-time synonyms file; default synonyms.txt beside the analyzer's user dictionary (none without one). */
  synonymsFile?: string;
  /** Hears about ignored synonym lines (default: stderr). */
  warn?: (message: string) => void;
  /** Use the built-in list of abbreviations (default true; off to measure what it does). */
  builtInSynonyms?: boolean;
  /** Abbreviations learned from the corpus (the index's), applied like the built-in list; default none. */
  learned?: readonly Abbreviation[];
}

/**
 * The synonyms a backend expands queries with: the built-in list, the abbreviations learned from the corpus, and the
 * analyzer's synonyms file (or the one given) on top.
 */
export function querySynonyms(analyzer: Analyzer, options: SynonymOptions): () => SynonymMap {
  const file = options.synonymsFile ?? (analyzer.userDictPath === undefined ? undefined : path.join(path.dirname(analyzer.userDictPath), SYNONYMS_FILE));
  const normalize = (text: string) => analyzer.normalize(text);
  const base = options.builtInSynonyms === false ? new Map() : parseSynonyms(DEFAULT_SYNONYMS, normalize, '内置同义词表').map;
  for (const { word, forms } of options.learned ?? []) {
    const key = normalize(word);
    const list = base.get(key) ?? [];
    for (const { words } of forms) if (!list.includes(words.join(' '))) list.push(words.join(' '));
    base.set(key, list);
  }
  return synonymSource(file, normalize, options.warn ?? ((message) => process.stderr.write(`${message}\n`)), base);
}

/** Normalised query word → what it expands to (each an alternative query text). */
export type SynonymMap = Map<string, string[]>;

export interface ParsedSynonyms {
  map: SynonymMap;
  /** Lines that were ignored, with why (Chinese, for the user). */
  problems: string[];
}

const ARROW = '=>';

/** Parses synonym lines into `map` (added to what is there); `normalize` is the analyzer's. */
export function parseSynonyms(text: string, normalize: (text: string) => string, file: string, map: SynonymMap = new Map()): ParsedSynonyms {
  const problems: string[] = [];
  const add = (from: string, to: string) => {
    if (from === to) return;
    const list = map.get(from);
    if (!list) map.set(from, [to]);
    else if (!list.includes(to)) list.push(to);
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = normalize(raw.replace(/#.*$/, '')).trim();
    if (!line) return;
    const arrow = line.indexOf(ARROW);
    if (arrow >= 0) {
      const from = line.slice(0, arrow).trim();
      const to = line
        .slice(arrow + ARROW.length)
        .split('|')
        .map((part) => part.trim().split(/\s+/).join(' '))
        .filter(Boolean);
      if (!from || /\s/.test(from) || to.length === 0 || line.indexOf(ARROW, arrow + 1) >= 0) {
        problems.push(`${file} 第 ${i + 1} 行：“A => B”需要左边一个词、右边至少一个词，已忽略：${raw.trim()}`);
        return;
      }
      for (const target of to) add(from, target);
      return;
    }
    const words = [...new Set(line.split(/\s+/))];
    if (words.length < 2) {
      problems.push(`${file} 第 ${i + 1} 行：一组同义词至少要有两个词（用空格分隔），已忽略：${raw.trim()}`);
      return;
    }
    for (const from of words) for (const to of words) add(from, to);
  });
  return { map, problems };
}

/**
 * The synonyms in force: `defaults` (the built-in list by default), then `file` (if given and present) on top.
 * Re-reads the file when its size or modification time changes; `warn` hears each ignored line once per version of
 * the file.
 */
export function synonymSource(
  file: string | undefined,
  normalize: (text: string) => string,
  warn: (message: string) => void,
  defaults: SynonymMap = parseSynonyms(DEFAULT_SYNONYMS, normalize, '内置同义词表').map,
): () => SynonymMap {
  let stamp = '';
  let current = defaults;
  return () => {
    if (file === undefined) return current;
    let next = 'absent';
    try {
      // Checked on every search: a missing file must not cost a thrown error each time (~3 % of a server's CPU).
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (stat !== undefined) next = `${stat.size}:${stat.mtimeMs}`;
    } catch {
      // Unreadable folder: as if absent.
    }
    if (next === stamp) return current;
    stamp = next;
    if (next === 'absent') {
      current = defaults;
      return current;
    }
    try {
      const merged: SynonymMap = new Map([...defaults].map(([from, to]) => [from, [...to]]));
      const parsed = parseSynonyms(fs.readFileSync(file, 'utf8'), normalize, file, merged);
      for (const problem of parsed.problems) warn(problem);
      current = parsed.map;
    } catch (error) {
      warn(`无法读取同义词文件 ${file}：${error instanceof Error ? error.message : String(error)}（只用内置同义词表）`);
      current = defaults;
    }
    return current;
  };
}
