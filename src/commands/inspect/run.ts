/**
 * `pace-audit inspect <file>`: what an unfamiliar export holds, and a suggested config, so that
 * a new export can be mapped in minutes. Reads the whole file but keeps only counts and at most
 * a few dozen distinct values per column; it never prints a cell of a column that looks like
 * names or free text, only of the column that looks like event codes.
 */
import { DATE_FORMATS, type DateFormat, formatsFitting } from '../../dates/parse.js';
import { PaceError } from '../../errors.js';
import { normaliseCode, EVENTS, ROUTES } from '../../model.js';
import { LIKELY_HEADERS } from '../../read/columns.js';
import { isBlankRecord, openSource, readRecords } from '../../read/source.js';
import { parseEncoding } from '../../options.js';
import { type CommandIO, type CommandResult } from '../io.js';
import { emit, formatFrom } from '../runtime.js';
import { type InputFlags } from '../common.js';

const MAX_DISTINCT = 40;

interface ColumnStats {
  header: string;
  filled: number;
  distinct: Map<string, number>;
  tooMany: boolean;
  /** How many filled cells each single date format reads. */
  dateFits: Map<DateFormat, number>;
}

export async function runInspect(file: string, flags: InputFlags, io: CommandIO): Promise<CommandResult> {
  const format = formatFrom(flags);
  if (format === 'csv') throw new PaceError('INVALID_OPTION', 'inspect writes table or json');
  const source = openSource(file, flags.encoding === undefined ? undefined : parseEncoding(flags.encoding));
  let columns: ColumnStats[] | undefined;
  let rows = 0;
  await readRecords(source, {
    onRecord(cells) {
      if (isBlankRecord(cells)) return;
      if (!columns) {
        columns = cells.map((h) => ({ header: h.replace(/^\uFEFF/, '').trim(), filled: 0, distinct: new Map(), tooMany: false, dateFits: new Map() }));
        return;
      }
      rows++;
      cells.forEach((raw, i) => {
        const c = columns![i];
        const v = raw.trim();
        if (!c || v === '') return;
        c.filled++;
        if (!c.tooMany) {
          c.distinct.set(v, (c.distinct.get(v) ?? 0) + 1);
          if (c.distinct.size > MAX_DISTINCT) c.tooMany = true;
        }
        if (c.filled <= 2000) for (const f of formatsFitting(v)) c.dateFits.set(f, (c.dateFits.get(f) ?? 0) + 1);
      });
    },
  });
  if (!columns) throw new PaceError('EMPTY_FILE', `${file}: the file is empty`);
  const report = describe(columns, rows);
  const result = { file, encoding: source.encoding, bom: source.bom, delimiter: source.delimiter, rows, ...report };
  if (format === 'json') await emit(io, flags, [JSON.stringify(result, null, 2) + '\n']);
  else {
    const lines = [
      `${file}: ${source.encoding}${source.bom ? ' with BOM' : ''}, ${source.delimiter === '\t' ? 'tab' : `"${source.delimiter}"`}-delimited, ${rows} rows`,
      '',
      'Columns:',
      ...report.columns.map((c) => `  ${JSON.stringify(c.header)}: ${c.filled} filled${c.dateFormat ? `, dates: ${c.dateFormat} (${c.dateFit} of ${c.dateChecked} fit)` : ''}${c.distinctValues !== null ? `, ${c.distinctValues} distinct` : ''}`),
    ];
    if (report.eventColumn) {
      lines.push('', `Likely event column ${JSON.stringify(report.eventColumn.header)}:`);
      for (const [v, n] of report.eventColumn.values) lines.push(`  ${String(n).padStart(7)}  ${v}`);
    }
    if (report.unmappedDateColumns.length) lines.push('', `Date columns not matched to an event (add them to "columns" by event name if they are milestones): ${report.unmappedDateColumns.map((h) => JSON.stringify(h)).join(', ')}`);
    lines.push('', 'Suggested config (save as pace-audit.config.json and replace every "TODO"):', JSON.stringify(report.suggestedConfig, null, 2));
    await emit(io, flags, [lines.join('\n') + '\n']);
  }
  return 0;
}

// Columns inspect can place by header alone; the event and its date are placed by their values.
const GUESS = (['child_id', 'family_id', 'date_of_birth', 'route'] as const).map((f) => [LIKELY_HEADERS[f], f] as const);

const EVENT_GUESS: [RegExp, string][] = [
  [/cease|end|discharg|left|closed/i, 'ceased_accommodated'],
  [/accommodat|laac|placed|start|admi/i, 'accommodated'],
  [/review|lac ?rev/i, 'review'],
  [/panel/i, 'permanence_panel'],
  [/adm|agency decision/i, 'adm_decision'],
  [/court|petition|applica/i, 'court_application'],
  [/final|order granted|granted/i, 'final_order'],
  [/decision|permanence/i, 'permanence_decision'],
];

