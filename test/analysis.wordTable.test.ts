/** The vocabulary's own hash table: terms of one to three UTF-16 units are told apart by their units, longer ones by text. */
import { describe, expect, it } from 'vitest';
import { termHash, WordTable } from '../src/analysis/wordTable.js';

describe('WordTable', () => {
  // Every term on one hash: only the slot's key (or, for key 0, the text) can tell them apart.
  const sharing = ['中', '中国', '国中', '中国人', '中国心', '中国\u0000', '\u0000中国', '中国人民', '\u0000', '\u0000中', '中\u0000', '\uffff', '\uffff中', '\ud83d\ude00', 'ab', 'a', 'b'];

  it('numbers terms that share a hash apart, whatever their length and first unit', () => {
    const table = new WordTable();
    const ids = sharing.map((term) => table.add(term, 7));
    expect(ids).toEqual(sharing.map((_, i) => i));
    expect(sharing.map((term) => table.idAt(table.slotOf(term, 7)))).toEqual(ids);
    expect(sharing.map((term) => table.add(term, 7))).toEqual(ids);
    for (const absent of ['国', '中国民', '中国人们', '\u0000\u0000', '\ufffe中', 'ba']) expect(table.slotOf(absent, 7)).toBeLessThan(0);
    expect(ids.map((id) => table.term(id))).toEqual(sharing);
  });

  it('finds every term again after its table has grown', () => {
    const table = new WordTable();
    const terms: string[] = [];
    for (let unit = 0x4e00; unit < 0x4e00 + 3000; unit++) {
      const second = 0x4e00 + ((unit * 7) % 3000);
      terms.push(String.fromCharCode(unit), String.fromCharCode(unit, second), String.fromCharCode(unit, second, unit), String.fromCharCode(unit, second, 0x4e00));
    }
    terms.push(...sharing);
    const distinct = [...new Set(terms)];
    const ids = distinct.map((term) => table.add(term, termHash(term)));
    expect(ids).toEqual(distinct.map((_, i) => i));
    expect(distinct.map((term) => table.idAt(table.slotOf(term, termHash(term))))).toEqual(ids);
    expect(table.size).toBe(distinct.length);
  });

  it("keeps a word's facts beside the third unit of a term of three: its sub-words and stop words across a growth", () => {
    const table = new WordTable(false);
    const hash = termHash('数据库');
    table.add('数据库', hash);
    table.setFacts('数据库', hash, false, [table.add('数据'), 0, 2, table.add('据库'), 1, 3]);
    table.add('的确是');
    table.setFacts('的确是', termHash('的确是'), true, []);
    for (let unit = 0x5000; unit < 0x5000 + 5000; unit++) table.add(String.fromCharCode(unit, unit, unit));
    table.pushWord(table.slotOf('数据库', hash), 10, 13, 4);
    table.pushWord(table.slotOf('的确是', termHash('的确是')), 13, 16, 5);
    expect([...table.ids.subarray(0, table.count)].map((id) => table.term(id))).toEqual(['数据库', '数据', '据库']);
    expect([...table.positions.subarray(0, table.count)]).toEqual([4, 4, 4]);
  });
});
