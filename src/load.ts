/**
 * read -> validate -> build timelines: streams an export once, accepts or rejects every row with
 * a reason, and returns each child's episodes with the row accounting. Decides no exit code and
 * prints nothing.
 */
import { type Day } from './dates/days.js';
import { inputError } from './errors.js';
import { type Accounting, Intake } from './intake/intake.js';
import { DEFAULT_MAPPING, type Mapping } from './mapping.js';
import { type Encoding, isBlankRecord, openSource, readRecords, type SourceInfo } from './read/source.js';
import { buildEpisodes, EpisodeTable } from './timeline/episodes.js';
import { type ChildStore } from './timeline/store.js';
import { type Findings } from './validate/findings.js';
import { type Layout } from './validate/layout.js';

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

export { type Accounting };

export interface Loaded {
  source: SourceInfo;
  accounting: Accounting;
  findings: Findings;
  episodes: EpisodeTable;
  /** Every child with an accepted row. */
  children: ChildStore;
}

export async function load(opts: LoadOptions): Promise<Loaded> {
  const mapping = opts.mapping ?? DEFAULT_MAPPING;
  const source = openSource(opts.file, opts.encoding);
  const intake = new Intake({ file: opts.file, asOf: opts.asOf, mapping, keepPerCode: opts.keepPerCode, onlyChild: opts.onlyChild });
  const { acc, findings, children } = intake;
  await readRecords(source, {
    onBytes: opts.onProgress && ((b) => opts.onProgress!(b, source.bytes, acc.rowsRead)),
    onRecord: (cells, line) => intake.take(cells, line),
  });
  const layout = intake.layout;
  if (!layout) throw inputError('EMPTY_FILE', `${opts.file}: the file has no header row`);

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
