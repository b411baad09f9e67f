import { expect, it } from 'vitest';
import { hash, StringIndex } from '../src/timeline/string-index.js';

/** Numbers in [0, 1) from a seed, the same every run, so that a failure can be replayed. */
const seeded = (seed: number) => () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) / 2 ** 24;
/** The order of `<`, which the index's order must give. */
const byLt = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

it('gives each distinct string one dense index, through growth and collisions', () => {
  const idx = new StringIndex();
  const words = Array.from({ length: 50_000 }, (_, i) => `C${i}`);
  // One expect per pass over the 50,000 words, not one per word.
  expect(words.map((w) => idx.intern(w))).toEqual([...words.keys()]);
  expect(words.map((w) => idx.intern(w))).toEqual([...words.keys()]);
  expect(idx.get('C49999')).toBe(49_999);
  expect(idx.get('nope')).toBe(-1);
  expect(idx.intern('')).toBe(50_000);
  expect(idx.size).toBe(50_001);
  expect(idx.value(49_999)).toBe('C49999');
});

it('keeps any text: accents, emoji, long strings, strings that only differ past ASCII', () => {
  const idx = new StringIndex();
  const words = ['', 'Café’s', 'Cafe’s', 'Café', '😀 child', 'x'.repeat(200_000), 'ab', 'a\u00e9', 'a\u00e8'];
  for (const [i, w] of words.entries()) expect(idx.intern(w)).toBe(i);
  for (const [i, w] of words.entries()) expect([idx.get(w), idx.value(i)]).toEqual([i, w]);
  const packed = idx.pack();
  for (const [i, w] of words.entries()) expect(StringIndex.unpack(packed, i)).toBe(w);
});

it('keeps strings either side of the 255-byte length a header holds in one byte, by string and by bytes', () => {
  const idx = new StringIndex();
  // Lengths 253 to 257 in a shuffled order, ASCII and not, past enough indexes that some are 0xf0 and up.
  const words = [...Array.from({ length: 300 }, (_, i) => `W${i}`)];
  for (const n of [255, 253, 257, 254, 256]) words.push('a'.repeat(n), `${'é'.repeat(126)}${'b'.repeat(n - 252)}`);
  const bytes = Buffer.from(words.join('\n'));
  for (const [i, w] of words.entries()) expect(idx.intern(w)).toBe(i);
  let at = 0;
  for (const [i, w] of words.entries()) {
    const n = Buffer.byteLength(w);
    if (n === w.length) expect(idx.internAscii(bytes, at, n)).toBe(i); // ASCII: a byte a unit
    at += n + 1;
  }
  for (const [i, w] of words.entries())
    expect([idx.get(w), idx.value(i), idx.byteLength(i)]).toEqual([i, w, Buffer.byteLength(w)]);
  expect(idx.get('a'.repeat(258))).toBe(-1);
  const packed = idx.pack();
  for (const [i, w] of words.entries()) expect([StringIndex.unpack(packed, i), packed.hashes[i]]).toEqual([w, hash(w)]);
  // A string's header holds its index: bytes of 0xf0 and up there are no sign of text beyond U+FFFF.
  const order = idx.order();
  expect(order).toBeDefined();
  const sorted = [...words].sort(byLt);
  expect(Array.from(order!, (i) => idx.value(i))).toEqual(sorted);
  const moved = idx.permuted(order!);
  expect(Array.from({ length: moved.size }, (_, k) => moved.value(k))).toEqual(sorted);
});

it('reads a lone surrogate (broken UTF-16) as the replacement character, once', () => {
  const idx = new StringIndex();
  const broken = 'C\ud800';
  expect(idx.intern(broken)).toBe(0);
  expect(idx.intern(broken)).toBe(0);
  expect(idx.get('C\ufffd')).toBe(0);
  expect(idx.value(0)).toBe('C\ufffd');
});

