/**
 * `pace-audit inspect <file>`: what an unfamiliar export holds, and a suggested config, so that
 * a new export can be mapped in minutes. Reads the whole file but keeps only counts and at most
 * a few dozen distinct values per column. It shows the values of code columns only (few, short
 * distinct values: the event and route columns), never a cell of a column of names or free text,
 * and never the cells of a first row that is data rather than a header.
 */
import { DATE_FORMATS, type DateFormat, formatsFitting } from '../../dates/parse.js';
import { PaceError } from '../../errors.js';
import { normaliseCode, EVENTS, type EventName, ROUTES, type RouteName } from '../../model.js';
import { HeaderMarks, LIKELY_HEADERS, normaliseHeader } from '../../read/columns.js';
import { rowLooksLikeData, showableHeaders } from '../../read/header-cells.js';
import { isBlankRecord, readingAs, readRecords } from '../../read/source.js';
import { type SourceInfo } from '../../read/source-info.js';
import { parseEncoding } from '../../options.js';
import { type CommandIO, type CommandResult } from '../io.js';
import { emit, formatFrom } from '../runtime.js';
import { type InputFlags } from '../common.js';

/** Distinct values kept per column; a column with more is not a code column. */
const MAX_DISTINCT = 40;
/** A code column (events, routes): at most this many distinct values, none longer than CODE_LENGTH. */
const CODE_VALUES = 20;
const CODE_LENGTH = 40;
/** Cells checked for a date format, per column. */
const DATE_SAMPLE = 2000;

interface ColumnStats {
  header: string;
  filled: number;
  distinct: Map<string, number>;
  tooMany: boolean;
  /** The longest distinct value kept. */
  longest: number;
  /** How many filled cells each single date format reads. */
  dateFits: Map<DateFormat, number>;
}

export async function runInspect(file: string, flags: InputFlags, io: CommandIO): Promise<CommandResult> {
  const format = formatFrom(flags);
  if (format === 'csv' || format === 'ndjson') throw new PaceError('INVALID_OPTION', 'inspect writes table or json');
  const encoding = flags.encoding === undefined ? undefined : parseEncoding(flags.encoding);
  let columns: ColumnStats[] | undefined;
  let headerIsData = false;
  let rows = 0;
  let marks: HeaderMarks | undefined;
  let headerAgain: HeaderAgain = { same: [], moved: [] };
  const readAll = (src: SourceInfo) =>
    readRecords(src, {
      onRecord(cells, line) {
        if (isBlankRecord(cells)) return;
        if (!columns) {
          headerIsData = rowLooksLikeData(cells);
          columns = headerLabels(cells).map((header) => ({
            header,
            filled: 0,
            distinct: new Map(),
            tooMany: false,
            longest: 0,
            dateFits: new Map(),
          }));
          // No header row: the first row is the first record, counted like the rest.
          if (!headerIsData) {
            marks = headerTest(cells);
            return;
          }
        }
        // The header row again (two exports joined end to end) is no data: its names would be
        // counted as codes and suggested for mapping. Said where it is instead, as audit does.
        const again = marks?.test(cells);
        if (again) {
          headerAgain[again].push(line);
          return;
        }
        rows++;
        cells.forEach((raw, i) => {
          const c = columns![i];
          if (c) tally(c, raw.trim());
        });
      },
    });
  // A file read again in another encoding (see readingAs) is counted afresh.
  const source = await readingAs(file, encoding, async (src) => {
    columns = undefined;
    headerIsData = false;
    rows = 0;
    marks = undefined;
    headerAgain = { same: [], moved: [] };
    await readAll(src);
    return src;
  });
  if (!columns) throw new PaceError('EMPTY_FILE', `${file}: the file is empty`);
  const report = { ...describe(columns, rows), headerLooksLikeData: headerIsData, headerAgain };
  const result = { file, encoding: source.encoding, bom: source.bom, delimiter: source.delimiter, rows, ...report };
  if (format === 'json') await emit(io, flags, [JSON.stringify(result, null, 2) + '\n'], 'data');
  else await emit(io, flags, [renderText(file, source, rows, report)]);
  return 0;
}

