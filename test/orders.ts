// One set of rows, three orders: findings and figures must not depend on which (issue 9.4).
import { HEADER } from './helpers.js';

/** A seeded pseudo-random sequence in [0, 1). */
function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const ROUTES = ['home', 'kinship', 'permanence_order', 'adoption'];
const iso = (day: number) => new Date(day * 864e5).toISOString().slice(0, 10);

/**
 * Rows of an export, grouped by child, with the awkward cases whose handling once depended on
 * row order: exact repeats, two decisions on one date naming different routes (some after an
 * earlier decision, some after a ceasing), re-entries, events outside episodes, a second
 * accommodation, dates of birth and family ids that disagree, invalid rows and events after
 * the audit date (2018-11-01).
 */
export function awkwardRows(children: number, seed: number): string[] {
  const rand = seeded(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: T[]) => xs[int(0, xs.length - 1)];
  const rows: string[] = [];
  const start = Date.UTC(2016, 0, 1) / 864e5;
  for (let c = 0; c < children; c++) {
    const id = `C${c}`;
    const fam = `F${Math.floor(c / 2)}`;
    const dob = iso(start - int(200, 4000));
    const own: string[] = [];
    const row = (event: string, day: number, route = '', family = fam, birth = '') =>
      own.push(`${id},${family},${birth},${event},${iso(day)},${route}`);
    let acc = start + int(0, 900);
    row('accommodated', acc, '', fam, dob);
    row('review', acc + int(5, 20));
    row('review', acc + int(30, 60));
    const r = rand();
    if (r < 0.1) {
      // The example of issue 9.4: a decision, then two on a later date naming different routes.
      const day = acc + int(60, 200);
      row('permanence_decision', day, pick(ROUTES));
      row('permanence_decision', day + 60, 'home');
      row('permanence_decision', day + 60, 'adoption');
    } else if (r < 0.15) {
      const day = acc + int(60, 300);
      row('permanence_decision', day, 'kinship');
      row('permanence_decision', day, 'permanence_order');
    } else if (r < 0.75) {
      const day = acc + int(60, 400);
      const route = pick(ROUTES);
      row('permanence_decision', day, route);
      if (route === 'adoption' || route === 'permanence_order') {
        row('permanence_panel', day + int(20, 100));
        row('adm_decision', day + int(101, 120));
      }
    }
    if (rand() < 0.15) {
      // Ceased, then a review outside any episode, then a new episode with its own decision.
      const ceased = acc + int(100, 500);
      row('ceased_accommodated', ceased);
      row('review', ceased + int(1, 20));
      acc = ceased + int(21, 200);
      row('accommodated', acc, '', fam, dob);
      row('permanence_decision', acc + int(30, 300), pick(ROUTES));
    }
    if (rand() < 0.05) row('accommodated', acc + int(1, 50), '', fam, dob);
    if (rand() < 0.05) row('review', acc + int(1, 400), '', fam, iso(start - int(200, 4000)));
    if (rand() < 0.05) row('review', acc + int(1, 400), '', `${fam}X`);
    if (rand() < 0.05) row('permanence_decision', acc - int(1, 30), 'home');
    if (rand() < 0.05) own.push(`${id},${fam},,review,2018-02-30,`);
    if (rand() < 0.03) own.push(`${id},${fam},,placed,${iso(acc + 3)},`);
    // Repeats of an event: some of a decision, some of a review a later one makes uncountable.
    for (let k = int(0, 2); k > 0; k--) if (rand() < 0.3) own.push(pick(own));
    rows.push(...own);
  }
  return rows;
}

const dateOfRow = (row: string) => row.split(',')[4];

/** The same rows three ways: as given (grouped by child), sorted by date across children, shuffled. */
export function threeOrders(rows: string[], seed: number): { grouped: string[]; byDate: string[]; shuffled: string[] } {
  const byDate = rows
    .map((r, i) => [dateOfRow(r), i] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]))
    .map(([, i]) => rows[i]);
  const rand = seeded(seed);
  const shuffled = [...rows];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  return { grouped: rows, byDate, shuffled };
}

export const exportText = (rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

/**
 * What an audit's JSON says, apart from line numbers: every section whole, the input without
 * its file name, and the findings as a sorted list of (code, child id).
 */
export function withoutLines(json: string) {
  const j = JSON.parse(json);
  const { file: _file, ...input } = j.input;
  const findings = (j.issues as { code: string; childId: string | null }[]).map((f) => `${f.code} ${f.childId}`).sort();
  return {
    input,
    summary: j.summary,
    stages: j.stages,
    drift: j.drift,
    routes: j.routes,
    families: j.families,
    dueSoon: j.dueSoon,
    children: j.children,
    findings,
  };
}
