#!/usr/bin/env node
// Writes fixtures/sample-export.csv: a synthetic cohort shaped like Midlothian's.
// Audited as of 2018-11-01 from 2017-11-01 it gives 32 children in 25 families, 21 decided
// (20 within 7.5 months, 1 late), 4 overdue, 7 in progress: 95.2% and 80.0%. It also holds rows
// the filters must drop. Seeded, so rerunning it gives the same file. No real child is in it.
import { writeFileSync } from 'node:fs';

let seed = 20181101;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (a) => a[Math.floor(rand() * a.length)];
const between = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

const day = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 864e5;
const iso = (d) => new Date(d * 864e5).toISOString().slice(0, 10);
const plusYears = (s, n) => `${+s.slice(0, 4) + n}${s.slice(4)}`;

const rows = [];
const add = (child, family, dob, event, date, route = '') => rows.push([child, family, dob, event, date, route]);

let n = 0;
const nextId = () => `C${String(++n).padStart(3, '0')}`;
const familyOf = (i) => `F${String(i).padStart(3, '0')}`;
const ROUTES = ['home', 'kinship', 'permanence_order', 'adoption'];

/** One child's journey. `decide` = lag in days to the decision, or null. */
function child({ family, acc, age, decide, route, early = true, stages = true }) {
  const id = nextId();
  const dob = iso(day(plusYears(acc, -age)) - between(10, 300));
  add(id, family, dob, 'accommodated', acc);
  if (early) add(id, family, '', 'review', iso(day(acc) + between(10, 16)));
  add(id, family, '', 'review', iso(day(acc) + between(35, 42)));
  if (decide !== null) {
    const decided = day(acc) + decide;
    add(id, family, '', 'permanence_decision', iso(decided), route);
    if (stages && (route === 'adoption' || route === 'permanence_order')) {
      const panel = decided + between(25, 100);
      const adm = panel + between(4, 20);
      const court = adm + between(20, 90);
      for (const [event, d] of [
        ['permanence_panel', panel],
        ['adm_decision', adm],
        ['court_application', court],
        ['final_order', court + between(40, 160)],
      ])
        add(id, family, '', event, iso(d));
    }
  }
  return id;
}

// 32 children in 25 families, siblings accommodated together and sharing a status:
// within target 14 single children + 3 pairs (20), late 1, overdue 2 pairs (4),
// in progress 1 group of three + 4 single children (7).
const families = [
  ...Array(14).fill(['within', 1]),
  ...Array(3).fill(['within', 2]),
  ['late', 1],
  ...Array(2).fill(['overdue', 2]),
  ['in_progress', 3],
  ...Array(4).fill(['in_progress', 1]),
];
let f = 0;
for (const [status, size] of families) {
  const family = familyOf(++f);
  // Accommodation windows that make each status true as of 2018-11-01 (deadline = +7.5 months).
  const acc =
    status === 'in_progress'
      ? iso(day('2018-03-25') + between(0, 200))
      : status === 'overdue'
        ? iso(day('2017-11-05') + between(0, 120))
        : status === 'late'
          ? '2017-11-10'
          : iso(day('2017-11-01') + between(0, 240));
  for (let k = 0; k < size; k++) {
    const lag =
      status === 'within'
        ? Math.min(between(60, 225), day('2018-10-31') - day(acc))
        : status === 'late'
          ? 252 // decided 2018-07-20; deadline 2018-06-25
          : null;
    child({ family, acc, age: between(0, 11), decide: lag, route: pick(ROUTES), early: rand() > 0.2 });
  }
}
// The first child is one day short of their 12th birthday when accommodated: in the cohort.
const first = rows[0];
const eve = iso(day(first[4]) + 1);
first[2] = plusYears(eve, -12);

// A child accommodated on their 12th birthday: over the age limit, dropped.
const twelve = nextId();
add(twelve, familyOf(++f), '2006-01-10', 'accommodated', '2018-01-10');
add(twelve, familyOf(f), '', 'permanence_decision', '2018-03-01', 'kinship');
// Children accommodated before the cohort starts: dropped by --from.
for (const acc of ['2017-10-31', '2017-06-12']) {
  const id = nextId();
  add(id, familyOf(++f), '2012-04-04', 'accommodated', acc);
  add(id, familyOf(f), '', 'permanence_decision', iso(day(acc) + 100), 'adoption');
}
// A 13-year-old: dropped by the age limit.
const older = nextId();
add(older, familyOf(++f), '2004-09-30', 'accommodated', '2018-02-14');
// Re-accommodation: a first episode in 2016 (before the cohort) and a second one inside it. The
// second is one of the 32: it replaces one of the in-progress children's rows below.
const again = rows.find(
  (r) =>
    r[3] === 'accommodated' &&
    r[4] >= '2018-03-25' &&
    !rows.some((q) => q[0] === r[0] && q[3] === 'permanence_decision'),
);
add(again[0], again[1], again[2], 'accommodated', '2016-05-03');
add(again[0], again[1], '', 'permanence_decision', '2016-09-01', 'home');
add(again[0], again[1], '', 'ceased_accommodated', '2016-11-28');
// Events after the audit date: ignored as of 2018-11-01, counted.
const waiting = rows.filter((r) => r[3] === 'accommodated' && r[4] >= '2018-05-01' && r[0] !== again[0]);
add(waiting[0][0], waiting[0][1], '', 'permanence_decision', '2018-11-20', 'kinship');
add(waiting[1][0], waiting[1][1], '', 'ceased_accommodated', '2018-12-03');