it('orders indexes as `<` orders their strings, or declines where bytes cannot tell', () => {
  // Seeded, so a failure can be replayed.
  const rand = seeded(11);
  const alphabet = [
    'A',
    'B',
    'a',
    '0',
    '9',
    ' ',
    '-',
    '\u0000',
    'é',
    'ß',
    '\u00ff',
    '\u0100',
    '中',
    '\ufffd',
    '\ue000',
  ];
  const idx = new StringIndex();
  const words = new Set<string>(['', 'CH', 'CH0', 'CH00', 'CH000']);
  while (words.size < 3000) {
    let w = rand() < 0.5 ? 'CH00' : '';
    for (let n = Math.floor(rand() * 8); n > 0; n--) w += alphabet[Math.floor(rand() * alphabet.length)];
    words.add(w);
  }
  for (const w of words) idx.intern(w);
  const order = idx.order();
  expect(order).toBeDefined();
  const expected = [...words].sort(byLt);
  expect(Array.from(order!, (i) => idx.value(i))).toEqual(expected);

  // Past U+FFFF, UTF-16 order ('\ud83d...' < '\ue000') is not byte order: the caller sorts strings.
  idx.intern('😀');
  expect(idx.order()).toBeUndefined();
  // Long shared prefixes, strings that are prefixes of others, NULs: each goes round again.
  const deep = new StringIndex();
  const many = Array.from(
    { length: 500 },
    (_, i) => 'p'.repeat(300) + String(i % 37).repeat(1 + (i % 5)) + '\u0000'.repeat(i % 3),
  );
  for (const w of new Set(many)) deep.intern(w);
  expect(Array.from(deep.order()!, (i) => deep.value(i))).toEqual([...new Set(many)].sort(byLt));
});

it('orders ids that share their first bytes, one of them being those bytes alone', () => {
  const idx = new StringIndex();
  // Shuffled by a multiplier prime to 1,001: CH0, CH00000, CH00001 ... CH00999.
  const ids = ['CH0', ...Array.from({ length: 1000 }, (_, i) => `CH0${String((i * 389) % 1000).padStart(4, '0')}`)];
  for (const id of ids) idx.intern(id);
  const sorted = [...ids].sort(byLt);
  expect(sorted[0]).toBe('CH0');
  expect(Array.from(idx.order()!, (i) => idx.value(i))).toEqual(sorted);
});

it("orders two runs each in order (two threads' children, one after the other) by merging them", () => {
  // Seeded, so a failure can be replayed: prefixes of each other, shared starts, either run
  // first or last overall, runs of one.
  const rand = seeded(5);
  for (let round = 0; round < 200; round++) {
    const words = new Set<string>();
    const size = 2 + Math.floor(rand() * 60);
    while (words.size < size) {
      let w = rand() < 0.5 ? 'CH0' : '';
      for (let n = Math.floor(rand() * 5); n > 0; n--) w += 'ab0é'[Math.floor(rand() * 4)];
      words.add(w);
    }
    const all = [...words];
    const first = all.filter(() => rand() < [0.5, 0.05, 0.95][round % 3]).sort(byLt);
    const second = all.filter((w) => !first.includes(w)).sort(byLt);
    const idx = new StringIndex();
    for (const w of [...first, ...second]) idx.intern(w);
    const order = idx.order();
    expect(
      Array.from(order!, (i) => idx.value(i)),
      JSON.stringify([first, second]),
    ).toEqual([...all].sort(byLt));
  }
});

it('orders many ids that tie on their first ten bytes and differ only after them', () => {
  const idx = new StringIndex();
  // No prefix common to all; 600 ids share ten bytes after "X", and differ only in the last three.
  const ids = [
    ...Array.from({ length: 600 }, (_, i) => `XABCDEFGHIJ${String((i * 7) % 600).padStart(3, '0')}`),
    'XABCDEFGHI',
    'XABCDEFGHIJ',
    'Y',
    'XABCDEFGHIK',
  ];
  for (const id of ids) idx.intern(id);
  const sorted = [...ids].sort(byLt);
  expect(Array.from(idx.order()!, (i) => idx.value(i))).toEqual(sorted);
});

it('takes in another index packed, by bytes: the same strings find the same indexes', () => {
  const here = new StringIndex();
  const there = new StringIndex();
  for (const w of ['A1', 'Café', 'B2', 'C\ud800']) here.intern(w);
  for (const w of ['B2', 'Z9', 'Café', '😀', 'C\ufffd', 'A1x']) there.intern(w);
  const packed = there.pack();
  const got = Array.from(packed.ends, (_, k) => {
    const i = here.findPacked(packed, k);
    return i >= 0 ? i : here.appendPacked(packed, k);
  });
  expect(got).toEqual([2, 4, 1, 5, 3, 6]);
  expect([here.size, here.value(4), here.value(5), here.value(6)]).toEqual([7, 'Z9', '😀', 'A1x']);
  // Appended strings are not in the hash table: looking up by string is refused, not wrong.
  expect(() => here.get('Z9')).toThrow(/no longer searchable/);
  expect(() => here.intern('Z9')).toThrow(/no longer searchable/);
});

