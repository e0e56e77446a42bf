/** jieba's idf table looked up in place (idfTable.ts): the same words and values as the table read line by line. */
import { idf } from '@node-rs/jieba/dict.js';
import { describe, expect, it } from 'vitest';
import { idfOf, readIdfTable } from '../src/analysis/idfTable.js';

/** The table as a Map, the way it was read before: `word idf` a line, the word up to the first space. */
function tableAsMap(text: string): Map<string, number> {
  const table = new Map<string, number>();
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const value = Number(line.slice(space + 1));
    if (Number.isFinite(value)) table.set(line.slice(0, space), value);
  }
  return table;
}

describe('idf table', () => {
  it('lists what the lines say: a later line of a word wins, a line without a word or a finite value does not count', () => {
    const text = '加沙地带 10.5\n加沙 9.25\n增长 4.2\n no-word 3\n数据\n坏值 abc\nGDP 8\n增长 4.5\n末行 7';
    const table = readIdfTable(Buffer.from(text, 'utf8'));
    for (const [word, value] of tableAsMap(text)) expect(idfOf(table, word)).toBe(value);
    expect(idfOf(table, '增长')).toBe(4.5);
    for (const word of ['加', '加沙地', '数据', '坏值', 'no-word', '', 'gdp', '末行 7']) expect(idfOf(table, word)).toBeUndefined();
    // 4.5, 7, 8, 9.25, 10.5: the middle one.
    expect(table.median).toBe(8);
    expect(readIdfTable(Buffer.alloc(0)).median).toBe(0);
  });

  it('counts a word listed twice once in the median, with its later value, as the Map did', () => {
    // Were 甲 counted twice (a zero in its extra place) or its first value kept, the median would be 3.
    const text = '甲 1\n乙 2\n丙 3\n丁 4\n甲 9';
    const table = readIdfTable(Buffer.from(text, 'utf8'));
    const expected = tableAsMap(text);
    expect(table.median).toBe(4);
    expect(table.median).toBe(Float64Array.from(expected.values()).sort()[expected.size >> 1]);
  });

  it('tells a word from a longer one of the same hash it begins', () => {
    // FNV-1a (hashBytes) gives both the same hash: found by meeting in the middle, four letters from each end.
    const [short, long] = ['rdnpbhha', 'rdnpbhhah'];
    const fnv = (word: string) => Buffer.from(word).reduce((hash, byte) => Math.imul(hash ^ byte, 0x01000193), 0x811c9dc5);
    expect(fnv(short)).toBe(fnv(long));
    expect(idfOf(readIdfTable(Buffer.from(`${long} 5`)), short)).toBeUndefined();
    const both = readIdfTable(Buffer.from(`${long} 5\n${short} 3`));
    expect([idfOf(both, long), idfOf(both, short), both.median]).toEqual([5, 3, 5]);
  });

  it('holds every word of the table @node-rs/jieba ships with its value, and the median of them all', () => {
    const bytes = Buffer.from(idf.buffer, idf.byteOffset, idf.byteLength);
    const expected = tableAsMap(new TextDecoder().decode(bytes));
    const table = readIdfTable(bytes);
    let differing = 0;
    for (const [word, value] of expected) if (idfOf(table, word) !== value) differing++;
    expect(differing).toBe(0);
    expect(table.median).toBe(Float64Array.from(expected.values()).sort()[expected.size >> 1]);
  });
});
