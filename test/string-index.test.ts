import { expect, it } from 'vitest';
import { StringIndex } from '../src/timeline/string-index.js';

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

it('reads a lone surrogate (broken UTF-16) as the replacement character, once', () => {
  const idx = new StringIndex();
  const broken = 'C\ud800';
  expect(idx.intern(broken)).toBe(0);
  expect(idx.intern(broken)).toBe(0);
  expect(idx.get('C\ufffd')).toBe(0);
  expect(idx.value(0)).toBe('C\ufffd');
});