/**
 * Lines where the header row comes again: with every named column in its place (`same`: audit
 * skips it, REPEATED_HEADER), or with some moved, renamed or missing (`moved`: audit stops there,
 * HEADER_CHANGED, when one it reads is among them).
 */
interface HeaderAgain {
  same: number[];
  moved: number[];
}

/**
 * Which rows are the header again, by audit's own test (HeaderMarks) with every named column
 * taken as read and required, since no mapping is known here: 'same' with every name in its place
 * (an extra column after them too), else 'moved' (at least half the header's names, two at
 * least), as audit stops there (HEADER_CHANGED) when a column it reads is elsewhere or missing.
 * A header of fewer than two names is not looked for again.
 */
function headerTest(header: string[]): HeaderMarks | undefined {
  const named = header.flatMap((h, i) => (normaliseHeader(h) === '' ? [] : [i]));
  return new Set(named.map((i) => normaliseHeader(header[i]))).size < 2
    ? undefined
    : new HeaderMarks(header, named, named);
}

/**
 * The first row's cells as inspect names them: a header as it is, but a cell that does not look
 * like one (a date, a number, a name in a row that holds dates) as "column N", so an export
 * without a header row does not have its first child's data printed as headers.
 */
function headerLabels(cells: string[]): string[] {
  const shown = new Set(showableHeaders(cells));
  return cells.map((h, i) => (shown.has(i) ? h.replace(/^\uFEFF/, '').trim() : `column ${i + 1}`));
}

function tally(c: ColumnStats, v: string): void {
  if (v === '') return;
  c.filled++;
  if (!c.tooMany) {
    const n = c.distinct.get(v);
    if (n === undefined && c.distinct.size === MAX_DISTINCT) {
      // Let go of the values: this is not a code column, and none of its cells will be shown.
      c.tooMany = true;
      c.distinct.clear();
    } else {
      c.distinct.set(v, (n ?? 0) + 1);
      if (v.length > c.longest) c.longest = v.length;
    }
  }
  if (c.filled <= DATE_SAMPLE) for (const f of formatsFitting(v)) c.dateFits.set(f, (c.dateFits.get(f) ?? 0) + 1);
}

interface Described {
  header: string;
  filled: number;
  dateFormat: DateFormat | null;
  dateFit: number;
  dateChecked: number;
  distinctValues: number | null;
  stats: ColumnStats;
}

/** The date format most of a column's filled cells fit (90%), or null. Never US order if day-first fits. */
function dateFormatOf(c: ColumnStats): Pick<Described, 'dateFormat' | 'dateFit' | 'dateChecked'> {
  const checked = Math.min(c.filled, DATE_SAMPLE);
  const best = [...c.dateFits]
    .filter(([f]) => f !== 'mm/dd/yyyy' || !c.dateFits.has('dd/mm/yyyy'))
    .sort((a, b) => b[1] - a[1])[0];
  const isDate = best !== undefined && checked > 0 && best[1] >= checked * 0.9;
  return { dateFormat: isDate ? best[0] : null, dateFit: isDate ? best[1] : 0, dateChecked: checked };
}

/**
 * Few, short values: a column of codes whose values may be shown and mapped, not free text. A
 * records system may have more activity types than routes, so the event column may hold up to
 * MAX_DISTINCT values; the route column, CODE_VALUES.
 */
const isCodeColumn = (c: Described, most = CODE_VALUES) =>
  c.distinctValues !== null && c.distinctValues <= most && c.stats.longest <= CODE_LENGTH;

/** Values by how often they occur, most first. */
const valuesOf = (c: Described): [string, number][] => [...c.stats.distinct].sort((a, b) => b[1] - a[1]);

