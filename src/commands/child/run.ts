/** `pace-audit child <id> <file>`: one child's timeline, for a data officer chasing one case. */
import { type Cell, type Column, fitTable, wrapText } from '../../report/table.js';
import { formatDay, formatDayOrNull } from '../../dates/days.js';
import { parseDuration } from '../../dates/duration.js';
import { PaceError } from '../../errors.js';
import { load } from '../../load.js';
import { measureEpisode, type AuditParameters } from '../../measures/decision.js';
import { applyStageTarget, defaultStageTargets, STAGES, stageTargetText } from '../../measures/stages.js';
import { Ev, EVENTS, routeName } from '../../model.js';
import { accountingLine } from '../../report/accounting.js';
import { inputJson, SCHEMA_VERSION, TOOL } from '../../report/json.js';
import { stageResults } from '../audit/audit.js';
import { stageJson } from '../audit/render.js';
import {
  asOfFrom,
  configNotice,
  emit,
  explainMissingColumn,
  loadOptionsFrom,
  stdoutColour,
  tableWidth,
} from '../runtime.js';
import { type CommandIO, type CommandResult } from '../io.js';
import { CHILD_FORMATS, type ChildFlags } from './command.js';
import { parseChoice } from '../../options.js';

import { dateOf, eventOf, routeOf } from '../../timeline/store.js';

export async function runChild(
  file: string,
  flags: ChildFlags & { id: string },
  io: CommandIO,
): Promise<CommandResult> {
  const format = parseChoice(flags.format ?? 'table', '--format', CHILD_FORMATS);
  const id = flags.id.trim();
  const params: AuditParameters = {
    asOf: asOfFrom(flags),
    from: NaN,
    to: NaN,
    maxAge: Infinity,
    target: parseDuration(flags.target, '--target'),
    aim: 0,
    stageTargets: (flags.stageTarget ?? []).reduce(applyStageTarget, defaultStageTargets()),
    dueWithin: parseDuration('0d'),
  };
  const { done, config: _config, configUsed, ...loadOptions } = loadOptionsFrom(file, flags, io);
  const loaded = await load({ ...loadOptions, asOf: params.asOf, onlyChild: id })
    .catch(explainMissingColumn(file, configUsed))
    .finally(done);
  if (format !== 'json') io.writeStderr(configNotice(configUsed));
  if (loaded.accounting.rowsRead === 0) throw new PaceError('CHILD_NOT_FOUND', `${file}: no row has child id "${id}"`);
  const c = 0; // the only child read
  const { keys, lines } = loaded.children.size ? loaded.children.events(c) : { keys: [], lines: [] };
  const episodes = Array.from({ length: loaded.episodes.length }, (_, i) => loaded.episodes.get(i));
  // README "Counting rules" 2: on a day one episode ceases and the next starts, the accommodated
  // row is the new episode's and every other event the ceasing one's.
  const episodeOf = (day: number, event: number) => {
    const open = episodes.filter((e) => e.start <= day && !(e.end < day));
    return (event === Ev.Accommodated ? open.find((e) => e.start === day) : undefined) ?? open[0];
  };
  const events = keys.map((k, i) => {
    const date = dateOf(k);
    const ep = episodeOf(date, eventOf(k));
    return {
      line: lines[i],
      date: formatDay(date),
      event: EVENTS[eventOf(k)],
      route: routeName(routeOf(k)),
      episode: ep?.n ?? null,
      daysSinceAccommodation: ep ? date - ep.start : null,
    };
  });
  const journey = episodes.map((ep) => {
    const r = measureEpisode(ep, params);
    return {
      episode: ep.n,
      accommodatedOn: formatDay(ep.start),
      ceasedOn: formatDayOrNull(ep.end),
      status: r.status,
      stages: stageResults(ep, params).map((s, i) => ({
        stage: STAGES[i].key,
        label: STAGES[i].label,
        target: stageTargetText(STAGES[i].key, params.target, params.stageTargets),
        ...stageJson(s),
      })),
    };
  });
  const issues = loaded.findings.list();
  const familyId = loaded.children.size ? loaded.children.familyName(loaded.children.family.get(c)) || null : null;

  if (format === 'json') {
    await emit(
      io,
      flags,
      [
        JSON.stringify(
          {
            schemaVersion: SCHEMA_VERSION,
            tool: TOOL,
            parameters: { asOf: formatDay(params.asOf), target: params.target.text, config: configUsed.file },
            input: inputJson(loaded.source, loaded.accounting, loaded.findings),
            childId: id,
            familyId,
            events,
            episodes: journey,
            issues,
          },
          null,
          2,
        ) + '\n',
      ],
      'data',
    );
    return 0;
  }
  const col = stdoutColour(io, flags);

  const width = tableWidth(io, flags);
  const parts = [
    wrapText(`Child ${id}${familyId ? `, family ${familyId}` : ''}, as of ${formatDay(params.asOf)}`, width),
  ];
  const eventRows = events.map((e) => [
    e.line,
    e.date,
    e.event,
    e.route ?? '',
    e.episode ?? 'outside any episode',
    e.daysSinceAccommodation ?? '',
  ]);
  const eventColumns: Column[] = [
    { head: 'Line' },
    { head: 'Date' },
    { head: 'Event', keep: true },
    { head: 'Route' },
    { head: 'Episode' },
    { head: 'Days since accommodation' },
  ];
  parts.push(fitTable(eventColumns, eventRows, width, col).text);
  for (const j of journey) {
    const rows: Cell[][] = [];
    for (const st of j.stages) {
      if (st.status === 'not_applicable') continue;
      const status = st.status === 'overdue' || st.status === 'late' ? col.red(st.status) : st.status;
      rows.push([
        st.label,
        st.target ?? 'none',
        st.start ?? '',
        st.on ?? '',
        st.deadline ?? '',
        st.lagDays ?? '',
        status,
      ]);
    }
    const s = fitTable(
      [
        { head: 'Stage', wrap: true },
        { head: 'Target' },
        { head: 'Started' },
        { head: 'Reached' },
        { head: 'Deadline' },
        { head: 'Lag (days)' },
        { head: 'Status' },
      ],
      rows,
      width,
      col,
    );
    parts.push(
      `${wrapText(`Episode ${j.episode}: accommodated ${j.accommodatedOn}${j.ceasedOn ? `, ceased ${j.ceasedOn}` : ''}; decision ${j.status}`, width)}\n${s.text}`,
    );
  }
  if (issues.length)
    parts.push(
      [
        'Findings about this child:',
        ...issues.map((f) => wrapText(`  line ${f.line}: ${f.code} (${f.severity}) ${f.message}`, width)),
      ].join('\n'),
    );
  parts.push(wrapText(accountingLine(loaded.accounting), width));
  await emit(io, flags, [parts.join('\n\n') + '\n']);
  return 0;
}
