/**
 * read -> validate -> build timelines: streams an export once, accepts or rejects every row with
 * a reason, and returns each child's episodes with the row accounting. Decides no exit code and
 * prints nothing.
 */
import { type Day } from './dates/days.js';
import { inputError } from './errors.js';
import { type Accounting, Intake, type IntakeOptions } from './intake/intake.js';
import { readInTwoParts } from './intake/two-parts.js';
import { DEFAULT_MAPPING, type Mapping } from './mapping.js';
import { NotPlain } from './read/fast.js';
import { readingAs, readRecords } from './read/source.js';
import { type Encoding, type SourceInfo, type StreamCopy } from './read/source-info.js';
import { type Pseudonymiser } from './privacy/pseudonymise.js';
import { type EpisodeTable } from './timeline/episodes.js';
import { buildAll } from './intake/build.js';
import { readShared } from './intake/shared.js';
import { SPLIT_FROM } from './intake/side-early.js';
import { type ChildStore } from './timeline/store.js';
import { type Findings } from './validate/findings.js';
import { checkEventKinds } from './validate/event-kinds.js';
import { type Phase } from './report/progress.js';
import { type AuditParameters, type SummaryTally } from './measures/decision.js';
import { letGo } from './let-go.js';

export interface LoadOptions {
  file: string;
  asOf: Day;
  mapping?: Mapping | undefined;
  encoding?: Encoding | undefined;
  /** Called as bytes are read, for a progress display. */
  onProgress?: ((bytesRead: number, totalBytes: number, rows: number) => void) | undefined;
  /** Called as later phases go on (report/progress.ts), for the same display. */
  onPhase?: ((phase: Phase, done: number, total: number) => void) | undefined;
  keepPerCode?: number | undefined;
  /** Read only this child's rows, keeping every event (for `pace-audit child`). */
  onlyChild?: string | undefined;
  /** Exports of this many bytes or more are read in two threads (see intake/two-parts.ts). */
  splitFrom?: number | undefined;
  /** 'csv-parse' skips the fast path (read/fast.ts): tests hold the two equal. */
  reader?: 'auto' | 'csv-parse' | undefined;
  /** Child and family ids become keyed tokens as they are read (--pseudonymise). */
  pseudonymiser?: Pseudonymiser | undefined;
  /**
   * Only the summary of the cohort these parameters pick will be reported: two threads that
   * share out the children (intake/shared.ts) then each sum up their own, and the second's
   * children and episodes are not handed over (see `Loaded.summary`).
   */
  summaryOf?: AuditParameters | undefined;
  /** Number the children in id order (see ChildStore.renumberById), for reports listing them. */
  inIdOrder?: boolean | undefined;
  /** A stream's bytes, kept by a first reading for a second (see StreamCopy); files ignore it. */
  streamCopy?: StreamCopy | undefined;
  /** Tests only: bytes per read, and where to look for the two-thread cut (see SourceInfo). */
  readBytes?: number | undefined;
  cutAt?: number | undefined;
}

export type { Accounting };

export interface Loaded {
  source: SourceInfo;
  accounting: Accounting;
  findings: Findings;
  episodes: EpisodeTable;
  /** Every child with an accepted row. */
  children: ChildStore;
  /** Which reader took the export in. */
  reader: 'fast' | 'csv-parse';
  /**
   * With `summaryOf`, when two threads read the export: the summary of every child's episodes.
   * `episodes` and `children` then hold the first thread's only, and must not be reported.
   */
  summary?: SummaryTally | undefined;
}

export function load(opts: LoadOptions): Promise<Loaded> {
  // A file guessed to be UTF-8 may turn out to be Windows-1252 only late: see readingAs.
  return readingAs(opts.file, opts.encoding, (source) => loadFrom(source, opts), opts.streamCopy);
}

async function loadFrom(opened: SourceInfo, opts: LoadOptions): Promise<Loaded> {
  const { readBytes, cutAt } = opts;
  const source = readBytes === undefined && cutAt === undefined ? opened : { ...opened, readBytes, cutAt };
  const mapping = opts.mapping ?? DEFAULT_MAPPING;
  const streamed = source.stream !== undefined;
  const options: IntakeOptions = {
    file: source.file,
    asOf: opts.asOf,
    mapping,
    keepPerCode: opts.keepPerCode,
    onlyChild: opts.onlyChild,
    pseudonymiser: opts.pseudonymiser,
  };
  const onProgress = opts.onProgress && ((bytes: number, rows: number) => opts.onProgress!(bytes, source.bytes, rows));
  const split =
    !streamed &&
    source.encoding === 'utf-8' &&
    mapping.layout !== 'wide' &&
    opts.onlyChild === undefined &&
    source.bytes >= (opts.splitFrom ?? SPLIT_FROM);
  // csv-parse, and the fast path under --pseudonymise (its rows are read as cells), cut the
  // export in two (intake/two-parts.ts); the fast path otherwise shares out its children.
  const read = async (src: SourceInfo) =>
    (split ? await readInTwoParts(src, options, onProgress) : undefined) ?? (await readInOne(src, options, onProgress));
  const share = split && opts.pseudonymiser === undefined;
  let intake: Intake | undefined;
  let shared: { episodes: EpisodeTable; kinds: Int32Array } | undefined;
  let summary: SummaryTally | undefined;
  let reader: Loaded['reader'] = 'fast';
  // The fast path reads plain UTF-8 exports; anything else it leaves, whole, to csv-parse. Not a
  // stream: leaving would mean reading it again.
  if (!streamed && source.encoding === 'utf-8' && opts.reader !== 'csv-parse') {
    const plain = { ...source, fast: true };
    try {
      const together = share ? await readShared(plain, options, onProgress, opts.onPhase, opts.summaryOf) : undefined;
      if (together) ({ intake, built: shared, summary } = together);
      // A second thread that could not run leaves the export to this one.
      else intake = await (share ? readInOne(plain, options, onProgress) : read(plain));
    } catch (e) {
      if (!(e instanceof NotPlain)) throw e;
    }
  }
  if (!intake) {
    reader = 'csv-parse';
    intake = await read(source);
  }
  const { acc, findings, children } = intake;
  findings.hideLines = opts.pseudonymiser !== undefined;
  const layout = intake.layout;
  if (!layout) throw inputError('EMPTY_FILE', `${source.file}: the file has no header row`);

  // Every check that needs a whole child runs here, on all its events, once every row is in.
  const built = shared ?? buildAll(intake, opts.onPhase);
  const { episodes, kinds } = built;
  // A whole event kind missing says more about the mapping than about one child.
  if (opts.onlyChild === undefined)
    checkEventKinds(
      kinds,
      findings,
      mapping.layout === 'wide' ? null : mapping.columns.event,
      mapping.layout === 'wide',
    );
  // From here on only `pace-audit child` looks at events; the rest need the episodes alone.
  if (opts.onlyChild === undefined) {
    children.releaseEvents();
    letGo(children.size);
    if (opts.inIdOrder) {
      const rank = children.renumberById();
      if (rank) {
        episodes.renumber(rank);
        letGo(children.size);
      }
    }
  }
  return { source, accounting: acc, findings, episodes, children, reader, summary };
}

async function readInOne(
  source: SourceInfo,
  options: IntakeOptions,
  onProgress?: (bytes: number, rows: number) => void,
): Promise<Intake> {
  const intake = new Intake(options);
  await readRecords(source, intake.handlers(onProgress && ((b) => onProgress(b, intake.acc.rowsRead))));
  return intake;
}