/** Columns placed by header alone: child, family, date of birth; the route only if it holds codes. */
function guessFieldColumns(described: Described[]) {
  const fields: Record<string, string> = {};
  const taken = () => Object.values(fields);
  for (const f of ['child_id', 'family_id', 'date_of_birth'] as const) {
    const hit = described.find((c) => LIKELY_HEADERS[f].test(c.header) && !taken().includes(c.header));
    if (hit) fields[f] = hit.header;
  }
  const routeLike = described.filter(
    (c) => LIKELY_HEADERS.route.test(c.header) && !taken().includes(c.header) && !c.dateFormat,
  );
  const route = routeLike.find((c) => isCodeColumn(c));
  if (route) fields.route = route.header;
  // A "Care Plan Comments" column matches by header but holds free text: say why it was passed over.
  const notRoutes = routeLike.filter((c) => c !== route).map((c) => c.header);
  return { fields, route, notRoutes };
}

/** The event column: not a date, a code column, with a good share of event-like values. */
function findEventColumn(described: Described[], taken: string[]): Described | undefined {
  return described
    .filter(
      (c) => !c.dateFormat && isCodeColumn(c, MAX_DISTINCT) && c.distinctValues! >= 2 && !taken.includes(c.header),
    )
    .map((c) => {
      const values = [...c.stats.distinct.keys()];
      const share = values.filter((v) => eventsNamed(v).length > 0).length / values.length;
      return { c, score: share + (LIKELY_HEADERS.event.test(c.header) ? 0.5 : 0) };
    })
    .filter((x) => x.score >= 0.3)
    .sort((a, b) => b.score - a.score)[0]?.c;
}

/** A header that names a milestone: by its words, or a date column of any name. */
const isMilestoneHeader = (c: Described) =>
  eventsNamed(milestoneWords(c.header)).length > 0 || /\bdate\b/i.test(c.header);
const milestoneWords = (header: string) => header.replace(/\bdate( of)?\b/gi, '');

/**
 * The wide layout's date column per event, for every column that looks like a milestone,
 * including those empty today: "Date of Final Order" empty this month is filled next month, and
 * a column left out of the config would then be dropped without a word.
 */
function guessMilestones(described: Described[], taken: string[], dobCol: Described | undefined) {
  const columns: Record<string, string> = {};
  const unmapped: string[] = [];
  const empty: string[] = [];
  for (const c of described) {
    if (c === dobCol || taken.includes(c.header)) continue;
    if (c.filled > 0 ? !c.dateFormat : !isMilestoneHeader(c)) continue;
    if (c.filled === 0) empty.push(c.header);
    const guess = guessEvent(milestoneWords(c.header));
    const free = guess.candidates.find((e) => columns[e] === undefined);
    if (guess.event && columns[guess.event] === undefined) columns[guess.event] = c.header;
    else if (free)
      columns[free] = `TODO: put "${c.header}" under the event it records (${guess.candidates.join(' or ')}?)`;
    else unmapped.push(c.header);
  }
  return { columns, unmapped, empty };
}

/** A dateFormat for the config: one format, or the list the date columns use. */
function suggestedDateFormat(described: Described[]): DateFormat | DateFormat[] | undefined {
  const formats = [...new Set(described.flatMap((c) => (c.dateFormat ? [c.dateFormat] : [])))].filter((f) =>
    (DATE_FORMATS as readonly string[]).includes(f),
  );
  return formats.length === 0 ? undefined : formats.length === 1 ? formats[0] : formats;
}

