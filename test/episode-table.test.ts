import { expect, it } from 'vitest';
import { Ev } from '../src/model.js';
import { EpisodeTable } from '../src/timeline/episodes.js';
import { ChildStore } from '../src/timeline/store.js';
import { d } from './helpers.js';

it('keeps each first date exactly, near its start or centuries after it, and the route of the first decision', () => {
  const store = new ChildStore();
  const c = store.childOf('A');
  store.setEpisodes(c, 2);
  const table = new EpisodeTable(store);
  const near = table.open(c, 1, d('2018-01-01'), 2);
  table.setFirst(near, Ev.Decision, d('2018-01-01'), 3); // the same day: 0 days after
  table.setFirst(near, Ev.Decision, d('2018-02-01'), 1); // a later decision changes nothing
  table.setFirst(near, Ev.Adm, d('2197-06-04'), 0); // 65,533 days: the most kept in 16 bits
  table.setFirst(near, Ev.Ceased, d('2197-06-05'), 0); // a day more: kept aside
  const far = table.open(c, 2, d('1850-03-04'), 9);
  table.setFirst(far, Ev.Panel, d('2030-12-31'), 0); // 180 years on: kept aside
  table.setFirst(far, Ev.Panel, d('2031-01-01'), 0);
  const a = table.get(near);
  expect([a.n, a.start, a.startLine, a.route, a.episodes]).toEqual([1, d('2018-01-01'), 2, 3, 2]);
  expect(d('2197-06-04') - d('2018-01-01')).toBe(65533);
  expect(a.first).toEqual([d('2018-01-01'), NaN, d('2018-01-01'), NaN, d('2197-06-04'), NaN, NaN, d('2197-06-05')]);
  expect(a.end).toBe(d('2197-06-05'));
  const b = table.get(far);
  expect([b.n, b.start, b.route, b.first[Ev.Panel], b.end]).toEqual([2, d('1850-03-04'), 0, d('2030-12-31'), NaN]);
  expect([table.nOf(far), table.childOf(far), table.firstOf(far, Ev.Decision)]).toEqual([2, c, NaN]);
});
