import { expect, it } from 'vitest';
import { type ChildResult } from '../src/measures/decision.js';
import { FamilyTally } from '../src/measures/journey.js';
import { ChildStore } from '../src/timeline/store.js';

// A decided child of family `f` (a store index), as the tally sees it.
const child = (c: number, f: number, decisionOn: number) =>
  ({ source: { familyIndex: f, childIndex: c }, decisionOn }) as unknown as ChildResult;

it('lists sibling groups widest span first, then by family id in code-unit order, whatever the indexes', () => {
  const store = new ChildStore();
  // Indexes in another order than the names; 'é' and '😀' sort after ASCII (the second by a sort
  // of decoded strings, since its bytes alone do not give the order of `<`).
  const names = ['b', 'é', 'a', 'B', '😀', 'c'];
  for (const [i, name] of names.entries()) store.setFamily(store.childOf(`C${i}`), name);
  const f = (name: string) => store.family.get(store.indexOf(`C${names.indexOf(name)}`));
  const tally = new FamilyTally(
    store.families,
    (k) => store.familyName(k),
    () => store.familiesByName(),
  );
  let c = 0;
  // Two children each; spans: b 10, é 0, a none (one decided), B 10, 😀 none, c (one child) none.
  for (const [name, days] of [
    ['b', [0, 10]],
    ['é', [5, 5]],
    ['a', [3, NaN]],
    ['B', [20, 30]],
    ['😀', [NaN, NaN]],
    ['c', [1]],
  ] as const)
    for (const day of days) tally.add(child(c++, f(name), day));
  const s = tally.summary();
  expect([s.siblingGroups, s.groupsOfMoreThanOne, s.groups.length]).toEqual([6, 5, 5]);
  expect([...s.groups].map((g) => [g.familyId, g.spanDays])).toEqual([
    ['B', 10],
    ['b', 10],
    ['é', 0],
    ['a', null],
    ['😀', null],
  ]);
  expect(s.groups.slice(1, 3).map((g) => g.familyId)).toEqual(['b', 'é']);
  expect(s.groups.map((g) => g.children)).toEqual([2, 2, 2, 2, 2]);
});

it('numbers families again in the order of their first child by id, each child keeping its family by name', () => {
  const store = new ChildStore();
  // Children met out of id order; families met in another order again. C4's rows disagree: it
  // keeps the smaller family id, "F0", so "F9" is left with no child. C2 has no family id.
  const rows: [string, string][] = [
    ['C5', 'F2'],
    ['C3', 'F1'],
    ['C4', 'F9'],
    ['C1', 'F3'],
    ['C2', ''],
    ['C4', 'F0'],
    ['C6', 'F3'],
  ];
  for (const [id, family] of rows) store.setFamily(store.childOf(id), family);
  const familyOf = (s: ChildStore) =>
    Object.fromEntries(Array.from(s.byId(), (c) => [s.id(c), s.familyName(s.family.get(c))]));
  const before = familyOf(store);
  store.releaseEvents();
  const rank = store.renumberById();
  expect(rank).toBeDefined();
  // Children in id order, numbered 0, 1, 2...
  expect(Array.from({ length: store.size }, (_, c) => store.id(c))).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6']);
  expect(familyOf(store)).toEqual(before);
  expect(before).toMatchObject({ C2: '', C4: 'F0', C6: 'F3' });
  // Families by first child (C1: F3, C3: F1, C4: F0, C5: F2), then the one no child kept.
  expect(Array.from({ length: store.families }, (_, f) => store.familyName(f))).toEqual([
    '',
    'F3',
    'F1',
    'F0',
    'F2',
    'F9',
  ]);
  expect(Array.from(store.familiesByName(), (f) => store.familyName(f))).toEqual(['', 'F0', 'F1', 'F2', 'F3', 'F9']);
});