function describe(columns: ColumnStats[], rows: number) {
  const described: Described[] = columns.map((c) => ({
    header: c.header,
    filled: c.filled,
    ...dateFormatOf(c),
    distinctValues: c.tooMany ? null : c.distinct.size,
    stats: c,
  }));
  const { fields, route: routeCol, notRoutes } = guessFieldColumns(described);
  const eventCol = findEventColumn(described, Object.values(fields));
  const dobCol = described.find((c) => c.header === fields.date_of_birth && c.dateFormat);
  const datedMilestones = described.filter((c) => c.dateFormat && c !== dobCol);
  // Several dated milestones and no event column: a one-row-per-child tracker.
  const wide = !eventCol && datedMilestones.length >= 2;
  const columnsGuess: Record<string, string> = { child_id: 'TODO: the column holding the child id', ...fields };
  let unmapped: string[] = [];
  let emptyMilestones: string[] = [];
  if (wide) {
    const m = guessMilestones(described, Object.values(fields), dobCol);
    Object.assign(columnsGuess, m.columns);
    unmapped = m.unmapped;
    emptyMilestones = m.empty;
  } else {
    if (eventCol) columnsGuess.event = eventCol.header;
    const eventDateCol = [...datedMilestones].sort((a, b) => b.filled - a.filled)[0];
    if (eventDateCol) columnsGuess.event_date = eventDateCol.header;
  }
  const events: Record<string, string | null> = {};
  if (eventCol) for (const v of eventCol.stats.distinct.keys()) events[v] = guessEvent(v).event ?? guessEvent(v).todo!;
  const routes: Record<string, string> = {};
  if (routeCol)
    for (const v of routeCol.stats.distinct.keys())
      if (!ROUTES.includes(normaliseCode(v) as RouteName))
        routes[v] = guessRoute(v) ?? `TODO: one of ${ROUTES.join(', ')}`;
  const dateFormat = suggestedDateFormat(described);
  return {
    headers: columns.map((c) => c.header),
    columns: described.map(({ stats: _s, ...c }) => c),
    eventColumn: eventCol ? { header: eventCol.header, values: valuesOf(eventCol) } : null,
    routeColumn: routeCol ? { header: routeCol.header, values: valuesOf(routeCol) } : null,
    notRouteColumns: notRoutes,
    unmappedDateColumns: unmapped,
    emptyMilestoneColumns: emptyMilestones,
    suggestedConfig: {
      ...(wide ? { layout: 'wide' } : {}),
      columns: columnsGuess,
      ...(Object.keys(events).length ? { events } : {}),
      ...(Object.keys(routes).length ? { routes } : {}),
      ...(dateFormat ? { dateFormat } : {}),
    },
    rowsChecked: rows,
  };
}

function renderText(
  file: string,
  source: { encoding: string; bom: boolean; delimiter: string },
  rows: number,
  report: ReturnType<typeof describe> & { headerLooksLikeData: boolean; headerAgain: HeaderAgain },
): string {
  const lines = [
    `${file}: ${source.encoding}${source.bom ? ' with BOM' : ''}, ${source.delimiter === '\t' ? 'tab' : `"${source.delimiter}"`}-delimited, ${rows} rows`,
  ];
  if (report.headerLooksLikeData)
    lines.push(
      '',
      'The first row holds dates or numbers: it looks like data, not a header row. pace-audit needs a header row; its cells are shown as "column N".',
    );
  const at = (list: number[]) =>
    `line${list.length > 1 ? 's' : ''} ${list.slice(0, 5).join(', ')}${list.length > 5 ? ` and ${list.length - 5} more` : ''}`;
  const { same, moved } = report.headerAgain;
  if (same.length)
    lines.push(
      '',
      `The header row comes again at ${at(same)}, as where two exports are joined end to end: not counted here; audit and validate skip it (REPEATED_HEADER).`,
    );
  if (moved.length)
    lines.push(
      '',
      `The header row comes again with its columns changed (moved, renamed or missing) at ${at(moved)}: audit and validate stop there if a column they read is elsewhere or gone (HEADER_CHANGED), since the rows after it would be read by the wrong columns. Inspect and audit each export on its own.`,
    );
  lines.push(
    '',
    'Columns:',
    ...report.columns.map(
      (c) =>
        `  ${JSON.stringify(c.header)}: ${c.filled} filled${c.dateFormat ? `, dates: ${c.dateFormat} (${c.dateFit} of ${c.dateChecked} fit)` : ''}${c.distinctValues !== null ? `, ${c.distinctValues} distinct` : ''}`,
    ),
  );
  const listValues = (title: string, col: { header: string; values: [string, number][] } | null) => {
    if (!col) return;
    lines.push('', `${title} ${JSON.stringify(col.header)}:`);
    for (const [v, n] of col.values) lines.push(`  ${String(n).padStart(7)}  ${v}`);
  };
  listValues('Likely event column', report.eventColumn);
  listValues('Likely route column', report.routeColumn);
  if (report.notRouteColumns.length)
    lines.push(
      '',
      `Not suggested as the route column (more than ${CODE_VALUES} distinct values or values over ${CODE_LENGTH} characters: free text?): ${report.notRouteColumns.map((h) => JSON.stringify(h)).join(', ')}`,
    );
  if (report.emptyMilestoneColumns.length)
    lines.push(
      '',
      `Empty today, mapped all the same so that dates added later are read: ${report.emptyMilestoneColumns.map((h) => JSON.stringify(h)).join(', ')}`,
    );
  if (report.unmappedDateColumns.length)
    lines.push(
      '',
      `Date columns not matched to an event (add them to "columns" by event name if they are milestones): ${report.unmappedDateColumns.map((h) => JSON.stringify(h)).join(', ')}`,
    );
  lines.push(
    '',
    'Suggested config (save as pace-audit.config.json and replace every "TODO"):',
    JSON.stringify(report.suggestedConfig, null, 2),
  );
  return lines.join('\n') + '\n';
}

