// Seeded synthetic exports for `npm run bench`, in the shapes real exports come in: the same
// events grouped by child, sorted by date across all children (the usual records-system order),
// or shuffled; at two densities (~6 events a child, ~3 events a child); with ~1% invalid rows and
// quoted free text. Also a file of one-row children for the "many children" memory target.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const ROUTES = ['home', 'kinship', 'permanence_order', 'adoption'];
const DAY = 864e5;
const iso = (d) => new Date(d * DAY).toISOString().slice(0, 10);
const dmy = (d) => {
  const s = iso(d);
  return `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`;
};

function random(seed) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/**
 * Builds every event of `children` children, then writes them in `order`.
 * density 'full': accommodated, two reviews, usually a decision and the later stages (~6.3 a child);
 * density 'sparse': accommodated, a review, often a decision (~3 a child).
 * `extra` adds that many times the events per child as later reviews (same children, longer history).
 * Returns the number of events written.
 */
export async function writeBenchExport(file, { children, density = 'full', order = 'child', extra = 1, seed = 7 }) {
  const rand = random(seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const days = [];
  const lines = [];
  const start = Date.UTC(2015, 0, 1) / DAY;
  let family = 0;
  let siblingsLeft = 0;
  let familyAcc = 0;
  const row = (id, fam, dob, event, date, route = '', note = '') => {
    let line = `${id},${fam},${dob},${event},${rand() < 0.3 ? dmy(date) : iso(date)},${route},${note}`;
    const r = rand();
    if (r < 0.004) line = `${id},${fam},${dob},${event},${iso(date).slice(0, 8)}31,${route},`;
    else if (r < 0.007) line = `${id},${fam},${dob},unknown_event,${iso(date)},${route},`;
    else if (r < 0.01) line = `,${fam},${dob},${event},${iso(date)},${route},`;
    days.push(date);
    lines.push(line);
  };
  for (let c = 0; c < children; c++) {
    if (siblingsLeft === 0) {
      family++;
      siblingsLeft = rand() < 0.3 ? int(2, 4) : 1;
      familyAcc = start + int(0, 3000);
    }
    siblingsLeft--;
    const id = `CH${String(c).padStart(7, '0')}`;
    const fam = `FA${String(family).padStart(6, '0')}`;
    const acc = familyAcc;
    const dob = iso(acc - int(30, 16 * 365));
    const note = rand() < 0.1 ? `"placed with carers, ""respite"" first"` : '';
    row(id, fam, dob, 'accommodated', acc, '', note);
    let last = acc + 45;
    if (density === 'full') {
      row(id, fam, '', 'review', acc + int(10, 20));
      row(id, fam, '', 'review', acc + int(35, 45));
      if (rand() < 0.8) {
        const route = ROUTES[int(0, 3)];
        const decided = acc + int(60, 330);
        row(id, fam, '', 'permanence_decision', decided, route);
        last = decided;
        if (route === 'adoption' || route === 'permanence_order') {
          const panel = decided + int(30, 120);
          row(id, fam, '', 'permanence_panel', panel);
          const adm = panel + int(5, 20);
          row(id, fam, '', 'adm_decision', adm);
          const court = adm + int(20, 150);
          row(id, fam, '', 'court_application', court);
          row(id, fam, '', 'final_order', court + int(60, 300));
          last = court + 300;
        } else row(id, fam, '', 'review', decided + int(30, 90));
      } else row(id, fam, '', 'review', acc + int(90, 200));
    } else {
      if (rand() < 0.7) row(id, fam, '', 'review', acc + int(10, 45));
      if (rand() < 0.75) {
        const decided = acc + int(60, 330);
        row(id, fam, '', 'permanence_decision', decided, ROUTES[int(0, 3)]);
        last = decided;
      }
      if (rand() < 0.3) row(id, fam, '', 'review', acc + int(90, 200));
    }
    const perChild = density === 'full' ? 6.2 : 2.7;
    for (let k = 0; k < Math.round((extra - 1) * perChild); k++) row(id, fam, '', 'review', last + 180 * (k + 1));
    if (rand() < 0.2) row(id, fam, '', 'ceased_accommodated', last + 180 * (extra * 6) + int(1, 100));
  }
  const index = Uint32Array.from({ length: lines.length }, (_, i) => i);
  if (order === 'date') index.sort((a, b) => days[a] - days[b] || a - b);
  else if (order === 'shuffled') {
    for (let i = index.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = index[i];
      index[i] = index[j];
      index[j] = t;
    }
  } else if (order !== 'child') throw new Error(`unknown order ${order}`);
  await writeLines(file, 'child_id,family_id,date_of_birth,event,event_date,route,notes', index, lines);
  return lines.length;
}

/** `children` children with one `accommodated` row each, accommodated across the first half of 2019. */
export async function writeOneRowChildren(file, { children, seed = 11 }) {
  const rand = random(seed);
  const start = Date.UTC(2019, 0, 1) / DAY;
  const lines = [];
  for (let c = 0; c < children; c++) {
    const acc = start + Math.floor(rand() * 180);
    lines.push(
      `C${String(c).padStart(8, '0')},F${String(c >> 1).padStart(8, '0')},${iso(acc - 400 - Math.floor(rand() * 3000))},accommodated,${iso(acc)},,`,
    );
  }
  await writeLines(
    file,
    'child_id,family_id,date_of_birth,event,event_date,route,notes',
    Uint32Array.from({ length: lines.length }, (_, i) => i),
    lines,
  );
  return lines.length;
}

async function writeLines(file, header, index, lines) {
  const out = createWriteStream(file);
  let buf = `${header}\n`;
  for (let i = 0; i < index.length; i++) {
    buf += `${lines[index[i]]}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}
