// Issue 10: the fast path must give exactly what csv-parse gives on whole loads (accounting,
// every finding with its line, column, child and message, the counts by code, and episodes), on
// generated awkward exports, at several read sizes and with two threads cut at every record
// boundary. The compiled modules are used, so that real two-thread loads (a worker) run too.
//
// Real two-thread loads cost a worker (about 0.1 s each), so most cuts are read the way
// intake/two-parts.ts and intake/part-worker.ts read them, in this thread (`inParts`), with the
// same validation of the cut; a few per run go through load() itself, worker and all.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvFile, d, episodesById, seeded } from './helpers.js';

const dist = (m: string) => join(import.meta.dirname, '..', 'dist', m);
const { load }: typeof import('../src/load.js') = await import(dist('load.js'));
const { ChildStore }: typeof import('../src/timeline/store.js') = await import(dist('timeline/store.js'));
const { Intake }: typeof import('../src/intake/intake.js') = await import(dist('intake/intake.js'));
const { readRecords, openSource, CutInsideQuotes }: typeof import('../src/read/source.js') = await import(
  dist('read/source.js')
);
const { countRecords }: typeof import('../src/read/cut.js') = await import(dist('read/cut.js'));
const { NotPlain }: typeof import('../src/read/fast.js') = await import(dist('read/fast.js'));
const { EpisodeTable, buildEpisodes }: typeof import('../src/timeline/episodes.js') = await import(
  dist('timeline/episodes.js')
);
const { checkEventKinds, newKindTally }: typeof import('../src/validate/event-kinds.js') = await import(
  dist('validate/event-kinds.js')
);
const { DEFAULT_MAPPING }: typeof import('../src/mapping.js') = await import(dist('mapping.js'));

type Mapping = import('../src/mapping.js').Mapping;
type Intake = import('../src/intake/intake.js').Intake;
type SourceInfo = import('../src/read/source-info.js').SourceInfo;

const AS_OF = d('2018-11-01');

// ---------------------------------------------------------------------------------------------
// Mappings: the default, one with the export's own columns, codes (one ignored on purpose) and
// dd/mm/yyyy dates only, and the default columns with an ignored code and two date formats.

const OWN: Mapping = {
  columns: {
    child_id: 'Client Ref',
    family_id: 'Sibling Group',
    date_of_birth: 'Date of Birth',
    event: 'Activity Type',
    event_date: 'Activity Date',
    route: 'Plan',
  },
  events: {
    'LAAC Start': 'accommodated',
    'LAC Review': 'review',
    'Perm Decision': 'permanence_decision',
    'Perm Panel': 'permanence_panel',
    'ADM Decision': 'adm_decision',
    'Court App': 'court_application',
    'Final Order Granted': 'final_order',
    'LAAC End': 'ceased_accommodated',
    // Longer than the 32 bytes intake/byte-memo.ts remembers.
    'Looked After Away From Home Ended On': 'ceased_accommodated',
    'Permanence Planning Meeting Note Added': null,
    'Case Note': null,
  },
  routes: { 'Return Home': 'home', 'Kinship Care': 'kinship', PO: 'permanence_order', Adoption: 'adoption' },
  dateFormats: ['dd/mm/yyyy'],
};
const DMY: Mapping = { ...DEFAULT_MAPPING, events: { 'Phone Call': null }, dateFormats: ['dd/mm/yyyy', 'yyyy-mm-dd'] };
/** US order and Excel serial days: the same bytes mean another date, or none. */
const US: Mapping = { ...DEFAULT_MAPPING, dateFormats: ['mm/dd/yyyy', 'excel'] };
const MAPPINGS = { default: DEFAULT_MAPPING, own: OWN, dmy: DMY, us: US } as const;
type MappingName = keyof typeof MAPPINGS;

/** The canonical names, and one other spelling of the decision: for the default columns' mappings. */
const CANONICAL_TEXT = [
  ['accommodated'],
  ['review'],
  ['permanence_decision', 'Permanence Decision'],
  ['permanence_panel'],
  ['adm_decision'],
  ['court_application'],
  ['final_order'],
  ['ceased_accommodated'],
];

/** How each mapping's export names events (by EVENTS index) and routes (by ROUTES index). */
const EVENT_TEXT: Record<MappingName, string[][]> = {
  default: [
    ['accommodated', 'Accommodated', ' ACCOMMODATED'],
    ['review', 'Review'],
    ['permanence_decision', 'Permanence Decision', 'permanence-decision', 'PERMANENCE_DECISION'],
    ['permanence_panel', 'Permanence Panel'],
    ['adm_decision', 'ADM decision'],
    ['court_application', 'court application'],
    ['final_order', 'Final-Order'],
    ['ceased_accommodated', 'ceased accommodated'],
  ],
  own: [
    ['LAAC Start', 'laac start', 'accommodated'],
    ['LAC Review', 'LAC-Review'],
    ['Perm Decision', 'permanence_decision'],
    ['Perm Panel'],
    ['ADM Decision'],
    ['Court App'],
    ['Final Order Granted'],
    ['LAAC End', 'LAAC_END', 'Looked After Away From Home Ended On'],
  ],
  dmy: CANONICAL_TEXT,
  us: CANONICAL_TEXT,
};
const ROUTE_TEXT: Record<MappingName, string[][]> = {
  default: [['home', 'Home'], ['kinship', 'KINSHIP'], ['permanence_order', 'Permanence Order'], ['adoption']],
  own: [['Return Home'], ['Kinship Care', 'kinship'], ['PO', 'po'], ['Adoption']],
  dmy: [['home'], ['kinship'], ['permanence_order'], ['adoption']],
  us: [['home'], ['kinship'], ['permanence_order'], ['adoption']],
};
const IGNORED_TEXT: Record<MappingName, string[]> = {
  default: [],
  own: ['Case Note', 'case note', 'CASE-NOTE', 'Permanence Planning Meeting Note Added'],
  dmy: ['Phone Call', 'phone_call'],
  us: [],
};
const UNKNOWN_EVENTS = ['visit', 'reveiw', 'Permanence Decison', 'accommodated!', '-'];
const UNKNOWN_ROUTES = ['foster', 'homee', 'Adopted'];

