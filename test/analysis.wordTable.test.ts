/** The vocabulary's own hash table: terms of one or two UTF-16 units are told apart by their key, longer ones by text. */
import { describe, expect, it } from 'vitest';
import { termHash, WordTable } from '../src/analysis/wordTable.js';

describe('WordTable', () => {
  // Every term on one hash: only the slot's key (or, for key 0, the text) can tell them apart.
  const sharing = ['中', '中国', '国中', '中国人', '\u0000', '\u0000中', '中\u0000', '\uffff', '\uffff中', '\ud83d\ude00', 'ab', 'a', 'b'];

  it('numbers terms that share a hash apart, whatever their length and first unit', () => {
    const table = new WordTable();
    const ids = sharing.map((term) => table.add(term, 7));
    expect(ids).toEqual(sharing.map((_, i) => i));
    expect(sharing.map((term) => table.idAt(table.slotOf(term, 7)))).toEqual(ids);
    expect(sharing.map((term) => table.add(term, 7))).toEqual(ids);
    for (const absent of ['国', '中国人民', '\u0000\u0000', '\ufffe中', 'ba']) expect(table.slotOf(absent, 7)).toBeLessThan(0);
    expect(ids.map((id) => table.term(id))).toEqual(sharing);
  });

  it('finds every term again after its table has grown', () => {
    const table = new WordTable();
    const terms: string[] = [];
    for (let unit = 0x4e00; unit < 0x4e00 + 3000; unit++) terms.push(String.fromCharCode(unit), String.fromCharCode(unit, 0x4e00 + ((unit * 7) % 3000)));
    terms.push(...sharing);
    const distinct = [...new Set(terms)];
    const ids = distinct.map((term) => table.add(term, termHash(term)));
    expect(ids).toEqual(distinct.map((_, i) => i));
    expect(distinct.map((term) => table.idAt(table.slotOf(term, termHash(term))))).toEqual(ids);
    expect(table.size).toBe(distinct.length);
  });
});
