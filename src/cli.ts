/**
 * The thin shell: parses flags, runs a command, writes its output and sets the exit code.
 * User mistakes (PaceError) become one line on stderr and exit 2 (or the error's own code);
 * anything else is our bug: a stack trace and a request to report it.
 */
import { Command, CommanderError, Option } from 'commander';
import { PaceError } from './errors.js';
import { TOOL } from './report/json.js';
import { registerAudit } from './commands/audit/command.js';
import { registerValidate } from './commands/validate/command.js';

const program = new Command('pace-audit')
  .description('Audit how long looked-after children wait for a permanence decision (PACE), from case-event CSV exports.')
  .version(TOOL.version, '-V, --version')
  .showHelpAfterError('(run pace-audit --help for usage)')
  .exitOverride()
  .addHelpText(
    'after',
    `
Examples:
  pace-audit audit export.csv --as-of 2018-11-01 --from 2017-11-01
  pace-audit audit export.csv --format json --output audit.json
  pace-audit audit export.csv --format csv --report children > children.csv
  pace-audit audit export.csv --fail-under 75        # exit 1 below the aim (for cron)
  pace-audit validate export.csv                     # every rejected row, with its line

Exit codes: 0 success; 1 a --fail-under threshold was missed, or validate found errors;
2 usage error, or input that cannot be read or is invalid (--strict).`,
  );
for (const cmd of program.commands) cmd.exitOverride();

registerAudit(program);
registerValidate(program);
for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError(`(run pace-audit ${cmd.name()} --help for usage)`);

export { Option };

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = exitCodeFor(e);
}

function exitCodeFor(e: unknown): number {
  if (e instanceof CommanderError) {
    // commander has already printed its message (or the help / version).
    return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
  }
  if (e instanceof PaceError) {
    process.stderr.write(`pace-audit: ${e.message} [${e.code}]\n`);
    return e.exitCode;
  }
  process.stderr.write(
    `pace-audit: internal error: this is a bug in pace-audit, not in your data. Please report it with the trace below (it holds no row of your file).\n${(e as Error)?.stack ?? String(e)}\n`,
  );
  return 70;
}
