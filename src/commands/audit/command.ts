import { type Command } from 'commander';
import { parseDuration } from '../../dates/duration.js';
import { PaceError } from '../../errors.js';
import { parseChoice, parseDateOption, parseNumberOption } from '../../options.js';
import { findingsSummary } from '../../report/findings.js';
import { addInputOptions, asOfFrom, emit, formatFrom, type InputFlags, loadOptionsFrom, stderrColour, stdoutColour } from '../common.js';
import { type CommandIO, type CommandResult } from '../io.js';
import { type Dispatch } from '../registry.js';
import { audit } from './index.js';
import { CSV_REPORTS, renderCsv, renderJson, renderTable, REPORTS } from './render.js';
import { applyStageTarget, defaultStageTargets } from '../../measures/stages.js';
import { accountingLine } from '../../report/accounting.js';

export interface AuditFlags extends InputFlags {
  from?: string;
  to?: string;
  maxAge?: string;
  target?: string;
  aim?: string;
  report?: string;
  strict?: boolean;
  failUnder?: string;
  stageTarget: string[];
  dueWithin: string;
}

export function registerAudit(program: Command, dispatch: Dispatch) {
  const cmd = program
    .command('audit')
    .description('measure each child\'s permanence-decision lag and report compliance and overdue children')
    .argument('<file>', 'case-event CSV export');
  addInputOptions(cmd)
    .option('--from <date>', 'cohort: accommodated on or after this date')
    .option('--to <date>', 'cohort: accommodated on or before this date')
    .option('--max-age <years>', 'cohort: under this age on the accommodation date (default: 12)')
    .option('--target <duration>', 'decision target from accommodation: 7.5m, 228d, 32w (default: 7.5m)')
    .option('--aim <percent>', 'share of children to decide within target (default: 75)')
    .option('--report <name>', `${REPORTS.join(', ')} (table: summary, overdue, due-soon, stages; csv: overdue)`)
    .option('--stage-target <stage=duration>', 'a later stage\'s target, e.g. panel=12w or court_application=none (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--due-within <duration>', 'list stages whose deadline falls within this of the audit date', '28d')
    .option('--strict', 'stop with exit 2 if any row is rejected')
    .option('--fail-under <percent>', 'exit 1 when the percentage within target is below this (or has no denominator)')
    .action((file: string, flags: AuditFlags) => dispatch('audit', file, flags));
}

export async function runAudit(file: string, flags: AuditFlags, io: CommandIO): Promise<CommandResult> {
      const format = formatFrom(flags);
      const report = flags.report === undefined ? undefined : parseChoice(flags.report, '--report', REPORTS);
      if (format === 'csv' && report !== undefined && !CSV_REPORTS.includes(report))
        throw new PaceError('INVALID_OPTION', `--format csv writes one table: use --report ${CSV_REPORTS.join(', ')}`);
      const { done, config, ...loadOptions } = loadOptionsFrom(file, flags, io);
      // Flags override the config file's defaults, which override ours.
      const d = config.defaults;
      const from = flags.from ?? d.from;
      const to = flags.to ?? d.to;
      const params = {
        asOf: asOfFrom(flags),
        from: from === undefined ? NaN : parseDateOption(from, flags.from ? '--from' : 'defaults.from'),
        to: to === undefined ? NaN : parseDateOption(to, flags.to ? '--to' : 'defaults.to'),
        maxAge: parseNumberOption(flags.maxAge ?? d.maxAge ?? 12, '--max-age', { min: 1, max: 25, integer: true }),
        target: parseDuration(flags.target ?? d.target ?? '7.5m', '--target'),
        aim: parseNumberOption(flags.aim ?? d.aim ?? 75, '--aim', { max: 100 }),
        stageTargets: flags.stageTarget.reduce(applyStageTarget, defaultStageTargets()),
        dueWithin: parseDuration(flags.dueWithin, '--due-within'),
      };
      if (params.from > params.to) throw new PaceError('INVALID_OPTION', '--from is after --to: the cohort would be empty');
      const failUnder = flags.failUnder === undefined ? undefined : parseNumberOption(flags.failUnder, '--fail-under', { max: 100 });
      const result = await audit(params, loadOptions).finally(done);

      const acc = result.accounting;
      if (result.findings.counts.size) io.writeStderr(findingsSummary(result.findings, acc.rowsRejected, file, stderrColour(io)));
      if (flags.strict && acc.rowsRejected > 0)
        throw new PaceError('REJECTED_ROWS', `${file}: ${acc.rowsRejected} row${acc.rowsRejected === 1 ? '' : 's'} rejected and --strict is set; run pace-audit validate for the list`);

      if (format === 'json') await emit(io, flags, renderJson(result));
      else if (format === 'csv') {
        io.writeStderr(accountingLine(acc) + '\n');
        await emit(io, flags, renderCsv(result, report ?? 'overdue'));
      } else await emit(io, flags, [renderTable(result, report, stdoutColour(io, flags))]);

      const pct = result.summary.percentWithinTarget;
      if (failUnder !== undefined && (pct === null || pct < failUnder)) {
        io.writeStderr(`pace-audit: ${pct === null ? 'no children counted' : `${pct.toFixed(1)}% within target`}, under --fail-under ${failUnder}%\n`);
        return 1;
      }
      return 0;
}
