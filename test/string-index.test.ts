import { expect, it } from 'vitest';
import { StringIndex } from '../src/timeline/string-index.js';

it('gives each distinct string one dense index, through growth and collisions', () => {
  const idx = new StringIndex();
  const words = Array.from({ length: 50_000 }, (_, i) => `C${i}`);
  words.forEach((w, i) => expect(idx.intern(w)).toBe(i));
  words.forEach((w, i) => expect(idx.intern(w)).toBe(i));
  expect(idx.get('C49999')).toBe(49_999);
  expect(idx.get('nope')).toBe(-1);
  expect(idx.intern('')).toBe(50_000);
  expect(idx.values.length).toBe(50_001);
});
