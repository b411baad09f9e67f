import { PaceError } from '../../errors.js';
import { checkOutFolder } from '../../output/file.js';
import { parseChoice, parseNumberOption } from '../../options.js';
import { findingsSummary } from '../../report/findings.js';
import {
  asOfFrom,
  bomFrom,
  configNotice,
  emit,
  explainMissingColumn,
  formatFrom,
  limitFrom,
  loadOptionsFrom,
  stderrColour,
  emptyExport,
  stderrFor,
  stdoutColour,
  tableWidth,
  withBom,
} from '../runtime.js';
import { type CommandIO, type CommandResult } from '../io.js';
import { audit } from './audit.js';
import { type AuditFlags } from './command.js';
import { AUDIT_FORMATS } from './reports.js';
import { CSV_REPORTS, renderCsv, renderJson, renderJsonSummary, renderTable, REPORTS } from './render.js';
import { reaches } from '../../measures/decision.js';
import { auditParameters } from './parameters.js';
import { accountingLine } from '../../report/accounting.js';
import { renderAuditHtml } from '../../report/html/audit.js';
import { crossedThresholds, thresholdsFrom } from './thresholds.js';
import { renderNdjson } from './ndjson.js';
import { writeBundle } from './bundle.js';
import { checkSuppressible, renderSuppressed } from '../../privacy/suppress.js';

export async function runAudit(file: string, flags: AuditFlags, io: CommandIO): Promise<CommandResult> {
  const { done, progress, config, configUsed, ...loadOptions } = loadOptionsFrom(file, flags, io);
  // Flags override the config file's defaults, which override ours.
  const d = config.defaults;
  const format = formatFrom(flags, d.format, AUDIT_FORMATS);
  const report = flags.report === undefined ? undefined : parseChoice(flags.report, '--report', REPORTS);
  if (format === 'csv' && report !== undefined && !CSV_REPORTS.includes(report) && flags.suppressBelow === undefined)
    throw new PaceError('INVALID_OPTION', `--format csv writes one table: use --report ${CSV_REPORTS.join(', ')}`);
  const limit = limitFrom(flags, format);
  const bom = bomFrom(flags, format);
  const suppressBelow =
    flags.suppressBelow === undefined
      ? undefined
      : // With 2, "<2" could only mean 1: nothing would be hidden.
        parseNumberOption(flags.suppressBelow, '--suppress-below', { min: 3, integer: true });
  if (suppressBelow !== undefined) checkSuppressible(format, report, flags.out !== undefined);
  else if (
    flags.out !== undefined &&
    (flags.output !== undefined || flags.format !== undefined || flags.report !== undefined)
  )
    throw new PaceError(
      'INVALID_OPTION',
      '--out writes every report in every format into one folder; leave out --output, --format and --report',
    );
  // Said before the work: an empty name (an unset variable in a cron line) or `-` names no folder.
  if (flags.out === '' || flags.out === '-')
    throw new PaceError(
      'INVALID_OPTION',
      flags.out === ''
        ? '--out needs a folder name'
        : '--out writes a folder of files, not stdout: name a folder, or use --format and --output - for one report',
    );
  if (flags.out !== undefined) checkOutFolder(flags.out);
  const asOfRule = flags.asOf ?? d.asOf;
  const params = auditParameters(flags, config, asOfFrom(flags, d.asOf));
  const failUnderValue = flags.failUnder ?? d.failUnder;
  const failUnder =
    failUnderValue === undefined ? undefined : parseNumberOption(failUnderValue, '--fail-under', { max: 100 });
  const thresholds = thresholdsFrom(flags, d);
  const stderr = stderrFor(io, flags);
  // The HTML report, ndjson, the pack and suppression need the lists; JSON, CSV and tables of the summary alone skip per-child work.
  const summaryOnly =
    report === 'summary' &&
    (format === 'json' || format === 'csv' || format === 'table') &&
    flags.out === undefined &&
    suppressBelow === undefined;
  // The pack's findings.csv is the month's record of what to mend: every finding, not the first
  // 1,000 of each code that the other reports show.
  const keepPerCode = flags.out === undefined ? undefined : Infinity;
  const result = await audit(params, { ...loadOptions, keepPerCode }, summaryOnly)
    .catch(explainMissingColumn(file, configUsed))
    .finally(done);
  if (format !== 'json') stderr.notice(configNotice(configUsed));

  const acc = result.accounting;
  const name = result.source.file;
  // Only a header is more likely a failed export than a month without children: said even under
  // --quiet, so that cron mails it.
  if (acc.rowsRead === 0) stderr.alert(emptyExport(name));
  if (result.findings.counts.size)
    stderr.notice(findingsSummary(result.findings, acc.rowsRejected, name, stderrColour(io)));
  if (flags.strict && acc.rowsRejected > 0)
    throw new PaceError(
      'REJECTED_ROWS',
      `${name}: ${acc.rowsRejected} row${acc.rowsRejected === 1 ? '' : 's'} rejected and --strict is set; run pace-audit validate for the list`,
    );

  if (flags.out !== undefined) {
    const folder = await writeBundle(flags.out, result, {
      file,
      asOfRule,
      flags,
      pseudonymised: loadOptions.pseudonymiser !== undefined,
      configFile: configUsed.file,
    });
    stderr.notice(`pace-audit: wrote ${folder}\n`);
  } else if (suppressBelow !== undefined && format !== 'html')
    await emit(
      io,
      flags,
      renderSuppressed(result, format, report, suppressBelow, tableWidth(io, flags)),
      format === 'table' ? 'text' : 'data',
      progress,
    );
  else if (format === 'json')
    await emit(
      io,
      flags,
      report === 'summary' ? renderJsonSummary(result, configUsed.file) : renderJson(result, configUsed.file),
      'data',
      progress,
    );
  else if (format === 'ndjson') await emit(io, flags, renderNdjson(result), 'data', progress);
  // HTML is a document for a browser, exact like JSON: its renderer already replaces control characters.
  else if (format === 'html') await emit(io, flags, [renderAuditHtml(result)], 'data', progress);
  else if (format === 'csv') {
    // CSV has no room for the accounting: a person at a terminal sees it; cron, on a clean run, is not mailed it.
    if (io.stderrIsTTY) stderr.notice(accountingLine(acc) + '\n');
    await emit(io, flags, withBom(bom, renderCsv(result, report ?? 'overdue')), 'data', progress);
  } else
    await emit(
      io,
      flags,
      [renderTable(result, report, { width: tableWidth(io, flags), limit, colour: stdoutColour(io, flags) })],
      'text',
      progress,
    );

  const crossed: string[] = [];
  const s = result.summary;
  const counted = s.decidedWithinTarget + s.decidedLate + s.overdue;
  // The unrounded share, as for the aim: 74.95% is under 75 though it prints as 75.0%.
  if (failUnder !== undefined && !reaches(s.decidedWithinTarget, counted, failUnder)) {
    const share = (s.decidedWithinTarget * 100) / counted;
    // More digits when one decimal would round up to the threshold ("75.0%, under 75%").
    const shown = +share.toFixed(1) >= failUnder ? String(+share.toFixed(4)) : share.toFixed(1);
    crossed.push(
      `${counted === 0 ? 'no children counted' : `${shown}% within target (${s.decidedWithinTarget} of ${counted})`}, under --fail-under ${failUnder}%`,
    );
  }
  crossed.push(...crossedThresholds(thresholds, result));
  for (const line of crossed) stderr.alert(`pace-audit: ${line}\n`);
  return crossed.length ? 1 : 0;
}