// Shuffle so that children's rows are interleaved, as real exports often are, but keep rows of
// one child in date order.
rows.sort((a, b) => (a[4] < b[4] ? -1 : a[4] > b[4] ? 1 : 0));
const csv =
  ['child_id,family_id,date_of_birth,event,event_date,route', ...rows.map((r) => r.join(','))].join('\n') + '\n';
writeFileSync(new URL('../fixtures/sample-export.csv', import.meta.url), csv);
console.log(`fixtures/sample-export.csv: ${rows.length} rows, ${n} children`);

// --- The same cohort exported three more ways (issue: real exports) ---------------------------
const { default: iconv } = await import('iconv-lite');
const write = (name, text) => writeFileSync(new URL(`../fixtures/${name}`, import.meta.url), text);
const dmy = (s) => `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`;
const quote = (v) => (/[",;\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

// 1. A records system's own long export: its own headers, column order, codes and date format,
//    with case notes that the config ignores on purpose.
const CODES = {
  accommodated: 'LAAC Start',
  review: 'LAC Review',
  permanence_decision: 'Permanence Decision',
  permanence_panel: 'Perm Panel',
  adm_decision: 'ADM Decision',
  court_application: 'Court Application',
  final_order: 'Final Order Granted',
  ceased_accommodated: 'LAAC End',
};
const PLANS = { home: 'Return Home', kinship: 'Kinship Care', permanence_order: 'PO', adoption: 'Adoption' };
const own = ['Activity Date,Client Ref,Activity Type,Plan,Date of Birth,Sibling Group,Worker Notes'];
rows.forEach(([child, family, dob, event, date, route], i) => {
  const when = i % 5 === 0 ? `${dmy(date)} 09:30` : dmy(date);
  own.push(
    [
      when,
      child,
      CODES[event],
      PLANS[route] ?? '',
      dob ? dmy(dob) : '',
      family,
      i % 7 === 0 ? quote('visit, see file') : '',
    ].join(','),
  );
  if (i % 9 === 0)
    own.push([dmy(date), child, 'Case Note', '', '', family, quote('phone call with "carer"')].join(','));
});
write('export-own-codes.csv', own.join('\r\n') + '\r\n');
write(
  'export-own-codes.config.json',
  JSON.stringify(
    {
      columns: {
        child_id: 'Client Ref',
        family_id: 'Sibling Group',
        date_of_birth: 'Date of Birth',
        event: 'Activity Type',
        event_date: 'Activity Date',
        route: 'Plan',
      },
      events: { ...Object.fromEntries(Object.entries(CODES).map(([k, v]) => [v, k])), 'Case Note': null },
      routes: Object.fromEntries(Object.entries(PLANS).map(([k, v]) => [v, k])),
      dateFormat: 'dd/mm/yyyy',
      defaults: { from: '2017-11-01' },
    },
    null,
    2,
  ) + '\n',
);

// 2. A one-row-per-child PACE tracker: each child's current episode, the first of each event.
const MILESTONES = {
  accommodated: 'Date Accommodated',
  review: 'Date of First Review',
  permanence_decision: 'Date of Permanence Decision',
  permanence_panel: 'Date of Panel',
  adm_decision: 'Date of ADM Decision',
  court_application: 'Date Court Application',
  final_order: 'Date of Final Order',
  ceased_accommodated: 'Date Ceased',
};
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const named = (s) => `${+s.slice(8, 10)} ${MONTHS[+s.slice(5, 7) - 1]} ${s.slice(0, 4)}`;
const wide = [['Child', 'Family', 'DOB', ...Object.values(MILESTONES), 'Permanence Route'].join(',')];
for (const id of [...new Set(rows.map((r) => r[0]))].sort()) {
  const mine = rows.filter((r) => r[0] === id).sort((a, b) => (a[4] < b[4] ? -1 : 1));
  const current = mine.filter((r) => r[3] === 'accommodated').at(-1)[4];
  const first = (event) => mine.find((r) => r[3] === event && r[4] >= current);
  const acc = first('accommodated');
  const decision = first('permanence_decision');
  wide.push(
    [
      id,
      acc[1],
      named(acc[2]),
      ...Object.keys(MILESTONES).map((e) => (first(e) ? named(first(e)[4]) : '')),
      decision ? decision[5] : '',
    ].join(','),
  );
}
write('tracker-wide.csv', wide.join('\n') + '\n');
write(
  'tracker-wide.config.json',
  JSON.stringify(
    {
      layout: 'wide',
      columns: {
        child_id: 'Child',
        family_id: 'Family',
        date_of_birth: 'DOB',
        route: 'Permanence Route',
        ...MILESTONES,
      },
      dateFormat: 'd MMM yyyy',
    },
    null,
    2,
  ) + '\n',
);

// 3. Excel's plain "CSV" on a UK PC: Windows-1252, semicolons, dd/mm/yyyy, free text with £ and ’.
const NOTES = ['£250 clothing grant', 'Carer’s report due', 'Café contact; supervised', ''];
const excel = ['child_id;family_id;date_of_birth;event;event_date;route;notes'];
for (const [i, [child, family, dob, event, date, route]] of rows.entries()) {
  excel.push([child, family, dob ? dmy(dob) : '', event, dmy(date), route, quote(NOTES[i % 4])].join(';'));
}
write('export-excel-1252.csv', iconv.encode(excel.join('\r\n') + '\r\n', 'windows-1252'));
console.log('fixtures: export-own-codes.csv, tracker-wide.csv, export-excel-1252.csv (+ configs)');
