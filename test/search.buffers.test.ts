/** ScoreBuffers: the document sets a search takes come back zeroed, and only a few are kept for the next search. */
import { describe, expect, it } from 'vitest';
import { ScoreBuffers } from '../src/search/score.js';

describe('ScoreBuffers', () => {
  it('hands out zeroed mark and bit sets and keeps at most four of each between searches', () => {
    const buffers = new ScoreBuffers(100);
    const first = Array.from({ length: 6 }, () => buffers.takeMarks());
    const firstBits = Array.from({ length: 6 }, () => buffers.takeBits());
    expect(firstBits[0]!.length).toBe(4);
    first.forEach((marks, i) => marks.fill(i + 1));
    firstBits.forEach((bits, i) => bits.fill(i + 1));
    buffers.releaseAll(new Uint32Array(0));
    const again = Array.from({ length: 6 }, () => buffers.takeMarks());
    const againBits = Array.from({ length: 6 }, () => buffers.takeBits());
    expect(again.filter((marks) => first.includes(marks))).toHaveLength(4);
    expect(againBits.filter((bits) => firstBits.includes(bits))).toHaveLength(4);
    for (const set of [...again, ...againBits]) expect(set.every((value) => value === 0)).toBe(true);
  });
});
