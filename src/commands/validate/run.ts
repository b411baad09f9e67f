import { load } from '../../load.js';
import { accountingLine } from '../../report/accounting.js';
import { findingsSummaryJson, inputJson, SCHEMA_VERSION, streamObject, TOOL } from '../../report/json.js';
import { fitTable, keepEnd, wrapText } from '../../report/table.js';
import {
  asOfFrom,
  bomFrom,
  configNotice,
  emit,
  explainMissingColumn,
  formatFrom,
  limitFrom,
  loadOptionsFrom,
  emptyExport,
  stderrFor,
  stdoutColour,
  tableWidth,
  withBom,
} from '../runtime.js';
import { findingsCsv } from '../../report/findings.js';
import { type CommandIO, type CommandResult } from '../io.js';
import { formatDay } from '../../dates/days.js';
import { type ValidateFlags } from './command.js';

export async function runValidate(file: string, flags: ValidateFlags, io: CommandIO): Promise<CommandResult> {
  const { done, config, configUsed, ...loadOptions } = loadOptionsFrom(file, flags, io);
  const format = formatFrom(flags, config.defaults.format);
  const limit = limitFrom(flags, format);
  const bom = bomFrom(flags, format);
  const asOf = asOfFrom(flags, config.defaults.asOf);
  // Listing every finding is validate's job: all are kept, but for a table that shows fewer than
  // the 1,000 of each code kept by default (a file of a million bad rows costs ~170 MiB of them).
  const keepPerCode = format === 'table' && limit <= 1000 ? undefined : Infinity;
  const loaded = await load({ ...loadOptions, asOf, keepPerCode })
    .catch(explainMissingColumn(file, configUsed))
    .finally(done);
  if (format !== 'json') stderrFor(io, flags).notice(configNotice(configUsed));
  const { findings, accounting } = loaded;
  const name = loaded.source.file;
  if (accounting.rowsRead === 0) stderrFor(io, flags).alert(emptyExport(name));
  const list = findings.list();
  if (format === 'ndjson') {
    const line = (type: string, o: object) => JSON.stringify({ type, ...o }) + '\n';
    await emit(io, flags, [
      line('run', {
        schemaVersion: SCHEMA_VERSION,
        tool: TOOL,
        parameters: { asOf: formatDay(asOf) },
        input: inputJson(loaded.source, accounting, findings),
      }),
      ...findings.byCode().map((b) => line('code', b)),
      ...list.map((f) => line('finding', f)),
    ]);
  } else if (format === 'json') {
    await emit(
      io,
      flags,
      streamObject(
        {
          schemaVersion: SCHEMA_VERSION,
          tool: TOOL,
          parameters: { asOf: formatDay(asOf), config: configUsed.file },
          input: inputJson(loaded.source, accounting, findings),
          summary: { ...findingsSummaryJson(findings), byCode: findings.byCode() },
        },
        { issues: list },
      ),
      'data',
    );
  } else if (format === 'csv') {
    await emit(io, flags, withBom(bom, [findingsCsv(name, list)]), 'data');
    if (io.stderrIsTTY) stderrFor(io, flags).notice(accountingLine(accounting) + '\n');
  } else {
    const c = stdoutColour(io, flags);
    const width = tableWidth(io, flags);
    const parts: string[] = [];
    if (list.length) {
      const shown = Math.min(list.length, limit);
      // The file once, above the table: lines are numbered as a spreadsheet shows them.
      const errors = findings.count('error');
      const warnings = findings.count('warning');
      parts.push(
        keepEnd(
          `${name}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
          width,
        ),
      );
      const rows = list
        .slice(0, shown)
        .map((f) => [
          f.line ?? '',
          f.column ?? '',
          f.code,
          f.severity === 'error' ? c.red('error') : c.yellow('warning'),
          f.childId ?? '',
          f.message,
        ]);
      // Severity gives way first on a narrow terminal: the table by code below repeats it.
      const t = fitTable(
        [
          { head: 'Line' },
          { head: 'Column' },
          { head: 'Code', keep: true },
          { head: 'Severity', optional: true },
          { head: 'Child', keep: true },
          { head: 'Message', wrap: true },
        ],
        rows,
        width,
        c,
      );
      // Of all the findings, not only those kept.
      const more = findings.count() - shown;
      parts.push(
        t.text +
          (more > 0
            ? `\n${wrapText(`and ${more.toLocaleString('en-GB')} more: \`--format csv\` lists them all (or --limit all)`, width)}`
            : ''),
      );
      const byCode = fitTable(
        [{ head: 'Code', keep: true }, { head: 'Severity' }, { head: 'Count' }, { head: 'First lines', wrap: true }],
        findings.byCode().map((b) => [b.code, b.severity, b.count, b.firstLines.join(', ')]),
        width,
        c,
      );
      parts.push(byCode.text);
      if (t.cut || byCode.cut)
        parts.push(
          wrapText('Cells ending in … are cut to fit the terminal; --format csv or json holds them whole.', width),
        );
    } else parts.push(keepEnd(`${name}: no findings.`, width));
    parts.push(wrapText(accountingLine(accounting), width));
    await emit(io, flags, [parts.join('\n\n') + '\n']);
  }
  return findings.count('error') > 0 ? 1 : 0;
}
