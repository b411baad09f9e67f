import { describe, expect, it } from 'vitest';
import { audit, results } from '../src/commands/audit/audit.js';
import { childJourneyJson, childrenJson, childrenNdjson } from '../src/commands/audit/render.js';
import { dayFromCivil } from '../src/dates/days.js';
import { parseDuration } from '../src/dates/duration.js';
import { defaultStageTargets } from '../src/measures/stages.js';
import { JsonBytes } from '../src/report/json-bytes.js';
import { ChildStore } from '../src/timeline/store.js';
import { csv, csvFile, d } from './helpers.js';

/** What `write` puts into a JsonBytes, as text. */
function written(write: (out: JsonBytes) => void): string {
  const out = new JsonBytes();
  out.room(1024);
  write(out);
  return out.rest()?.toString('utf8') ?? '';
}

describe('JsonBytes writes what JSON.stringify would', () => {
  it('integers, nulls and the odd number', () => {
    const cases: [number | null, string][] = [
      [0, '0'],
      [7, '7'],
      [10, '10'],
      [-1, '-1'],
      [-228, '-228'],
      [1234567890, '1234567890'],
      [999999999999999, '999999999999999'],
      [1e15, '1000000000000000'],
      [2.5, '2.5'],
      [null, 'null'],
      [Number.NaN, 'null'],
      [Number.POSITIVE_INFINITY, 'null'],
    ];
    for (const [n, text] of cases) expect(written((o) => o.int(n))).toBe(text);
  });

  it('dates inside and outside the cached years, and no date', () => {
    expect(written((o) => o.day(d('2018-01-01')))).toBe('"2018-01-01"');
    expect(written((o) => o.day(d('2016-02-29')))).toBe('"2016-02-29"');
    expect(written((o) => o.day(d('1900-01-01')))).toBe('"1900-01-01"');
    expect(written((o) => o.day(d('2099-12-31')))).toBe('"2099-12-31"');
    expect(written((o) => o.day(d('1899-12-31')))).toBe('"1899-12-31"');
    expect(written((o) => o.day(d('2100-01-01')))).toBe('"2100-01-01"');
    expect(written((o) => o.day(dayFromCivil(10019, 3, 1)))).toBe('"10019-03-01"');
    expect(written((o) => o.day(Number.NaN))).toBe('null');
    // Asked twice: the second comes from the cache.
    expect(
      written((o) => {
        o.day(d('2018-01-01'));
        o.day(d('2018-01-01'));
      }),
    ).toBe('"2018-01-01""2018-01-01"');
  });

  it('text from the export: escapes as JSON requires, UTF-8 otherwise', () => {
    const cases: [string | null, string][] = [
      ['C0042', '"C0042"'],
      ['a"b', '"a\\"b"'],
      ['a\\b', '"a\\\\b"'],
      ['\u0001\n\t', '"\\u0001\\n\\t"'],
      ['\u001b[31m', '"\\u001b[31m"'],
      ['ZOÉ', '"ZOÉ"'],
      ['李', '"李"'],
      ['\u{1F600}', '"\u{1F600}"'],
      ['x\ud800y', '"x\\ud800y"'], // a lone surrogate, escaped as JSON.stringify does
      ['\udc00', '"\\udc00"'],
      ['', '""'],
      [null, 'null'],
    ];
    for (const [s, text] of cases) expect(written((o) => o.text(s))).toBe(text);
  });
});

describe('childrenJson', () => {
  const params = {
    asOf: d('2018-11-01'),
    from: Number.NaN,
    to: Number.NaN,
    maxAge: 12,
    target: parseDuration('7.5m'),
    aim: 75,
    stageTargets: defaultStageTargets(),
    dueWithin: parseDuration('28d'),
  };
  const entries = (text: string) =>
    audit(params, { file: csvFile(text) }).then((r) => Object.assign([...results(r)], { ids: r.episodes.store }));
  const ev = (id: string, family: string, event: string, date: string, route = '') =>
    `${id},${family},${event === 'accommodated' ? '2012-01-01' : ''},${event},${date},${route}`;

  it('writes, across many 64 KiB blocks, exactly the journey objects through JSON.stringify', async () => {
    const lines: string[] = [];
    const odd = ['Q"1', 'B\\2', 'ZOÉ', '李', 'E\u{1F600}'];
    for (let i = 0; i < 400; i++) {
      const id = i < odd.length ? `"${odd[i].replaceAll('"', '""')}"` : `C${String(i).padStart(4, '0')}`;
      // Family ids that need escaping, or are not ASCII, as well as plain ones.
      const family = i % 7 === 0 ? '' : i % 11 === 0 ? `"F""${i}\\"` : i % 13 === 0 ? `F${i}é` : `F${i >> 1}`;
      lines.push(ev(id, family, 'accommodated', '2017-11-10'));
      if (i % 3 === 0) lines.push(ev(id, family, 'permanence_decision', '2018-05-01', 'adoption'));
      if (i % 6 === 0) lines.push(ev(id, family, 'permanence_panel', '2018-07-01'));
      if (i % 5 === 0) lines.push(ev(id, family, 'ceased_accommodated', '2018-09-01'));
    }
    const all = await entries(csv(...lines));
    expect(all.length).toBe(400);
    const chunks = [...childrenJson(all, params, all.ids)('  ')];
    expect(chunks.length).toBeGreaterThan(4); // ~1 KB an entry: several blocks
    const text = Buffer.concat(chunks as Uint8Array[]).toString('utf8');
    const expected = `[\n    ${all.map((c) => JSON.stringify(childJourneyJson(c, params))).join(',\n    ')}\n  ]`;
    expect(text).toBe(expected);
    const ndjson = Buffer.concat([...childrenNdjson(all, params, all.ids)] as Uint8Array[]).toString('utf8');
    expect(ndjson).toBe(
      all.map((c) => `${JSON.stringify({ type: 'child', ...childJourneyJson(c, params) })}\n`).join(''),
    );
    const ids = new Set(JSON.parse(text).map((c: { childId: string }) => c.childId));
    for (const id of odd) expect(ids.has(id)).toBe(true);
    const families = new Set(JSON.parse(text).map((c: { familyId: string | null }) => c.familyId));
    for (const family of ['F"11\\', 'F13é', null]) expect(families.has(family)).toBe(true);
  });

  it('writes [] for no children', () => {
    const text = Buffer.concat([...childrenJson([], params, new ChildStore())('  ')] as Uint8Array[]).toString('utf8');
    expect(text).toBe('[]');
  });
});