// ---------------------------------------------------------------------------------------------
// The generator.

/** Child and family ids: ASCII (most), and not, with control characters and characters JS trim removes. */
const ASCII_IDS = ['C', 'c-', 'K 1', 'C\u0001', 'C,d', 'C;d', `LONG-${'x'.repeat(60)}-`];
const OTHER_IDS = ['É', '日本', '👶', 'ZOË', 'ZOE\u0308', 'C"q', 'C\u0085'];
const ASCII_FAMILIES = ['F1', 'F2', '', 'F,4', 'F\u0001', `F-${'y'.repeat(40)}`];
const OTHER_FAMILIES = ['Fé', 'F日本', 'F"3', 'F\u00a05'];
/** Put around a value. JS trim removes all but \u0001; the fast path reads only the ASCII ones. */
const ASCII_PADS = [' ', '  ', '\u000b', '\u000c', ' \u000b', '\u0001'];
const OTHER_PADS = ['\u00a0', '\ufeff', '\u2028', ' \u00a0'];
const NOTES = ['', 'visit, see file', 'say "hi"', 'é', 'ok', 'a;b', 'x\ty'];
/** Dates that no mapping reads, or reads as out of range. */
const BAD_DATES = [
  '2017-02-30',
  '31/04/2017',
  'soon',
  '1899-12-31',
  '2017-13-01',
  '0217-01-01',
  '10000-01-01',
  '1.2.3',
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** What turns the fast path away, each placed between two rows so that it is met. */
const AWKWARD = [
  'quoted line break',
  'NUL',
  'invalid UTF-8',
  'stray quote',
  'text after a closing quote',
  'space before a quote',
  'line ends that change',
  'CR line ends',
  'a lone CR',
  'a BOM mid-file before a quote',
] as const;
type Awkward = (typeof AWKWARD)[number];

/** U+E000 in the text becomes a byte that is not UTF-8. */
const BAD_BYTE = '\ue000';

interface Generated {
  bytes: Buffer;
  mapping: MappingName;
  delimiter: string;
  awkward: Awkward | undefined;
  /** Bytes up to the end of the header line: a cut before it leaves the first part no header. */
  headerEnd: number;
  /** Where the awkward shape's line starts. */
  shapeAt: number | undefined;
}

/** A long export of `rows` rows, in the shapes the fast path reads, and one awkward shape if asked. */
function generate(rand: () => number, rows: number, awkward?: Awkward, children?: number): Generated {
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const chance = (p: number) => rand() < p;
  const mappingName = pick(['default', 'default', 'own', 'dmy', 'us'] as const);
  const mapping = MAPPINGS[mappingName];
  const delimiter = pick([',', ';', '\t']);
  const crlf = chance(0.4);

  // Dates as day numbers, written in the mapping's formats (or one it does not read).
  const civil = (day: number) => {
    const t = new Date(day * 864e5);
    return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
  };
  const pad2 = (n: number) => String(n).padStart(2, '0');
  const dateText = (day: number): string => {
    const [y, m, dd] = civil(day);
    const iso = `${y}-${pad2(m)}-${pad2(dd)}`;
    const dmy = chance(0.2) ? `${dd}/${m}/${y}` : `${pad2(dd)}/${pad2(m)}/${y}`;
    let text: string;
    if (mappingName === 'own') text = chance(0.93) ? dmy : iso;
    else if (mappingName === 'dmy') text = chance(0.5) ? dmy : iso;
    else if (mappingName === 'us')
      text = pick([
        `${pad2(m)}/${pad2(dd)}/${y}`,
        `${m}/${dd}/${y}`,
        String(day - Date.UTC(1899, 11, 30) / 864e5),
        iso,
      ]);
    else text = pick([iso, iso, dmy, `${dd} ${MONTHS[m - 1]} ${y}`, `${pad2(dd)}-${pad2(m)}-${y}`]);
    // A time of day, dropped; the last makes a cell longer than byte-memo.ts remembers.
    if (chance(0.08))
      text += pick([' 10:30', 'T09:15:00', ' 9:05 PM', 'T23:59:59Z', 'T10:30:00.123456789012345+01:00']);
    return text;
  };
  const day = (y: number, m: number, dd: number) => Date.UTC(y, m - 1, dd) / 864e5;

  // How often cells are written awkwardly, and ids are not ASCII: some files are mostly clean.
  const w = pick([0.2, 0.6, 1.2]);
  const family = () => (chance(0.25 * w) ? pick(OTHER_FAMILIES) : pick(ASCII_FAMILIES));
  const kids = Array.from({ length: children ?? int(2, 9) }, (_, k) => ({
    id: `${chance(0.2 * w) ? pick(OTHER_IDS) : pick(ASCII_IDS)}${k}`,
    family: family(),
    dob: day(2000, 1, 1) + int(0, 5000),
    start: day(2012, 1, 1) + int(0, 2000),
  }));

  /** A row's values by canonical field, before decoration. */
  const values = (): Record<string, string> => {
    const kid = pick(kids);
    const kind = chance(0.35) ? 0 : int(0, 7);
    let date = kid.start + (kind === 0 ? int(0, 3) * 400 : int(-30, 900));
    const r = rand();
    if (r < 0.05)
      date = day(2019, 1, 1) + int(0, 300); // after the audit date
    else if (r < 0.09) date = day(1980, 1, 1) + int(0, 4000); // more than 25 years before it
    let dateCell = dateText(date);
    if (chance(0.03)) dateCell = pick(BAD_DATES);
    else if (chance(0.02)) dateCell = '';
    let event = pick(EVENT_TEXT[mappingName][kind]);
    if (chance(0.03)) event = pick(UNKNOWN_EVENTS);
    else if (IGNORED_TEXT[mappingName].length > 0 && chance(0.06)) event = pick(IGNORED_TEXT[mappingName]);
    else if (chance(0.01)) event = '';
    let dob = kind === 0 ? (chance(0.95) ? dateText(kid.dob) : '') : chance(0.6) ? '' : dateText(kid.dob);
    const odd = rand();
    if (odd < 0.06)
      dob = dateText(kid.dob + int(1, 400)); // a date of birth that conflicts
    else if (odd < 0.08)
      dob = dateText(date + int(1, 300)); // after the event
    else if (odd < 0.1) dob = pick(BAD_DATES);
    let route =
      kind === 2 ? pick(ROUTE_TEXT[mappingName][int(0, 3)]) : chance(0.85) ? '' : pick(ROUTE_TEXT[mappingName][0]);
    if (kind === 2 && chance(0.08)) route = '';
    else if (chance(0.04)) route = pick(UNKNOWN_ROUTES);
    return {
      child_id: chance(0.02) ? '' : kid.id,
      family_id: chance(0.1) ? family() : kid.family,
      date_of_birth: dob,
      event,
      event_date: dateCell,
      route,
      notes: pick(NOTES),
    };
  };

  // Columns: the mapping's, in any order, with a notes column or two that nothing reads.
  const fields = ['child_id', 'family_id', 'date_of_birth', 'event', 'event_date', 'route'];
  if (chance(0.6)) fields.push('notes');
  if (chance(0.5)) fields.sort(() => rand() - 0.5);
  const headerOf = (f: string) => (f === 'notes' ? 'Notes' : mapping.columns[f as keyof Mapping['columns']]);

  /** A cell as an export might write it: padded, quoted (with "" for quotes), or as it is. */
  const pad = () => (chance(0.3) ? pick(OTHER_PADS) : pick(ASCII_PADS));
  const cell = (v: string): string => {
    let text = v;
    if (chance(0.06 * w)) text = `${pad()}${text}`;
    if (chance(0.06 * w)) text = `${text}${pad()}`;
    if (chance(0.02 * w) && delimiter !== '\t') text = `\t${text}\t`;
    const mustQuote = text.includes('"') || text.includes(delimiter);
    return mustQuote || chance(0.1 * w) ? `"${text.replaceAll('"', '""')}"` : text;
  };

  const lines: string[] = [];
  while (chance(0.1)) lines.push(pick(['', delimiter.repeat(3), ' ']));
  const leading = lines.length;
  lines.push(fields.map((f) => (chance(0.2) ? `"${headerOf(f)}"` : headerOf(f))).join(delimiter));
  const seen: Record<string, string>[] = [];
  for (let r = 0; r < rows; r++) {
    const blank = rand();
    if (blank < 0.04) {
      lines.push('');
      continue;
    }
    if (blank < 0.06) {
      lines.push(delimiter.repeat(int(1, 8)));
      continue;
    }
    if (blank < 0.07) {
      lines.push(pick([' ', ` ${delimiter} `, `${delimiter}""${delimiter}`]));
      continue;
    }
    // A repeat of an earlier row (a duplicate, maybe written differently), or a new one.
    const v = seen.length > 0 && chance(0.12) ? pick(seen) : values();
    seen.push(v);
    let cells = fields.map((f) => cell(v[f]));
    if (chance(0.08)) cells = cells.slice(0, int(1, cells.length - 1)); // ragged: trailing columns missing
    if (chance(0.05)) for (let k = int(1, 3); k > 0; k--) cells.push(cell(pick(['x', '', 'extra', 'é'])));
    lines.push(cells.join(delimiter));
  }

  let end = crlf ? '\r\n' : '\n';
  let text: string;
  let at: number | undefined;
  if (awkward) {
    // Between two rows, so that it is met whatever follows.
    lines.push(`C0${delimiter}x`); // the shape is never last: a row or two follow it
    const i = int(leading + 1, Math.max(leading + 1, lines.length - 2));
    at = i;
    const ends = (s: string) => `${s}${delimiter}`;
    const shape: Record<Awkward, () => void> = {
      'quoted line break': () => lines.splice(i, 0, `${ends(kids[0].id.replace(/["\n;,\t]/g, ''))}"two${end}lines"`),
      NUL: () => lines.splice(i, 0, `${ends('C0')}a\u0000b`),
      'invalid UTF-8': () => lines.splice(i, 0, `${ends('C0')}Z${BAD_BYTE}E`),
      'stray quote': () => lines.splice(i, 0, `${ends('C0')}5'10"`),
      'text after a closing quote': () => lines.splice(i, 0, `${ends('C0')}"x"y`),
      'space before a quote': () => lines.splice(i, 0, `${ends('C0')} "x"`),
      'line ends that change': () => {
        const tail = lines.splice(i);
        lines.push(tail.join(crlf ? '\n' : '\r\n'));
      },
      'CR line ends': () => {
        end = '\r';
      },
      'a lone CR': () => lines.splice(i, 0, `${ends('C0')}a\rb`),
      'a BOM mid-file before a quote': () => lines.splice(i, 0, `\ufeff"C0"${delimiter}x`),
    };
    shape[awkward]();
  }
  text = lines.join(end);
  const offset = (line: number) => Buffer.byteLength(`${lines.slice(0, line).join(end)}${end}`);
  if (awkward || chance(0.8)) text += end;
  const bom = chance(0.3);
  if (bom) text = `\ufeff${text}`;
  const parts = text.split(BAD_BYTE);
  const bytes = Buffer.concat(
    parts.flatMap((p, i) => (i === 0 ? [Buffer.from(p)] : [Buffer.from([0xff]), Buffer.from(p)])),
  );
  const b = bom ? 3 : 0;
  return {
    bytes,
    mapping: mappingName,
    delimiter,
    awkward,
    headerEnd: offset(leading + 1) + b,
    shapeAt: at === undefined ? undefined : offset(at) + b,
  };
}

// ---------------------------------------------------------------------------------------------
// What a load gives, as plain data to compare: what the existing tests compare, plus each child's
// date of birth and family, and the order of children and families by id. Children are compared in
// id order: their numbering in the store follows the threads that met them, and no report shows it.

type Outcome = { error: string } | { reader: string; same: unknown };

function outcomeOf(l: {
  accounting: unknown;
  findings: import('../src/validate/findings.js').Findings;
  episodes: import('../src/timeline/episodes.js').EpisodeTable;
  children: import('../src/timeline/store.js').ChildStore;
}) {
  const episodes = episodesById(l.episodes);
  const byId = Array.from(l.children.byId(), (c) => l.children.id(c));
  return {
    accounting: l.accounting,
    findings: l.findings.list(),
    byCode: l.findings.byCode(),
    // byId() must give the ids in the order of `<`: compared with a sort of the ids.
    ids: Array.from({ length: l.children.size }, (_, c) => l.children.id(c)).sort(),
    families: Array.from({ length: l.children.size }, (_, c) => [
      l.children.id(c),
      l.children.familyName(l.children.family.get(c)),
    ]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    byId,
    // Of the families some child is in (a store read in one part also keeps ids no child kept).
    familiesByName: Array.from(l.children.familiesByName(), (f) => l.children.familyName(f)).filter((name) =>
      Array.from({ length: l.children.size }, (_, c) => l.children.family.get(c)).some(
        (f) => l.children.familyName(f) === name,
      ),
    ),
    episodes,
  };
}

async function loaded(file: string, mapping: Mapping, options: Partial<Parameters<typeof load>[0]>): Promise<Outcome> {
  try {
    const l = await load({ file, asOf: AS_OF, mapping, ...options });
    return { reader: l.reader, same: outcomeOf(l) };
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (!err.code) throw e;
    return { error: `[${err.code}] ${err.message}` };
  }
}

// ---------------------------------------------------------------------------------------------
// Two parts in this thread, as two-parts.ts and part-worker.ts read them (a worker is too dear to
// start for every cut): the first part [0, cut) read here, the second into an Intake of its own
// that starts from the header and the record count before the cut, handed over as plain data.
// The cut is checked as two-parts.ts checks it; a cut it would refuse reads the file in one.

/** load()'s steps after reading (load.ts loadFrom), on an Intake. */
function finish(intake: Intake, mapping: Mapping) {
  const { acc, findings, children } = intake;
  if (!intake.layout) throw new Error('no header');
  const episodes = new EpisodeTable(children);
  const kinds = newKindTally();
  const tally = { rejected: 0, duplicates: 0, kinds };
  const rejected = intake.rejectDisagreeingTrackerRows();
  for (let c = 0; c < children.size; c++) if (!rejected.has(c)) buildEpisodes(children, c, findings, episodes, tally);
  acc.rowsAccepted -= tally.rejected;
  acc.rowsRejected += tally.rejected;
  acc.duplicates += tally.duplicates;
  checkEventKinds(kinds, findings, mapping.columns.event, false);
  return outcomeOf({ accounting: acc, findings, episodes, children });
}

const handlers = (intake: Intake) => ({
  onRecord: (cells: string[], line: number) => intake.take(cells, line),
  onPlainRow: (row: import('../src/read/fast.js').PlainRow, line: number) => intake.takePlain(row, line),
});

/** The Intake of the whole file read in two parts cut at `cut`, or undefined where load() reads it in one. */
async function twoIntakes(src: SourceInfo, mapping: Mapping, cut: number | undefined): Promise<Intake | undefined> {
  const options = { file: src.file, asOf: AS_OF, mapping };
  const first = new Intake(options);
  if (cut === undefined) {
    await readRecords(src, handlers(first));
    return first;
  }
  let lines: number;
  try {
    lines = await readRecords(src, handlers(first), { start: 0, end: cut, firstLine: 0 });
  } catch (e) {
    if (e instanceof CutInsideQuotes) return undefined;
    throw e;
  }
  if (!first.header) return undefined;
  const header = structuredClone(first.header);
  const part = new Intake(options);
  part.useHeader(header);
  const firstLine = countRecords(src, cut);
  if (firstLine !== lines) return undefined;
  await readRecords(structuredClone(src), handlers(part), { start: cut, end: src.bytes, firstLine, header });
  first.absorb(
    structuredClone({ acc: part.acc, findings: part.findings.toData(), store: part.children.toData().data }),
  );
  return first;
}

/**
 * Reads the file as load() does, but with two parts read here (or one when `cut` is undefined);
 * `joined` when the cut was used.
 */
async function inParts(
  file: string,
  mapping: Mapping,
  cut: number | undefined,
  readBytes: number | undefined,
  fast: boolean,
) {
  const src: SourceInfo = { ...openSource(file), readBytes };
  let intake: Intake | undefined;
  let reader = 'csv-parse';
  if (fast && src.encoding === 'utf-8') {
    try {
      intake = await twoIntakes({ ...src, fast: true }, mapping, cut);
      reader = 'fast';
    } catch (e) {
      if (!(e instanceof NotPlain)) throw e;
    }
  }
  if (!intake && reader === 'csv-parse') intake = await twoIntakes(src, mapping, cut);
  if (!intake) return { joined: false };
  return { joined: true, outcome: { reader, same: finish(intake, mapping) } as Outcome };
}

/** Every byte just after a line feed, but the last: each record boundary a cut may fall on. */
function lineStarts(bytes: Buffer): number[] {
  const out: number[] = [];
  for (let i = bytes.indexOf(10); i >= 0 && i + 1 < bytes.length; i = bytes.indexOf(10, i + 1)) out.push(i + 1);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Counting rows the fast path reads from bytes (Intake.takePlain returning true), in this thread.
// The wrappers only count: they hand every call on unchanged.

const taken = { plain: 0 };
const realTakePlain = Intake.prototype.takePlain;
beforeAll(() => {
  Intake.prototype.takePlain = function (this: Intake, row, line) {
    const took = realTakePlain.call(this, row, line);
    if (took) taken.plain++;
    return took;
  };
});
afterAll(() => {
  Intake.prototype.takePlain = realTakePlain;
});

/**
 * What `load` gives, and how many rejected rows each explainRejected in this thread found waiting
 * (the first thread's, of a shared read; the second's explains in its worker).
 */
async function keptToExplain(load: () => Promise<Outcome>): Promise<{ got: Outcome; kept: number[] }> {
  const kept: number[] = [];
  const realExplain = Intake.prototype.explainRejected;
  Intake.prototype.explainRejected = function (this: Intake) {
    kept.push(this.unexplained.length);
    return realExplain.call(this);
  };
  try {
    return { got: await load(), kept };
  } finally {
    Intake.prototype.explainRejected = realExplain;
  }
}

// Counting two-thread loads that joined their parts (a load that read its export in one thread
// instead gives the same answer, and so would hide that the cut was never used), and those whose
// threads shared out the children (intake/shared.ts: a plain export's).
const absorbed = { n: 0 };
const realAbsorb = Intake.prototype.absorb;
const shared = { n: 0 };
const realMergeSide = ChildStore.prototype.mergeSide;
beforeAll(() => {
  Intake.prototype.absorb = function (this: Intake, part) {
    absorbed.n++;
    return realAbsorb.call(this, part);
  };
  ChildStore.prototype.mergeSide = function (this: InstanceType<typeof ChildStore>, data) {
    shared.n++;
    return realMergeSide.call(this, data);
  };
});
afterAll(() => {
  Intake.prototype.absorb = realAbsorb;
  ChildStore.prototype.mergeSide = realMergeSide;
});

/**
 * Loads each export as load() does with two threads sharing out the children, at read sizes in
 * turn, and holds it equal to csv-parse's load in one thread: read by `reader` when given.
 */
async function holdSharedEqual(files: Generated[], reader?: 'fast') {
  // Side by side: each load waits on its worker most of the time.
  await Promise.all(
    files.map(async (g, n) => {
      const file = csvFile(g.bytes);
      const mapping = MAPPINGS[g.mapping];
      const reference = await loaded(file, mapping, { reader: 'csv-parse', splitFrom: Infinity });
      const got = await loaded(file, mapping, { splitFrom: 0, readBytes: [7, 64, undefined][n % 3] });
      const context = `file ${n}${g.awkward ? ` (${g.awkward})` : ''}:\n${JSON.stringify(g.bytes.toString())}`;
      expect(got, context).toEqual(reader ? { ...reference, reader } : reference);
    }),
  );
}

// ---------------------------------------------------------------------------------------------

const READ_SIZES = [1, 7, 64, 4096, undefined];

/** FAST_DIFF_SCALE=n tries n times as many generated exports: a longer search, run by hand. */
const SCALE = Math.max(1, Math.floor(Number(process.env.FAST_DIFF_SCALE) || 1));

/**
 * Cuts to try: every record boundary of a small file, `most` of them spread over a larger one,
 * and the two boundaries from `near` on (where a shape the fast path does not read starts).
 */
function cutsOf(bytes: Buffer, most: number, near: number | undefined): number[] {
  const all = lineStarts(bytes);
  const cuts =
    all.length <= most ? all : Array.from({ length: most }, (_, k) => all[Math.floor(((k + 0.5) * all.length) / most)]);
  if (near !== undefined) cuts.push(...all.filter((s) => s >= near).slice(0, 2));
  return [...new Set(cuts)].sort((a, b) => a - b);
}

/** Read sizes for one-thread loads; how many cuts, and the read sizes they take in turn. */
interface Plan {
  sizes: (number | undefined)[];
  cuts: number;
  cutSizes: (number | undefined)[];
}

interface Tally {
  files: number;
  rowsRead: number;
  /** Rows the fast path took from bytes, in the one-thread loads at the default read size. */
  plainRows: number;
  cuts: number;
  joins: number;
}
const newTally = (): Tally => ({ files: 0, rowsRead: 0, plainRows: 0, cuts: 0, joins: 0 });

/**
 * Loads a generated export with csv-parse alone (the reference), then with the fast path at each
 * read size and in two parts at each cut: every outcome must be the reference's, read by `reader`.
 */
async function holdEqual(g: Generated, n: number, plan: Plan, tally: Tally) {
  const { sizes, cuts, cutSizes } = plan;
  const file = csvFile(g.bytes);
  const mapping = MAPPINGS[g.mapping];
  const reader = g.awkward ? 'csv-parse' : 'fast';
  const context = `file ${n} (${g.mapping} mapping, delimiter ${JSON.stringify(g.delimiter)}${g.awkward ? `, ${g.awkward}` : ''}):\n${JSON.stringify(g.bytes.toString())}`;
  const reference = await loaded(file, mapping, { reader: 'csv-parse', splitFrom: Infinity });
  tally.files++;
  if ('error' in reference) {
    // Refused whole: the fast path must refuse it the same way.
    for (const readBytes of sizes)
      expect(await loaded(file, mapping, { readBytes, splitFrom: Infinity }), context).toEqual(reference);
    return reference;
  }
  tally.rowsRead += (reference.same as { accounting: { rowsRead: number } }).accounting.rowsRead;
  // The parts read in this thread are what load() does: checked with no cut at all.
  if (!g.awkward)
    expect((await inParts(file, mapping, undefined, undefined, false)).outcome, context).toEqual(reference);
  for (const readBytes of sizes) {
    const before = taken.plain;
    const got = await loaded(file, mapping, { readBytes, splitFrom: Infinity });
    expect(got, `${context}\nread ${readBytes ?? 'default'} bytes at a time`).toEqual({ ...reference, reader });
    if (readBytes === undefined) tally.plainRows += taken.plain - before;
  }
  for (const [k, cut] of cutsOf(g.bytes, cuts, g.shapeAt).entries()) {
    const readBytes = cutSizes[(k + n) % cutSizes.length];
    const got = await inParts(file, mapping, cut, readBytes, true);
    if (cut >= g.headerEnd) tally.cuts++;
    if (!got.joined) continue;
    tally.joins++;
    expect(got.outcome, `${context}\ncut at byte ${cut}, read ${readBytes ?? 'default'} bytes at a time`).toEqual({
      ...reference,
      reader,
    });
  }
  return reference;
}

describe('generated exports: the fast path gives what csv-parse gives', () => {
  it('on plain exports: small ones at every read size and cut at every record boundary', async () => {
    const rand = seeded(10);
    const tally = newTally();
    // A byte at a time only for the smallest: each read is a call into the file system.
    const tiny = { sizes: READ_SIZES, cuts: 10, cutSizes: [4096, 64, undefined, 7] };
    const small = { ...tiny, sizes: READ_SIZES.slice(1) };
    for (let n = 0; n < 16 * SCALE; n++)
      await holdEqual(
        generate(rand, n < 6 ? 2 + Math.floor(rand() * 4) : 5 + Math.floor(rand() * 6)),
        n,
        n < 6 ? tiny : small,
        tally,
      );
    expect(tally.files).toBe(16 * SCALE);
    expect(tally.joins).toBe(tally.cuts); // every cut of a plain file is at a record boundary
    expect(tally.cuts).toBeGreaterThan(80);
    // Many rows were read from bytes: a test where every row went to take() would prove nothing.
    expect(tally.plainRows).toBeGreaterThan(tally.rowsRead * 0.3);
  });

  it('on larger plain exports, at a few read sizes and cuts', async () => {
    const rand = seeded(11);
    const tally = newTally();
    const plan = { sizes: [64, undefined], cuts: 4, cutSizes: [4096, undefined] };
    for (let n = 0; n < 5 * SCALE; n++) await holdEqual(generate(rand, 50 + Math.floor(rand() * 100)), n, plan, tally);
    expect(tally.joins).toBe(tally.cuts);
    expect(tally.plainRows).toBeGreaterThan(tally.rowsRead * 0.4);
  });

  it('pseudonymised, and for one child, as csv-parse gives them', async () => {
    // Neither reads rows from bytes (intake.ts): the fast path only splits the records.
    const rand = seeded(15);
    const key = new Uint8Array(32).fill(7);
    for (let n = 0; n < 4 * SCALE; n++) {
      const g = generate(rand, 20 + Math.floor(rand() * 40));
      const file = csvFile(g.bytes);
      const mapping = MAPPINGS[g.mapping];
      const whole = await loaded(file, mapping, { reader: 'csv-parse', splitFrom: Infinity });
      const ids = 'same' in whole ? (whole.same as { ids: string[] }).ids : [];
      expect(ids.length).toBeGreaterThan(0);
      for (const options of [{ pseudonymiser: { key } }, { onlyChild: ids[n % ids.length] }]) {
        const reference = await loaded(file, mapping, { ...options, reader: 'csv-parse', splitFrom: Infinity });
        const got = await loaded(file, mapping, { ...options, readBytes: 64, splitFrom: Infinity });
        expect(got, `file ${n}, ${Object.keys(options)[0]}:\n${JSON.stringify(g.bytes.toString())}`).toEqual({
          ...reference,
          reader: 'fast',
        });
      }
    }
  });

  it('on an export of many children, read in reads of a realistic size', async () => {
    // More than one of csv-parse's 64 KiB reads; the fast path's default read takes it whole.
    const tally = newTally();
    const g = generate(seeded(14), 1800, undefined, 1500);
    expect(g.bytes.length).toBeGreaterThan(64 * 1024);
    await holdEqual(g, 0, { sizes: [undefined, 16 * 1024], cuts: 1, cutSizes: [16 * 1024] }, tally);
    expect(tally.joins).toBe(1);
    expect(tally.plainRows).toBeGreaterThan(tally.rowsRead * 0.4);
  });

  it('on exports with a shape the fast path does not read: it steps aside, in one thread or two', async () => {
    const rand = seeded(12);
    const tally = newTally();
    const refused = new Set<string>();
    for (let n = 0; n < 2 * SCALE * AWKWARD.length; n++) {
      const awkward = AWKWARD[n % AWKWARD.length];
      const plan = { sizes: [7, undefined], cuts: 1, cutSizes: [4096, 64] };
      const reference = await holdEqual(generate(rand, 3 + Math.floor(rand() * 10), awkward), n, plan, tally);
      if ('error' in reference) refused.add(awkward);
    }
    // Only binary data, and bytes that are not UTF-8 after UTF-8 text, are refused whole.
    expect(refused.has('NUL')).toBe(true);
    for (const awkward of refused) expect(['NUL', 'invalid UTF-8']).toContain(awkward);
    expect(tally.joins).toBeGreaterThan(tally.cuts / 2);
  });

  it('in two threads that share out the children (a plain export), as load() reads them', async () => {
    const rand = seeded(17);
    const before = shared.n;
    const files = Array.from({ length: 6 * SCALE }, (_, n) =>
      generate(rand, 40 + Math.floor(rand() * 200), undefined, 1 + (n % 5) * 12),
    );
    await holdSharedEqual(files, 'fast');
    expect(shared.n - before).toBe(files.length); // each was shared out, not read in one thread
  });

  it("in two threads that share out the children, an awkward shape in either thread's rows, as load() reads them", async () => {
    // Each thread passes over the other's rows on the id, the rest unread: a shape the fast path
    // does not read, after the id in a row of one thread's child, is met by that thread alone.
    const rand = seeded(29);
    const files = Array.from({ length: 4 * SCALE * AWKWARD.length }, (_, n) =>
      generate(rand, 30 + Math.floor(rand() * 120), AWKWARD[n % AWKWARD.length], 1 + (n % 4) * 15),
    );
    // Each goes to csv-parse in the end, as one thread leaves it.
    await holdSharedEqual(files);
  });

  it('in two threads that share out the children, counts children by event kind across both', async () => {
    // No decision anywhere, but panels: the finding counts the children of both threads.
    const rows = Array.from({ length: 60 }, (_, i) => [
      `C${i},F${i},2010-01-01,accommodated,2017-01-01,`,
      `C${i},F${i},,permanence_panel,2017-06-01,`,
    ]).flat();
    const file = csvFile(`child_id,family_id,date_of_birth,event,event_date,route\n${rows.join('\n')}\n`);
    const reference = await loaded(file, DEFAULT_MAPPING, { reader: 'csv-parse', splitFrom: Infinity });
    expect(JSON.stringify(reference)).toContain('60 children have');
    const before = shared.n;
    expect(await loaded(file, DEFAULT_MAPPING, { splitFrom: 0 })).toEqual({ ...reference, reader: 'fast' });
    expect(shared.n - before).toBe(1);
  });

  it('in two threads that share out the children, says why each rejected row is, kept to the end or not', async () => {
    // More rejected rows than a shared read keeps to explain at the end (Intake.unexplained): the
    // rest are explained as they come. One kind of row has two problems.
    const rows = Array.from({ length: 24_000 }, (_, i) =>
      i % 3 === 0
        ? `C${i},F${i},2010-01-01,accommodated,2017-02-30,`
        : i % 3 === 1
          ? `C${i},F${i},,foster,2017-06-01,`
          : `C${i},F${i},2030-01-01,permanence_decision,2017-06-01,`,
    );
    for (let i = 0; i < 50; i++) rows.push(`V${i},G${i},2010-01-01,accommodated,2017-01-01,`);
    const file = csvFile(`child_id,family_id,date_of_birth,event,event_date,route\n${rows.join('\n')}\n`);
    const options = { keepPerCode: Number.POSITIVE_INFINITY };
    const reference = await loaded(file, DEFAULT_MAPPING, { ...options, reader: 'csv-parse', splitFrom: Infinity });
    if (!('same' in reference)) throw new Error(reference.error);
    const same = reference.same as ReturnType<typeof outcomeOf>;
    expect((same.accounting as { rowsRejected: number }).rowsRejected).toBe(24_000);
    expect(same.findings).toHaveLength(24_000 + 8_000);
    const before = shared.n;
    const { got, kept } = await keptToExplain(() => loaded(file, DEFAULT_MAPPING, { ...options, splitFrom: 0 }));
    expect(got).toEqual({ ...reference, reader: 'fast' });
    expect(shared.n - before).toBe(1);
    // Each thread keeps 10,000 of its ~12,000 (a row is its id's side, valid or not), and the
    // second hands its over to be explained with the first's.
    expect(kept).toEqual([20_000]);
  });

  it('in two threads that share out the children, stops at the error first in the file, whichever thread meets it', async () => {
    // Each thread reads whole only the rows of its own children, and passes over the rest on the
    // id: a row that stops the run is met by one thread alone, and the one to report is the
    // earlier in the file, as one thread reading every row meets it.
    const header = 'child_id,family_id,date_of_birth,event,event_date,route,notes';
    // Which thread takes an id: the second's are those the first passes over.
    const first = new Intake({ file: 'x.csv', asOf: AS_OF, mapping: DEFAULT_MAPPING, side: 0 });
    first.useHeader(header.split(','));
    const idOn = (side: 0 | 1, stem: string) => {
      for (let k = 0; k < 100; k++) {
        const id = `${stem}${k}`;
        if (Number(first.passOver.test(Buffer.from(id), 0, id.length)) === side) return id;
      }
      throw new Error(`no id for thread ${side}`);
    };
    // The header again with the child id's column renamed (HEADER_CHANGED), a cell too long
    // (MALFORMED_CSV), and a quote inside a cell, where the fast path steps aside for csv-parse.
    const renamed = (side: 0 | 1) => `${idOn(side, 'kid')},family_id,date_of_birth,event,event_date,route,notes`;
    const long = (side: 0 | 1) => `${idOn(side, 'L')},F,2010-01-01,accommodated,2017-01-01,,${'x'.repeat(300_000)}`;
    const quote = (side: 0 | 1) => `${idOn(side, 'Q')},F,2010-01-01,accommodated,2017-01-01,,said "no"`;
    const good = Array.from({ length: 90 }, (_, i) => `C${i},F${i},2010-01-01,accommodated,2017-01-01,,`);
    const cases: [string, string][] = [];
    for (const a of [0, 1] as const)
      for (const b of [0, 1] as const)
        cases.push([renamed(a), long(b)], [long(a), renamed(b)], [quote(a), renamed(b)], [renamed(a), quote(b)]);
    const before = shared.n;
    const codes = new Set<string>();
    await Promise.all(
      cases.map(async ([first, second], n) => {
        const rows = [header, ...good.slice(0, 30), first, ...good.slice(30, 60), second, ...good.slice(60)];
        const file = csvFile(`${rows.join('\n')}\n`);
        const reference = await loaded(file, DEFAULT_MAPPING, { reader: 'csv-parse', splitFrom: Infinity });
        if (!('error' in reference)) throw new Error('each case stops the run');
        codes.add(reference.error.slice(0, reference.error.indexOf(']') + 1));
        const got = await loaded(file, DEFAULT_MAPPING, { splitFrom: 0, readBytes: [7, 64, undefined][n % 3] });
        expect(got, `case ${n}`).toEqual(reference);
      }),
    );
    expect(codes).toEqual(new Set(['[HEADER_CHANGED]', '[MALFORMED_CSV]']));
    // Only a read with the fast path's shape throughout is shared out to the end.
    expect(shared.n - before).toBe(0);
    // And a quote alone, in either thread's row: the whole export goes to csv-parse.
    for (const side of [0, 1] as const) {
      const file = csvFile(`${[header, ...good.slice(0, 45), quote(side), ...good.slice(45)].join('\n')}\n`);
      const reference = await loaded(file, DEFAULT_MAPPING, { reader: 'csv-parse', splitFrom: Infinity });
      expect(reference).toMatchObject({ reader: 'csv-parse' });
      expect(await loaded(file, DEFAULT_MAPPING, { splitFrom: 0, readBytes: 64 })).toEqual(reference);
    }
  });

  it('in two threads that share out the children, keeps only a few MiB of rejected rows to explain at the end', async () => {
    // Rejected rows of 50,000 characters of free text each: ~40 fit the 2 Mi characters each
    // thread keeps, of the ~50 that are its own.
    const notes = 'x'.repeat(50_000);
    const rows = Array.from({ length: 100 }, (_, i) => `C${i},F${i},2010-01-01,accommodated,2017-02-30,,${notes}`);
    for (let i = 0; i < 50; i++) rows.push(`V${i},G${i},2010-01-01,accommodated,2017-01-01,,`);
    const file = csvFile(`child_id,family_id,date_of_birth,event,event_date,route,notes\n${rows.join('\n')}\n`);
    const reference = await loaded(file, DEFAULT_MAPPING, { reader: 'csv-parse', splitFrom: Infinity });
    const { got, kept } = await keptToExplain(() => loaded(file, DEFAULT_MAPPING, { splitFrom: 0 }));
    expect(got).toEqual({ ...reference, reader: 'fast' });
    expect(kept).toHaveLength(1);
    expect(kept[0]).toBeGreaterThan(60);
    expect(kept[0]).toBeLessThan(90);
  });

  it('in two threads with a worker, as load() reads them, cut at a record boundary', async () => {
    const rand = seeded(13);
    const shapes = [undefined, 'quoted line break', 'a BOM mid-file before a quote', 'line ends that change'] as const;
    const before = absorbed.n + shared.n;
    // Side by side: each load waits on its worker most of the time.
    await Promise.all(
      shapes.map(async (awkward, n) => {
        const g = generate(rand, 8 + Math.floor(rand() * 20), awkward);
        const file = csvFile(g.bytes);
        const mapping = MAPPINGS[g.mapping];
        // At the awkward shape, or anywhere after the header.
        const after = lineStarts(g.bytes).filter((s) => s >= g.headerEnd);
        const cut = g.shapeAt ?? after[Math.floor(rand() * after.length)];
        const reference = await loaded(file, mapping, { reader: 'csv-parse', splitFrom: Infinity });
        const got = await loaded(file, mapping, { splitFrom: 0, cutAt: cut - 1, readBytes: n % 2 ? 64 : undefined });
        expect(got, `file ${n}, cut at byte ${cut}:\n${JSON.stringify(g.bytes.toString())}`).toEqual({
          ...reference,
          reader: awkward ? 'csv-parse' : 'fast',
        });
      }),
    );
    // Each was read in two threads and joined: the plain one shared out, the others cut in two.
    expect(absorbed.n + shared.n - before).toBe(shapes.length);
  });
});

// Found by the generated tests above: reduced to the smallest case.
describe('two threads, cut where the fast path once read differently', () => {
  it('a line that starts with U+FEFF just after the cut keeps it as text, as one read does', async () => {
    // Two exports glued together leave a BOM at the start of a line. csv-parse reading the whole
    // file sees a quote inside a cell there ("C2" with its quotes, after trim); the part after
    // the cut once dropped the U+FEFF as if it were the file's BOM, and read C2.
    const head = 'child_id,family_id,date_of_birth,event,event_date,route\nC1,F1,2010-01-01,accommodated,2017-01-01,\n';
    const file = csvFile(`${head}\uFEFF"C2",F2,2010-01-01,accommodated,2017-02-01,\n`);
    const reference = await loaded(file, DEFAULT_MAPPING, { reader: 'csv-parse', splitFrom: Infinity });
    expect(reference).toMatchObject({ same: { ids: ['"C2"', 'C1'] } }); // in id order
    // The fast path steps aside at the quote after the U+FEFF: both readers are csv-parse's, cut.
    for (const reader of ['auto', 'csv-parse'] as const) {
      const before = absorbed.n;
      const got = await loaded(file, DEFAULT_MAPPING, { reader, splitFrom: 0, cutAt: Buffer.byteLength(head) - 1 });
      expect(absorbed.n - before).toBe(1); // read in two parts, cut just before the line
      expect(got).toEqual(reference);
    }
  });
});

describe('bytes that are not UTF-8, late in a file whose BOM says UTF-8', () => {
  it('stop the run at their line, whatever the read size, rather than a read as Windows-1252', async () => {
    // Found by the generated tests: read a few bytes at a time, everything before the bad byte was
    // ASCII, so the file was read again as Windows-1252, where its BOM became "ï»¿" glued to the
    // first header (MISSING_COLUMN). At the default read size the same happens in a file whose
    // bad byte comes after its first 64 KiB.
    const rows = Array.from({ length: 1600 }, (_, i) => `C${i},F1,2010-01-01,accommodated,2017-01-01,`);
    const head = `\uFEFFchild_id,family_id,date_of_birth,event,event_date,route\n${rows.join('\n')}\nZO`;
    const file = csvFile(
      Buffer.concat([Buffer.from(head), Buffer.from([0xc9]), Buffer.from(',F1,2010-01-01,review,2017-02-01,\n')]),
    );
    expect(Buffer.byteLength(head)).toBeGreaterThan(64 * 1024);
    for (const options of [{ reader: 'csv-parse' as const }, {}, { readBytes: 4096 }]) {
      const got = await loaded(file, DEFAULT_MAPPING, { ...options, splitFrom: Infinity });
      expect(got).toMatchObject({ error: expect.stringMatching(/^\[INVALID_ENCODING\] .*:1602: /) });
    }
  });
});

// A wide tracker (a row per child) is never read from bytes nor in two threads, but the fast path
// still splits its records: the same variations of the fixture, read either way.
describe('a wide tracker, with and without the fast path', async () => {
  const { readFileSync } = await import('node:fs');
  const { loadConfig }: typeof import('../src/config.js') = await import(dist('config.js'));
  const FIX = join(import.meta.dirname, '..', 'fixtures');
  const { mapping } = loadConfig(join(FIX, 'tracker-wide.config.json'));
  const [header, ...body] = readFileSync(join(FIX, 'tracker-wide.csv'), 'utf8').trimEnd().split(/\r?\n/);

  it('gives the same figures and findings, repeated and disagreeing rows included', async () => {
    const rand = seeded(16);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    for (let n = 0; n < 4 * SCALE; n++) {
      const delimiter = pick([',', ';', '\t']);
      const rows: string[] = [];
      for (const row of [...body].sort(() => rand() - 0.5)) {
        const r = rand();
        // A repeat, one that disagrees (another date), a blank line, or the row as it is.
        const cells = row.split(',');
        if (r < 0.1) rows.push(cells.join(delimiter));
        else if (r < 0.15) cells[4] = cells[4] ? '1 Jan 2018' : '2 Feb 2018';
        else if (r < 0.2) rows.push('');
        const written = cells.map((c) =>
          rand() < 0.1 ? `"${c}"` : rand() < 0.1 ? ` ${c}\u000b` : rand() < 0.03 ? `\u00a0${c}` : c,
        );
        rows.push(written.join(delimiter));
      }
      const end = rand() < 0.5 ? '\r\n' : '\n';
      const text = `${rand() < 0.3 ? '\ufeff' : ''}${[header.replaceAll(',', delimiter), ...rows].join(end)}${end}`;
      const file = csvFile(text);
      const reference = await loaded(file, mapping, { reader: 'csv-parse' });
      for (const readBytes of [7, undefined])
        expect(await loaded(file, mapping, { readBytes }), `file ${n}:\n${JSON.stringify(text)}`).toEqual({
          ...reference,
          reader: 'fast',
        });
    }
  });
});
