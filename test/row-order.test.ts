// Every finding and figure is a function of the set of rows, not of their order (issue 9.4).
import { describe, expect, it } from 'vitest';
import { audit } from '../src/commands/audit/audit.js';
import { renderJson } from '../src/commands/audit/render.js';
import { parseDuration } from '../src/dates/duration.js';
import { defaultStageTargets } from '../src/measures/stages.js';
import { csv, csvFile, d, loadCsv } from './helpers.js';
import { awkwardRows, exportText, threeOrders, withoutLines } from './orders.js';

async function auditJson(file: string) {
  const params = {
    asOf: d('2018-11-01'),
    from: NaN,
    to: NaN,
    maxAge: 12,
    target: parseDuration('7.5m'),
    aim: 75,
    stageTargets: defaultStageTargets(),
    dueWithin: parseDuration('28d'),
  };
  return [...renderJson(await audit(params, { file }))].join('');
}

describe('row order', () => {
  // A decision on 2017-03-01, then two on 2017-05-01 naming different routes.
  const rows = [
    'A1,F1,2010-01-01,accommodated,2017-01-01,',
    'A1,F1,,permanence_decision,2017-03-01,home',
    'A1,F1,,permanence_decision,2017-05-01,home',
    'A1,F1,,permanence_decision,2017-05-01,adoption',
  ];

  it('finds the same conflict whether the rows come in date order or not', async () => {
    for (const order of [rows, [rows[0], rows[2], rows[3], rows[1]], [rows[3], rows[2], rows[1], rows[0]]]) {
      const { accounting, findings, episodes } = await loadCsv(csv(...order));
      expect(findings.list().map((f) => [f.code, f.childId])).toEqual([
        ['CONFLICTING_EVENT', 'A1'],
        ['CONFLICTING_EVENT', 'A1'],
      ]);
      expect(accounting).toMatchObject({ rowsRead: 4, rowsAccepted: 2, rowsRejected: 2, duplicates: 0 });
      // The decision that counts is the first, whatever came later.
      expect(episodes.get(0).route).toBe(1);
      expect(episodes.firstOf(0, 2)).toBe(d('2017-03-01'));
    }
  });

  it('reports every repeat of an event, even one that cannot count, in any order', async () => {
    const more = [rows[0], 'A1,F1,,review,2017-01-10,', 'A1,F1,,review,2017-02-10,', 'A1,F1,,review,2017-02-10,'];
    for (const order of [more, [more[3], more[2], more[1], more[0]]]) {
      const { accounting, findings } = await loadCsv(csv(...order));
      expect(accounting.duplicates).toBe(1);
      expect(findings.list().map((f) => f.code)).toEqual(['DUPLICATE_ROW']);
    }
  });

  it("takes the same family id, the smallest, when a child's rows disagree", async () => {
    const fam = ['B1,F2,2010-01-01,accommodated,2017-01-01,', 'B1,F1,,review,2017-01-10,'];
    for (const order of [fam, [fam[1], fam[0]]]) {
      const { children } = await loadCsv(csv(...order));
      expect(children.familyName(children.family.get(0))).toBe('F1');
    }
  });

  it('tells family ids apart by every byte, short ones (kept in the child record) and long', async () => {
    // Ids of up to 8 bytes are compared as two words in the child's record, longer ones as bytes.
    for (let n = 1; n <= 11; n++)
      for (let k = 0; k < n; k++) {
        const big = 'mmmmmmmmmmm'.slice(0, n);
        const small = `${big.slice(0, k)}a${big.slice(k + 1)}`;
        const fam = [`B1,${big},2010-01-01,accommodated,2017-01-01,`, `B1,${small},,review,2017-01-10,`];
        for (const order of [fam, [fam[1], fam[0]], [fam[0], fam[0], fam[1], fam[0]]]) {
          const { children } = await loadCsv(csv(...order));
          expect(children.familyName(children.family.get(0)), `${n} bytes, byte ${k}`).toBe(small);
        }
      }
  });

  it('gives the same audit, apart from line numbers, grouped by child, sorted by date and shuffled', async () => {
    const { grouped, byDate, shuffled } = threeOrders(awkwardRows(400, 3), 9);
    const [a, b, c] = await Promise.all(
      [grouped, byDate, shuffled].map((r, i) => auditJson(csvFile(exportText(r), `order-${i}.csv`))),
    );
    const one = withoutLines(a);
    // The export holds every awkward case, so the comparison means something.
    for (const code of [
      'DUPLICATE_ROW',
      'CONFLICTING_EVENT',
      'CONFLICTING_DOB',
      'SECOND_ACCOMMODATED',
      'EVENT_OUTSIDE_EPISODE',
      'DECISION_BEFORE_ACCOMMODATION',
      'INVALID_DATE',
      'UNKNOWN_EVENT',
    ])
      expect(one.input.issueCounts[code], code).toBeGreaterThan(0);
    expect(one.input.duplicates).toBeGreaterThan(0);
    expect(one.summary.reentries).toBeGreaterThan(0);
    expect(withoutLines(b)).toEqual(one);
    expect(withoutLines(c)).toEqual(one);
  });

  it('gives the same audit in several shuffles of several small exports', async () => {
    for (const seed of [21, 22, 23, 24, 25]) {
      const rows = awkwardRows(40, seed);
      const audits = await Promise.all(
        [0, 1, 2].map((k) =>
          auditJson(csvFile(exportText(k === 0 ? rows : threeOrders(rows, seed * 10 + k).shuffled))),
        ),
      );
      for (const other of audits.slice(1)) expect(withoutLines(other), `seed ${seed}`).toEqual(withoutLines(audits[0]));
    }
  });
});
