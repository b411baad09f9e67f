import { PaceError } from '../../errors.js';
import { parseDateOption } from '../../options.js';
import { accountingLine } from '../../report/accounting.js';
import { auditParameters } from '../audit/parameters.js';
import { type CommandIO, type CommandResult } from '../io.js';
import {
  asOfFrom,
  configNotice,
  emit,
  explainMissingColumn,
  formatFrom,
  loadOptionsFrom,
  stderrFor,
  stdoutColour,
  tableWidth,
} from '../runtime.js';
import { type ChangesFlags } from './command.js';
import { changes } from './index.js';
import { renderChangesCsv, renderChangesJson, renderChangesTable } from './render.js';

export async function runChanges(file: string, flags: ChangesFlags, io: CommandIO): Promise<CommandResult> {
  const format = formatFrom(flags);
  const since = parseDateOption(flags.since, '--since');
  const { done, config, configUsed, ...loadOptions } = loadOptionsFrom(file, flags, io);
  const params = auditParameters(flags, config, asOfFrom(flags));
  if (since >= params.asOf)
    throw new PaceError('INVALID_OPTION', '--since must be before --as-of: there is nothing between them');
  const result = await changes(params, since, loadOptions).catch(explainMissingColumn(file, configUsed)).finally(done);
  const stderr = stderrFor(io, flags);
  if (format !== 'json') stderr.notice(configNotice(configUsed));
  if (format === 'json') await emit(io, flags, renderChangesJson(result), 'data');
  else if (format === 'csv') {
    stderr.notice(accountingLine(result.accounting) + '\n');
    await emit(io, flags, renderChangesCsv(result), 'data');
  } else await emit(io, flags, [renderChangesTable(result, stdoutColour(io, flags), tableWidth(io, flags))]);
  return 0;
}