function describe(columns: ColumnStats[], rows: number) {
  const described = columns.map((c) => {
    const checked = Math.min(c.filled, 2000);
    const best = [...c.dateFits].filter(([f]) => f !== 'mm/dd/yyyy' || !c.dateFits.has('dd/mm/yyyy')).sort((a, b) => b[1] - a[1])[0];
    const isDate = best !== undefined && best[1] >= checked * 0.9 && checked > 0;
    return { header: c.header, filled: c.filled, dateFormat: isDate ? best[0] : null, dateFit: isDate ? best[1] : 0, dateChecked: checked, distinctValues: c.tooMany ? null : c.distinct.size, stats: c };
  });
  const columnsGuess: Record<string, string> = {};
  for (const [re, field] of GUESS) {
    const hit = described.find((c) => re.test(c.header) && !Object.values(columnsGuess).includes(c.header));
    if (hit) columnsGuess[field] = hit.header;
  }
  // The event column: not a date, not an id, few distinct values, a good share of them event-like.
  const eventCol = described
    .filter((c) => !c.dateFormat && c.distinctValues !== null && c.distinctValues >= 2 && !Object.values(columnsGuess).includes(c.header))
    .map((c) => {
      const values = [...c.stats.distinct.keys()];
      const share = values.filter((v) => guessEvent(v) !== null).length / values.length;
      return { c, score: share + (LIKELY_HEADERS.event.test(c.header) ? 0.5 : 0) };
    })
    .filter((x) => x.score >= 0.3)
    .sort((a, b) => b.score - a.score)[0]?.c;
  const dateCols = described.filter((c) => c.dateFormat);
  const dobCol = dateCols.find((c) => /birth|dob/i.test(c.header));
  const milestoneCols = dateCols.filter((c) => c !== dobCol);
  // Several dated milestones and no event column: a one-row-per-child tracker.
  const wide = !eventCol && milestoneCols.length >= 2;
  columnsGuess.child_id ??= 'TODO: the column holding the child id';
  if (dobCol) columnsGuess.date_of_birth = dobCol.header;
  const unmapped: string[] = [];
  if (wide) {
    for (const c of milestoneCols) {
      const event = guessEvent(c.header.replace(/\bdate( of)?\b/gi, ''));
      if (event && !columnsGuess[event]) columnsGuess[event] = c.header;
      else unmapped.push(c.header);
    }
  } else {
    if (eventCol) columnsGuess.event = eventCol.header;
    const eventDateCol = [...milestoneCols].sort((a, b) => b.filled - a.filled)[0];
    if (eventDateCol) columnsGuess.event_date = eventDateCol.header;
  }
  const events: Record<string, string | null> = {};
  if (eventCol) for (const v of eventCol.stats.distinct.keys()) events[v] = guessEvent(v) ?? `TODO: one of ${EVENTS.join(', ')}, or null to ignore`;
  const routeCol = described.find((c) => c.header === columnsGuess.route);
  const routes: Record<string, string> = {};
  if (routeCol?.distinctValues) for (const v of routeCol.stats.distinct.keys()) if (!ROUTES.includes(normaliseCode(v) as never)) routes[v] = guessRoute(v) ?? `TODO: one of ${ROUTES.join(', ')}`;
  const formats = [...new Set(dateCols.map((c) => c.dateFormat!))].filter((f): f is DateFormat => (DATE_FORMATS as readonly string[]).includes(f));
  return {
    headers: columns.map((c) => c.header),
    columns: described.map(({ stats: _s, ...c }) => c),
    eventColumn: eventCol ? { header: eventCol.header, values: [...eventCol.stats.distinct].sort((a, b) => b[1] - a[1]) } : null,
    unmappedDateColumns: unmapped,
    suggestedConfig: {
      ...(wide ? { layout: 'wide' } : {}),
      columns: columnsGuess,
      ...(Object.keys(events).length ? { events } : {}),
      ...(Object.keys(routes).length ? { routes } : {}),
      ...(formats.length ? { dateFormat: formats.length === 1 ? formats[0] : formats } : {}),
    },
    rowsChecked: rows,
  };
}

function guessEvent(value: string): string | null {
  if (EVENTS.includes(normaliseCode(value) as never)) return normaliseCode(value);
  for (const [re, event] of EVENT_GUESS) if (re.test(value)) return event;
  return null;
}

function guessRoute(value: string): string | null {
  if (/home|return/i.test(value)) return 'home';
  if (/kin/i.test(value)) return 'kinship';
  if (/adopt/i.test(value)) return 'adoption';
  if (/\bpo\b|permanence order/i.test(value)) return 'permanence_order';
  return null;
}
