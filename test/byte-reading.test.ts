// The pieces the fast path reads rows with, straight from bytes (src/intake/plain.ts): each must
// give what the string path gives for the same cell.
import { describe, expect, it } from 'vitest';
import { dateParser, NOT_FAST } from '../src/dates/parse.js';
import { ByteMemo } from '../src/intake/byte-memo.js';
import { Records } from '../src/timeline/column.js';
import { StringIndex } from '../src/timeline/string-index.js';
import { seeded } from './helpers.js';

const ascii = (s: string) => Buffer.from(s, 'latin1');

describe('DateParser.bytes', () => {
  it('reads the commonest shapes to hand-worked day numbers', () => {
    const p = dateParser();
    // Days since 1970-01-01, worked out by hand: 2017-11-10 is 47 years and 313 days on.
    expect(p.bytes(ascii('2017-11-10'), 0, 10)).toBe(17480);
    expect(p.bytes(ascii('xx10/11/2017yy'), 2, 12)).toBe(17480);
    expect(p.bytes(ascii('29.02.2020'), 0, 10)).toBe(18321);
    expect(p.bytes(ascii('1900-01-01'), 0, 10)).toBe(-25567);
    expect(p.bytes(ascii('2017-02-30'), 0, 10)).toBeNaN();
    expect(p.bytes(ascii('1899-12-31'), 0, 10)).toBeNaN(); // before the dates accepted
    expect(p.bytes(ascii('20a7-11-10'), 0, 10)).toBeNaN();
    // Other shapes are left to the text parser.
    expect(p.bytes(ascii('1/11/2017'), 0, 9)).toBe(NOT_FAST);
    expect(p.bytes(ascii('10 Nov 2017'), 0, 11)).toBe(NOT_FAST);
    expect(dateParser(['yyyy-mm-dd']).bytes(ascii('10/11/2017'), 0, 10)).toBe(NOT_FAST);
    expect(dateParser(['mm/dd/yyyy']).bytes(ascii('10/11/2017'), 0, 10)).toBe(NOT_FAST);
  });

  it('gives what the text parser gives, for every format list, on generated cells', () => {
    const rand = seeded(3);
    const chars = '0123456789-/.x 9';
    const lists = [
      undefined,
      ['yyyy-mm-dd'],
      ['dd/mm/yyyy'],
      ['dd-mm-yyyy', 'dd.mm.yyyy'],
      ['mm/dd/yyyy', 'yyyy-mm-dd'],
    ];
    for (const formats of lists) {
      const p = dateParser(formats as Parameters<typeof dateParser>[0]);
      let fast = 0;
      const wrong: string[] = [];
      for (let n = 0; n < 8_000; n++) {
        const y = 1890 + Math.floor(rand() * 140);
        const m = Math.floor(rand() * 14);
        const d = Math.floor(rand() * 33);
        const pad = (v: number) => String(v).padStart(2, '0');
        const shapes = [
          `${y}-${pad(m)}-${pad(d)}`,
          `${pad(d)}/${pad(m)}/${y}`,
          `${pad(d)}-${pad(m)}-${y}`,
          `${pad(d)}.${pad(m)}.${y}`,
        ];
        let s = shapes[n % 4];
        if (rand() < 0.2) {
          const k = Math.floor(rand() * 10);
          s = s.slice(0, k) + chars[Math.floor(rand() * chars.length)] + s.slice(k + 1);
        }
        const got = p.bytes(ascii(`  ${s}`), 2, 2 + s.length);
        if (got === NOT_FAST) continue;
        fast++;
        if (!Object.is(got, p(s))) wrong.push(s);
      }
      expect(wrong).toEqual([]);
      expect(fast).toBeGreaterThan(800); // the fast shapes were really met
    }
  });
});

