/**
 * read -> validate -> build timelines: streams an export once, accepts or rejects every row with
 * a reason, and returns each child's episodes with the row accounting. Decides no exit code and
 * prints nothing.
 */
import { civilFromDay, type Day, dayFromCivil } from './dates/days.js';
import { dateParser } from './dates/parse.js';
import { inputError } from './errors.js';
import { DEFAULT_MAPPING, type Mapping } from './mapping.js';
import { EVENTS } from './model.js';
import { type Encoding, isBlankRecord, openSource, readRecords, type SourceInfo } from './read/source.js';
import { buildEpisodes, EpisodeTable } from './timeline/episodes.js';
import { ChildStore } from './timeline/store.js';
import { Findings } from './validate/findings.js';
import { type Layout, makeLayout } from './validate/layout.js';

export interface LoadOptions {
  file: string;
  asOf: Day;
  mapping?: Mapping;
  encoding?: Encoding;
  /** Called as bytes are read, for a progress display. */
  onProgress?: (bytesRead: number, totalBytes: number, rows: number) => void;
  keepPerCode?: number;
  /** Read only this child's rows, keeping every event (for `pace-audit child`). */
  onlyChild?: string;
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
  episodes: EpisodeTable;
  /** Every child with an accepted row. */
  children: ChildStore;
}

/** More than 25 years before the audit date: likely a mistyped year. */
const IMPLAUSIBLE_YEARS = 25;

export async function load(opts: LoadOptions): Promise<Loaded> {
  const mapping = opts.mapping ?? DEFAULT_MAPPING;
  const source = openSource(opts.file, opts.encoding);
  const findings = new Findings(opts.keepPerCode);
  const acc: Accounting = { rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, duplicates: 0, ignored: 0, eventsAfterAsOf: 0, blankLines: 0 };
  const parseDate = dateParser(mapping.dateFormats);
  let layout: Layout | undefined;
  const children = new ChildStore();
  const [y, m, dd] = civilFromDay(opts.asOf);
  const implausibleBefore = dayFromCivil(y - IMPLAUSIBLE_YEARS, m, dd);
  const file = opts.file;
  const only = opts.onlyChild;
  const dateHeader = mapping.layout === 'wide' ? null : mapping.columns.event_date;
  // Wide trackers hold one row per child: a second row for a child is an error.
  const seenWide = mapping.layout === 'wide' ? new Map<string, number>() : undefined;

  await readRecords(source, {
    onBytes: opts.onProgress && ((b) => opts.onProgress!(b, source.bytes, acc.rowsRead)),
    onRecord(cells, line) {
      if (isBlankRecord(cells)) {
        acc.blankLines++;
        return;
      }
      if (!layout) {
        layout = makeLayout(file, cells, mapping, parseDate);
        return;
      }
      if (only !== undefined && layout.childId(cells) !== only) return;
      acc.rowsRead++;
      const n = layout.read(cells);
      if (n < 0) {
        acc.rowsRejected++;
        const childId = layout.childId(cells) || null;
        for (const p of layout.explain(cells)) findings.add(p.code, line, p.header, childId, p.message);
        return;
      }
      if (seenWide) {
        const id = layout.childId(cells);
        const first = seenWide.get(id);
        if (first !== undefined) {
          acc.rowsRejected++;
          findings.add('DUPLICATE_CHILD_ROW', line, mapping.columns.child_id, id, `a second row for this child (the first is line ${first}); a tracker holds one row per child`, [first, line]);
          return;
        }
        seenWide.set(id, line);
      }
      acc.rowsAccepted++;
      let counted = false;
      for (let i = 0; i < n; i++) {
        const row = layout.rows[i];
        if (row.event < 0) {
          acc.ignored++;
          continue;
        }
        const c = children.childOf(row.childId);
        if (!counted) children.countRow(c);
        counted = true;
        if (row.familyId !== '') children.setFamily(c, row.familyId);
        if (!Number.isNaN(row.dob)) children.setDob(c, row.dob, line);
        if (row.date > opts.asOf) {
          acc.eventsAfterAsOf++;
          continue;
        }
        if (row.date < implausibleBefore)
          findings.add('IMPLAUSIBLE_DATE', line, dateHeader ?? mapping.milestones?.[EVENTS[row.event]] ?? null, row.childId, `the date is more than ${IMPLAUSIBLE_YEARS} years before the audit date; is the year mistyped?`);
        if (children.add(c, row.date, row.event, row.route, line, only === undefined) === 'duplicate') {
          acc.duplicates++;
          findings.add('DUPLICATE_ROW', line, null, row.childId, `repeats line ${children.duplicateOf}; counted once`);
        }
      }
    },
  });
  if (!layout) throw inputError('EMPTY_FILE', `${file}: the file has no header row`);

  await rereadDirtyChildren(source, children, layout, opts.asOf);

  const episodes = new EpisodeTable(children);
  for (let c = 0; c < children.size; c++) {
    const rejected = buildEpisodes(children, c, findings, episodes);
    acc.rowsAccepted -= rejected;
    acc.rowsRejected += rejected;
  }
  return { source, accounting: acc, findings, episodes, children };
}

/**
 * Children whose rows came out of date order so that pruning may have dropped an event that
 * counts: read their rows again and keep every distinct event. Findings and accounting were
 * settled by the first pass.
 */
async function rereadDirtyChildren(source: SourceInfo, children: ChildStore, layout: Layout, asOf: Day) {
  const dirty = new Set<string>();
  for (let c = 0; c < children.size; c++) {
    if (!children.dirty.get(c)) continue;
    dirty.add(children.ids[c]);
    children.clearEvents(c);
  }
  if (dirty.size === 0) return;
  let header = true;
  await readRecords(source, {
    onRecord(cells, line) {
      if (isBlankRecord(cells)) return;
      if (header) {
        header = false;
        return;
      }
      if (!dirty.has(layout.childId(cells))) return;
      const n = layout.read(cells);
      for (let i = 0; i < n; i++) {
        const row = layout.rows[i];
        if (row.event >= 0 && row.date <= asOf) children.add(children.childOf(row.childId), row.date, row.event, row.route, line, false);
      }
    },
  });
}