// The words that name each event, most specific first where two could match ("LAAC End" ends).
const EVENT_WORDS: [EventName, RegExp][] = [
  ['ceased_accommodated', /cease|\bend(ed)?\b|discharg|\bleft\b|closed/i],
  ['accommodated', /accommodat|\blaac\b|placed|\bstart|admission|admitted/i],
  ['review', /review/i],
  ['permanence_panel', /panel/i],
  ['adm_decision', /\badm\b|agency decision/i],
  ['court_application', /court|petition|applica/i],
  ['final_order', /final|\border\b|granted/i],
  ['permanence_decision', /decision/i],
];

/** Events a guess may never be silently swapped for: the stages the audit measures after accommodation. */
const STAGE_EVENTS: readonly EventName[] = [
  'permanence_decision',
  'permanence_panel',
  'adm_decision',
  'court_application',
  'final_order',
];

/** Every event a value names by its words ("ADM Decision" is an ADM decision, not a permanence decision). */
function eventsNamed(value: string): EventName[] {
  if (EVENTS.includes(normaliseCode(value) as EventName)) return [normaliseCode(value) as EventName];
  const named = EVENT_WORDS.filter(([, re]) => re.test(value)).map(([e]) => e);
  return named.includes('adm_decision') && !/decision/i.test(value.replace(/\badm\b\s*decision|agency decision/gi, ''))
    ? named.filter((e) => e !== 'permanence_decision')
    : named;
}

/**
 * An event for a value, or a TODO. The first event named wins, except that a value naming a
 * decision, panel, ADM, court or order is never mapped to another event without a TODO:
 * "Permanence Decision (LAC Review)" mapped to `review` measured no decision at all.
 */
function guessEvent(value: string): { event: EventName | null; candidates: EventName[]; todo: string | null } {
  const named = eventsNamed(value);
  const stages = named.filter((e) => STAGE_EVENTS.includes(e));
  const pick = `one of ${EVENTS.join(', ')}, or null to ignore`;
  if (named.length === 0) {
    // "Permanence" alone could be a decision or a planning meeting: ask.
    if (/permanence/i.test(value))
      return { event: null, candidates: ['permanence_decision'], todo: `TODO: permanence_decision? (${pick})` };
    return { event: null, candidates: [], todo: `TODO: ${pick}` };
  }
  if (stages.length > 1 || (stages.length === 1 && named[0] !== stages[0]))
    return { event: null, candidates: named, todo: `TODO: it names ${named.join(' and ')}: which is it? (${pick})` };
  return { event: named[0], candidates: named, todo: null };
}

function guessRoute(value: string): RouteName | null {
  if (/home|return/i.test(value)) return 'home';
  if (/kin/i.test(value)) return 'kinship';
  if (/adopt/i.test(value)) return 'adoption';
  if (/\bpo\b|permanence order/i.test(value)) return 'permanence_order';
  return null;
}