it('orders runs of ids that tie on five bytes by the five after them: ends, NULs and bytes past them', () => {
  // Seeded, so a failure can be replayed. Each round: ids that share "CH0" and five more bytes
  // (a tie of the first round), then differ in the next five: some end there, some go on with
  // NULs (which a byte past the end reads as), some only past the tenth byte. Enough ids that the
  // first round is a sort, not an insertion sort of the few.
  const rand = seeded(17);
  const tails = [
    '',
    '\u0000',
    '\u0000\u0000',
    'a',
    'a\u0000',
    'ab',
    'abcde',
    'abcde\u0000',
    'abcdef',
    'abcdeg',
    '\u00e9',
  ];
  for (let round = 0; round < 60; round++) {
    const words = new Set<string>();
    const heads = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => String(10000 + Math.floor(rand() * 90000)));
    while (words.size < 20 + Math.floor(rand() * 80)) {
      let w = `CH0${heads[Math.floor(rand() * heads.length)]}${tails[Math.floor(rand() * tails.length)]}`;
      if (rand() < 0.3) w += tails[Math.floor(rand() * tails.length)];
      words.add(w);
    }
    const idx = new StringIndex();
    const all = [...words];
    for (const w of all) idx.intern(w);
    expect(
      Array.from(idx.order()!, (i) => idx.value(i)),
      JSON.stringify(all),
    ).toEqual([...all].sort(byLt));
  }
});

it('tells apart short ids held in their slot by every character, and from text they would pack alike', () => {
  // Up to 9 ASCII characters are held in the slot, 7 bits each (character 4 straddles two words).
  const idx = new StringIndex();
  const words = new Set<string>(['']);
  for (let n = 1; n <= 11; n++)
    for (let k = 0; k < n; k++)
      for (const c of ['\u0000', 'a', '-', '}', '\u007f']) words.add(`${'m'.repeat(k)}${c}${'m'.repeat(n - k - 1)}`);
  // Bytes of 0x80 and up would pack alike if their top bit were dropped: é is C3 A9, "C)" 43 29.
  for (const w of ['C)', 'é', 'mmmmmmmC)', 'mmmmmmmé', 'mmmm\u0080', 'mmmm\u0000\u0000']) words.add(w);
  const list = [...words];
  expect(list.map((w) => idx.intern(w))).toEqual([...list.keys()]);
  expect(list.map((w) => idx.get(w))).toEqual([...list.keys()]);
  const bytes = Buffer.from(list.join('\n'));
  let at = 0;
  const byBytes = list.map((w) => {
    const n = Buffer.byteLength(w);
    const i = n === w.length ? idx.internAscii(bytes, at, n) : idx.get(w); // as many bytes as units: ASCII
    at += n + 1;
    return i;
  });
  expect(byBytes).toEqual([...list.keys()]);
  expect(idx.size).toBe(list.length);
  // Another index's strings, packed with their hashes, find the same ones by bytes.
  const there = new StringIndex();
  for (const w of [...list].reverse()) there.intern(w);
  const packed = there.pack();
  expect(Array.from(packed.ends, (_, k) => idx.findPacked(packed, k))).toEqual([...list.keys()].reverse());
  expect(Array.from(packed.hashes)).toEqual([...list].reverse().map(hash));
});

it('finds every id again after the table grows, short and long, ASCII and not', () => {
  const random = seeded(17);
  const idx = new StringIndex();
  const alphabet = 'AZaz09-_ é😀';
  const words = new Set<string>();
  while (words.size < 40_000) {
    const n = 1 + Math.floor(random() * 14);
    let w = '';
    for (let k = 0; k < n; k++) w += [...alphabet][Math.floor(random() * 12)];
    words.add(w);
  }
  const list = [...words];
  expect(list.map((w) => idx.intern(w))).toEqual([...list.keys()]);
  expect(list.map((w) => idx.get(w))).toEqual([...list.keys()]);
  expect(list.map((_, i) => idx.value(i))).toEqual(list);
});
