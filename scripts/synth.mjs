// Seeded synthetic case-event exports for the benchmark: about 6 events per child, siblings,
// all four routes, later stages, reviews, ~1% invalid rows and some quoted free-text cells.
// `extra` multiplies the events per child (more reviews over a longer history) for the
// same children, to show that memory follows children rather than rows.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const ROUTES = ['home', 'kinship', 'permanence_order', 'adoption'];
const DAY = 864e5;
const iso = (d) => new Date(d * DAY).toISOString().slice(0, 10);
const dmy = (d) => {
  const s = iso(d);
  return `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`;
};

export async function writeExport(file, { children, perChild = 1, seed = 7 }) {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const out = createWriteStream(file);
  let buf = 'child_id,family_id,date_of_birth,event,event_date,route,notes\n';
  let events = 0;
  const start = Date.UTC(2015, 0, 1) / DAY;
  let family = 0;
  let siblingsLeft = 0;
  let familyAcc = 0;
  const row = (id, fam, dob, event, date, route = '', note = '') => {
    events++;
    let line = `${id},${fam},${dob},${event},${rand() < 0.3 ? dmy(date) : iso(date)},${route},${note}\n`;
    const r = rand();
    if (r < 0.004)
      line = `${id},${fam},${dob},${event},${iso(date).slice(0, 8)}31,${route},\n`; // impossible date in short months
    else if (r < 0.007) line = `${id},${fam},${dob},unknown_event,${iso(date)},${route},\n`;
    else if (r < 0.01) line = `,${fam},${dob},${event},${iso(date)},${route},\n`;
    buf += line;
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
    row(id, fam, '', 'review', acc + int(10, 20));
    row(id, fam, '', 'review', acc + int(35, 45));
    let last = acc + 45;
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
      } else {
        row(id, fam, '', 'review', decided + int(30, 90));
      }
    } else row(id, fam, '', 'review', acc + int(90, 200));
    // A longer history: more reviews, six months apart, for the same child.
    for (let k = 0; k < Math.round((perChild - 1) * 6.2); k++) row(id, fam, '', 'review', last + 180 * (k + 1));
    if (rand() < 0.2) row(id, fam, '', 'ceased_accommodated', last + 180 * (perChild * 6) + int(1, 100));
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  return events;
}