describe('ByteMemo', () => {
  it('gives what the function gives for each cell, reading each distinct cell once', () => {
    const seen: string[] = [];
    const memo = new ByteMemo((t) => {
      seen.push(t);
      return t.length * 10 + (t.charCodeAt(0) || 0);
    }, 64);
    const buf = ascii('review,accommodated,,review,REVIEW,accommodated');
    const cells = [
      [0, 6],
      [7, 19],
      [20, 20],
      [21, 27],
      [28, 34],
      [35, 47],
    ];
    const got = cells.map(([a, b]) => memo.get(buf, a, b));
    expect(got).toEqual([60 + 114, 120 + 97, 0, 60 + 114, 60 + 82, 120 + 97]);
    expect(seen).toEqual(['review', 'accommodated', '', 'REVIEW']);
  });

  it('stays right with more distinct cells than it remembers, and with long cells', () => {
    const memo = new ByteMemo((t) => Number(t.slice(1)), 16);
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < 1000; i++) {
        const b = ascii(`c${i}`);
        expect(memo.get(b, 0, b.length)).toBe(i);
      }
    const long = ascii(`c${'0'.repeat(40)}7`);
    expect(memo.get(long, 0, long.length)).toBe(7);
    const nan = new ByteMemo(() => Number.NaN, 16);
    expect(nan.get(ascii('x'), 0, 1)).toBeNaN();
    expect(nan.get(ascii('x'), 0, 1)).toBeNaN();
  });
});

describe('StringIndex.internAscii', () => {
  it('gives an id the index its string gets, whichever way it came first', () => {
    const idx = new StringIndex();
    const ids = Array.from({ length: 30_000 }, (_, i) => `CH${i}`);
    const buf = ascii(ids.join(','));
    let at = 0;
    const spans = ids.map((id) => {
      const s = [at, id.length];
      at += id.length + 1;
      return s;
    });
    // Even ids as strings first, odd ones as bytes; then every id both ways.
    const first = ids.map((id, i) => (i % 2 ? idx.internAscii(buf, spans[i][0], spans[i][1]) : idx.intern(id)));
    expect(first).toEqual([...ids.keys()]);
    expect(ids.map((id) => idx.intern(id))).toEqual([...ids.keys()]);
    expect(spans.map(([a, n]) => idx.internAscii(buf, a, n))).toEqual([...ids.keys()]);
    expect(idx.value(29_999)).toBe('CH29999');
    expect(idx.internAscii(ascii('x'), 0, 0)).toBe(30_000); // the empty id
    expect(idx.get('')).toBe(30_000);
    // Handed to another index as packed bytes with their hashes, each is found there.
    const other = new StringIndex();
    for (const id of ids.slice(0, 100)) other.intern(id);
    const packed = idx.pack();
    expect(Array.from({ length: 200 }, (_, i) => other.findPacked(packed, i))).toEqual([
      ...Array.from({ length: 100 }, (_, i) => i),
      ...Array(100).fill(-1),
    ]);
  });

  it('tells apart ids of equal hash slot but different bytes or length', () => {
    const idx = new StringIndex();
    const buf = ascii('C1C10C1 C01');
    expect(idx.internAscii(buf, 0, 2)).toBe(0); // C1
    expect(idx.internAscii(buf, 2, 3)).toBe(1); // C10
    expect(idx.internAscii(buf, 5, 2)).toBe(0); // C1 again
    expect(idx.internAscii(buf, 5, 3)).toBe(2); // "C1 "
    expect(idx.internAscii(buf, 8, 3)).toBe(3); // C01
    expect([0, 1, 2, 3].map((i) => idx.value(i))).toEqual(['C1', 'C10', 'C1 ', 'C01']);
  });
});

describe('Records', () => {
  it('keeps each field of each index apart, starting from its initial value', () => {
    const r = new Records([0, -5, 7]);
    r.reserve(40_000);
    expect([r.get(0, 0), r.get(0, 1), r.get(39_999, 2)]).toEqual([0, -5, 7]);
    for (let i = 0; i < 40_000; i++) r.set(i, i % 3, i);
    for (const i of [0, 1, 2, 16_383, 16_384, 39_999]) {
      const want = [0, -5, 7];
      want[i % 3] = i;
      expect([r.get(i, 0), r.get(i, 1), r.get(i, 2)]).toEqual(want);
    }
    const moved = Records.of([0, -5, 7], r.take());
    expect(moved.get(39_999, 0)).toBe(39_999);
    const view = moved.field(1);
    view.set(5, 99);
    expect([view.get(5), moved.get(5, 1)]).toEqual([99, 99]);
  });
});
