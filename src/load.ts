/**
 * read -> validate -> build timelines: streams an export once, accepts or rejects every row with
 * a reason, and returns each child's episodes with the row accounting. Decides no exit code and
 * prints nothing.
 */
import { ageOn, type Day } from './dates/days.js';
import { dateParser } from './dates/parse.js';
import { inputError } from './errors.js';
import { DEFAULT_MAPPING, eventReader, isRequired, type Mapping, routeReader } from './mapping.js';
import { FIELDS, type Field } from './model.js';
import { locateColumns } from './read/columns.js';
import { type Encoding, openSource, readRecords, type SourceInfo } from './read/source.js';
import { ChildState } from './timeline/child.js';
import { buildEpisodes, type Episode } from './timeline/episodes.js';
import { Findings } from './validate/findings.js';
import { checkRow, explainRow, newEventRow, type RowRules, rowSchema } from './validate/row.js';

export interface LoadOptions {
  file: string;
  asOf: Day;
  mapping?: Mapping;
  encoding?: Encoding;
  /** Called as bytes are read, for a progress display. */
  onProgress?: (bytesRead: number, totalBytes: number, rows: number) => void;
  keepPerCode?: number;
}

export interface Accounting {
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  /** Of the accepted rows: exact repeats of an earlier row, kept once. */
  duplicates: number;
  /** Of the accepted rows: events the mapping ignores on purpose. */
  ignored: number;
  /** Of the accepted rows: events dated after the audit date, ignored as not yet happened. */
  eventsAfterAsOf: number;
  /** Blank lines, skipped; not rows. */
  blankLines: number;
}

export interface Loaded {
  source: SourceInfo;
  accounting: Accounting;
  findings: Findings;
  episodes: Episode[];
  /** Every child id that had an accepted row, for `child` look-ups. */
  childIds: Set<string>;
}

/** More than 25 years before the audit date: likely a mistyped year. */
const IMPLAUSIBLE_YEARS = 25;

export async function load(opts: LoadOptions): Promise<Loaded> {
  const mapping = opts.mapping ?? DEFAULT_MAPPING;
  const source = openSource(opts.file, opts.encoding);
  const findings = new Findings(opts.keepPerCode);
  const acc: Accounting = { rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, duplicates: 0, ignored: 0, eventsAfterAsOf: 0, blankLines: 0 };
  const parseDate = dateParser(mapping.dateFormats);
  let rules: RowRules | undefined;
  let schema: ReturnType<typeof rowSchema> | undefined;
  const children = new Map<string, ChildState>();
  const row = newEventRow();
  const file = opts.file;

  const headerRules = (header: string[]): RowRules => {
    const col = locateColumns(file, header, FIELDS.map((f) => ({ key: f, header: mapping.columns[f], required: isRequired(f) }))) as Record<Field, number>;
    return { col, header: mapping.columns, parseDate, eventOf: eventReader(mapping), routeOf: routeReader(mapping) };
  };

  await readRecords(source, {
    onBytes: opts.onProgress && ((b) => opts.onProgress!(b, source.bytes, acc.rowsRead)),
    onRecord(cells, line) {
      if (isBlank(cells)) {
        acc.blankLines++;
        return;
      }
      if (!rules) {
        rules = headerRules(cells);
        return;
      }
      acc.rowsRead++;
      if (!checkRow(cells, rules, row)) {
        acc.rowsRejected++;
        schema ??= rowSchema(rules);
        const childId = rules.col.child_id >= 0 ? (cells[rules.col.child_id] ?? '').trim() || null : null;
        for (const p of explainRow(cells, rules, schema)) findings.add(p.code, line, rules.header[p.column], childId, p.message);
        return;
      }
      acc.rowsAccepted++;
      if (row.event < 0) {
        acc.ignored++;
        return;
      }
      let child = children.get(row.childId);
      if (!child) children.set(row.childId, (child = new ChildState()));
      child.rows++;
      if (!child.familyId) child.familyId = row.familyId;
      if (!Number.isNaN(row.dob)) {
        if (Number.isNaN(child.dob)) [child.dob, child.dobLine] = [row.dob, line];
        else if (child.dob !== row.dob && !child.dobConflictLine) child.dobConflictLine = line;
      }
      if (row.date > opts.asOf) {
        acc.eventsAfterAsOf++;
        return;
      }
      if (ageOn(row.date, opts.asOf - 1) >= IMPLAUSIBLE_YEARS)
        findings.add('IMPLAUSIBLE_DATE', line, rules.header.event_date, row.childId, `${rules.header.event_date} is more than ${IMPLAUSIBLE_YEARS} years before the audit date; is the year mistyped?`);
      if (child.add(row.date, row.event, row.route, line, true) === 'duplicate') {
        acc.duplicates++;
        findings.add('DUPLICATE_ROW', line, null, row.childId, `repeats line ${child.duplicateOf}; counted once`);
      }
    },
  });
  if (!rules) throw inputError('EMPTY_FILE', `${file}: the file has no header row`);

  await rereadDirtyChildren(source, children, rules, opts.asOf);

  const episodes: Episode[] = [];
  for (const [id, child] of children) {
    const t = buildEpisodes(id, child, findings);
    acc.rowsAccepted -= t.rejectedRows;
    acc.rowsRejected += t.rejectedRows;
    for (const ep of t.episodes) episodes.push(ep);
  }
  return { source, accounting: acc, findings, episodes, childIds: new Set(children.keys()) };
}

/**
 * Children whose rows came out of date order so that pruning may have dropped an event that
 * counts: read their rows again and keep every distinct event. Findings and accounting were
 * settled by the first pass.
 */
async function rereadDirtyChildren(source: SourceInfo, children: Map<string, ChildState>, rules: RowRules, asOf: Day) {
  const dirty = new Set<string>();
  for (const [id, c] of children) {
    if (!c.dirty) continue;
    dirty.add(id);
    c.keys = [];
    c.lines = [];
    c.maxPruned = -Infinity;
  }
  if (dirty.size === 0) return;
  const row = newEventRow();
  let header = true;
  await readRecords(source, {
    onRecord(cells, line) {
      if (isBlank(cells)) return;
      if (header) {
        header = false;
        return;
      }
      if (!checkRow(cells, rules, row) || row.event < 0 || row.date > asOf || !dirty.has(row.childId)) return;
      children.get(row.childId)!.add(row.date, row.event, row.route, line, false);
    },
  });
}

function isBlank(cells: string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}
