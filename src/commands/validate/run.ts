import { load } from '../../load.js';
import { accountingLine } from '../../report/accounting.js';
import { textTable } from '../../report/table.js';
import { inputJson, SCHEMA_VERSION, streamObject, TOOL } from '../../report/json.js';
import { asOfFrom, configNotice, emit, explainMissingColumn, formatFrom, loadOptionsFrom, stderrFor, stdoutColour } from '../runtime.js';
import { findingsCsv } from '../../report/findings.js';
import { type InputFlags } from '../common.js';
import { type CommandIO, type CommandResult } from '../io.js';
import { formatDay } from '../../dates/days.js';

export async function runValidate(file: string, flags: InputFlags, io: CommandIO): Promise<CommandResult> {
  const { done, config, configUsed, ...loadOptions } = loadOptionsFrom(file, flags, io);
  const format = formatFrom(flags, config.defaults.format);
  const asOf = asOfFrom(flags, config.defaults.asOf);
  const loaded = await load({ ...loadOptions, asOf }).catch(explainMissingColumn(file, configUsed)).finally(done);
  if (format !== 'json') stderrFor(io, flags).notice(configNotice(configUsed));
  const { findings, accounting } = loaded;
  const name = loaded.source.file;
  const list = findings.list();
  if (format === 'ndjson') {
    const line = (type: string, o: object) => JSON.stringify({ type, ...o }) + '\n';
    await emit(io, flags, [
      line('run', { schemaVersion: SCHEMA_VERSION, tool: TOOL, parameters: { asOf: formatDay(asOf) }, input: inputJson(loaded.source, accounting, findings) }),
      ...findings.byCode().map((b) => line('code', b)),
      ...list.map((f) => line('finding', f)),
    ]);
  } else if (format === 'json') {
    await emit(
      io,
      flags,
      streamObject(
        { schemaVersion: SCHEMA_VERSION, tool: TOOL, parameters: { asOf: formatDay(asOf), config: configUsed.file }, input: inputJson(loaded.source, accounting, findings), summary: findings.byCode() },
        { issues: list },
      ),
      'data',
    );
  } else if (format === 'csv') {
    await emit(io, flags, [findingsCsv(name, list)], 'data');
    if (io.stderrIsTTY) stderrFor(io, flags).notice(accountingLine(accounting) + '\n');
  } else {
    const c = stdoutColour(io, flags);
    const parts: string[] = [];
    if (list.length) {
      const t = textTable(['Line', 'Column', 'Code', 'Severity', 'Child', 'Message']);
      for (const f of list) t.push([f.line === null ? name : `${name}:${f.line}`, f.column ?? '', f.code, f.severity === 'error' ? c.red('error') : c.yellow('warning'), f.childId ?? '', f.message]);
      parts.push(t.toString());
      const byCode = textTable(['Code', 'Severity', 'Count', 'First lines']);
      for (const b of findings.byCode()) byCode.push([b.code, b.severity, b.count, b.firstLines.join(', ')]);
      parts.push(byCode.toString());
      if (findings.truncated) parts.push(`Only the first ${findings.keepPerCode} findings of each code are listed; the counts are complete.`);
    } else parts.push(`${name}: no findings.`);
    parts.push(accountingLine(accounting));
    await emit(io, flags, [parts.join('\n\n') + '\n']);
  }
  return findings.count('error') > 0 ? 1 : 0;
}

