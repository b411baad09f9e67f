import { formatDay, today } from '../../dates/days.js';
import { parseDuration } from '../../dates/duration.js';
import { PERIODS, periodEnds } from '../../dates/periods.js';
import { PaceError } from '../../errors.js';
import { RULE_SETS } from '../../measures/run-chart.js';
import { parseChoice, parseDateOption, parseNumberOption } from '../../options.js';
import { accountingLine } from '../../report/accounting.js';
import { findingsSummary } from '../../report/findings.js';
import { renderTrendHtml } from '../../report/html/trend.js';
import { auditParameters } from '../audit/parameters.js';
import { type CommandIO, type CommandResult } from '../io.js';
import {
  configNotice,
  emit,
  explainMissingColumn,
  loadOptionsFrom,
  stderrColour,
  stderrFor,
  stdoutColour,
  tableWidth,
} from '../runtime.js';
import { type TrendFlags } from './command.js';
import { MEASURE_KEYS, measureFor, trend } from './index.js';
import { renderTrendCsv, renderTrendJson, renderTrendTable } from './render.js';

/** More points than this is a mistake (a weekly series over decades), not a run chart. */
const MAX_POINTS = 1000;
const TREND_FORMATS = ['table', 'json', 'csv', 'html'] as const;

export async function runTrend(file: string, flags: TrendFlags, io: CommandIO): Promise<CommandResult> {
  const format = parseChoice(flags.format, '--format', TREND_FORMATS);
  const every = parseChoice(flags.every, '--every', PERIODS);
  const rules = parseChoice(flags.rules, '--rules', RULE_SETS);
  const measure = measureFor(flags.measure.trim().toLowerCase());
  if (!measure)
    throw new PaceError('INVALID_OPTION', `--measure "${flags.measure}" must be one of: ${MEASURE_KEYS.join(', ')}`);
  const start = parseDateOption(flags.start!, '--start');
  const end = flags.end === undefined ? today() : parseDateOption(flags.end, '--end');
  if (start > end) throw new PaceError('INVALID_OPTION', '--start is after --end: there is no period between them');
  const points = periodEnds(start, end, every);
  if (points.length === 0)
    throw new PaceError(
      'INVALID_OPTION',
      `no ${every} ends between --start ${formatDay(start)} and --end ${formatDay(end)}`,
    );
  if (points.length > MAX_POINTS)
    throw new PaceError(
      'INVALID_OPTION',
      `${points.length} points between --start and --end; at most ${MAX_POINTS} (use --every quarter, or a later --start)`,
    );
  const window = flags.window === undefined ? undefined : parseDuration(flags.window, '--window');
  const baseline =
    flags.baseline === undefined
      ? undefined
      : parseNumberOption(flags.baseline, '--baseline', { min: 1, integer: true });

  const { done, config, configUsed, ...loadOptions } = loadOptionsFrom(file, { ...flags, asOf: undefined }, io);
  const params = auditParameters(flags, config, points[points.length - 1]);
  const result = await trend({ params, points, measure, rules, baseline, window }, loadOptions)
    .catch(explainMissingColumn(file, configUsed))
    .finally(done);
  const stderr = stderrFor(io, flags);
  if (format !== 'json') stderr.notice(configNotice(configUsed));

  const acc = result.accounting;
  if (result.findings.counts.size)
    stderr.notice(findingsSummary(result.findings, acc.rowsRejected, file, stderrColour(io)));
  if (flags.strict && acc.rowsRejected > 0)
    throw new PaceError(
      'REJECTED_ROWS',
      `${file}: ${acc.rowsRejected} row${acc.rowsRejected === 1 ? '' : 's'} rejected and --strict is set; run pace-audit validate for the list`,
    );

  const trendInput = { report: result, every, start, end, config: configUsed.file };
  if (format === 'json') await emit(io, flags, renderTrendJson(trendInput), 'data');
  else if (format === 'csv') {
    stderr.notice(accountingLine(acc) + '\n');
    await emit(io, flags, renderTrendCsv(trendInput), 'data');
  } else if (format === 'html') await emit(io, flags, [renderTrendHtml(trendInput)], 'data');
  else
    await emit(io, flags, [
      renderTrendTable(trendInput, stdoutColour(io, flags), utf8Capable(io.env), tableWidth(io, flags)),
    ]);
  return 0;
}

/** Block characters only where the terminal's locale says UTF-8. */
function utf8Capable(env: {
  LANG?: string | undefined;
  LC_ALL?: string | undefined;
  LC_CTYPE?: string | undefined;
}): boolean {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(locale);
}
