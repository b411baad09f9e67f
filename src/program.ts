/**
 * The program: flags, dispatch to a command, and the one place where an outcome or an error
 * becomes an exit code. User mistakes (PaceError) become one line on stderr and exit 2 (or the
 * error's own code); anything else is our bug: a stack trace and a request to report it.
 *
 * The process itself (descriptors, the worker thread, signals) is the host's: shell.ts gives the
 * real one; the test suite runs most end-to-end cases in process through a host of its own.
 */
import { Command, CommanderError } from 'commander';
import { errorLine, PaceError } from './errors.js';
import { TOOL } from './report/json.js';
import { registerAudit } from './commands/audit/command.js';
import { registerValidate } from './commands/validate/command.js';
import { registerChild } from './commands/child/command.js';
import { registerInspect } from './commands/inspect/command.js';
import { registerTrend } from './commands/trend/command.js';
import { registerChanges } from './commands/changes/command.js';
import { type CommandName } from './commands/io.js';
import { type Outcome } from './run-task.js';
import { escapeControls, progressLine } from './output/terminal.js';

export interface Host {
  /** Whether stderr shows colour (report/colour.ts colourOn, for stderr). */
  stderrColour: boolean;
  /** Help and the version, on stdout; throws OUTPUT_UNWRITABLE if stdout cannot take them. */
  writeOut(text: string): void;
  /** Bytes for stderr, already escaped. */
  writeErr(text: string): void;
  /** Runs a command (in a worker thread for the real CLI), relaying its stderr and progress. */
  run(command: CommandName, file: string, flags: object, relay: Relay): Promise<Outcome>;
}

export interface Relay {
  err(text: string): void;
  progress(text: string): void;
}

/** Parses `argv` (as process.argv: node, script, arguments) and runs it; returns the exit code. */
export async function main(argv: readonly string[], host: Host): Promise<number> {
  // Every byte for stderr goes through here: text from the export (ids, codes, headers, file
  // names) reaches the terminal with its control characters shown escaped (output/terminal.ts).
  const toStderr = (text: string) => host.writeErr(escapeControls(text, { colour: host.stderrColour }));
  const relay: Relay = {
    err: toStderr,
    progress: (text) => host.writeErr(text ? progressLine(text, host.stderrColour) : '\r\u001b[K'),
  };
  let exitCode = 0;
  const dispatch = async (command: CommandName, file: string, flags: object): Promise<void> => {
    const outcome = await host.run(command, file, flags, relay);
    if (outcome.t === 'fail') throw new PaceError(outcome.code, outcome.message, outcome.exitCode);
    if (outcome.t === 'bug') throw Object.assign(new Error('internal error'), { stack: outcome.stack });
    exitCode = outcome.code;
  };
  const program = programFor(host, toStderr, dispatch);
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (e) {
    return exitCodeFor(e, toStderr);
  }
}

function programFor(
  host: Host,
  toStderr: (text: string) => void,
  dispatch: (command: CommandName, file: string, flags: object) => Promise<void>,
): Command {
  const program = new Command('pace-audit')
    .description(
      'Audit how long looked-after children wait for a permanence decision (PACE), from case-event CSV exports.',
    )
    .version(TOOL.version, '-V, --version')
    .showHelpAfterError('(run pace-audit --help for usage)')
    .exitOverride()
    // Commander's messages echo arguments; help and the version go to stdout through the host
    // (the real one writes the descriptor, as reports do: see shell.ts).
    .configureOutput({
      writeErr: toStderr,
      writeOut: (text) => host.writeOut(escapeControls(text)),
      // commander's own errors ("error: unknown option '--bogus'") in the shape of ours.
      outputError: (text, write) => {
        const [first, ...more] = text
          .replace(/^error: /, '')
          .trimEnd()
          .split('\n');
        write([`pace-audit: ${first} [USAGE]`, ...more].join('\n') + '\n');
      },
    })
    .addHelpText(
      'after',
      `
Examples:
  pace-audit audit export.csv --as-of 2018-11-01 --from 2017-11-01
  pace-audit audit export.csv --format json --output audit.json
  pace-audit audit export.csv --format csv --report children > children.csv
  pace-audit audit export.csv --fail-under 75        # exit 1 below the aim (for cron)
  pace-audit audit export.csv --report drift         # where the time goes, stage to stage
  pace-audit child C0042 export.csv                  # one child's timeline
  pace-audit validate export.csv                     # every rejected row, with its line
  pace-audit inspect new-export.csv                  # headers, codes, date format, a suggested config
  pace-audit trend export.csv --start 2017-11-01 --end 2018-10-31 --from 2017-11-01   # month by month, run-chart rules
  pace-audit trend export.csv --start 2017-01-01 --end 2018-12-31 --format html --output trend.html
  pace-audit changes export.csv --since 2018-10-01 --as-of 2018-11-01   # for the monthly meeting

  cat export.csv | pace-audit audit - --format json | jq .summary
  pace-audit audit export.csv --as-of last-month-end --out /srv/pace --quiet --fail-on-overdue

Exit codes: 0 success; 1 a threshold crossed (--fail-under, --fail-on-overdue, --max-rejected,
--fail-on-findings), or validate found errors; 2 usage error, input that cannot be read or is
invalid (--strict), or output that cannot be written; 130/143 interrupted. A reader that stops
early (| head) changes no exit code.`,
    );

  registerAudit(program, dispatch);
  registerValidate(program, dispatch);
  registerChild(program, dispatch);
  registerInspect(program, dispatch);
  registerTrend(program, dispatch);
  registerChanges(program, dispatch);
  for (const cmd of program.commands)
    cmd.exitOverride().showHelpAfterError(`(run pace-audit ${cmd.name()} --help for usage)`);
  return program;
}

function exitCodeFor(e: unknown, toStderr: (text: string) => void): number {
  if (e instanceof CommanderError) {
    // commander has already printed its message (or the help / version). Help asked for is 0;
    // help shown because nothing was asked (no command at all) is a usage error, on stderr, so a
    // cron line with a typo does not "succeed".
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof PaceError) {
    toStderr(errorLine(e));
    return e.exitCode;
  }
  toStderr(
    `pace-audit: internal error: this is a bug in pace-audit, not in your data. Please report it with the trace below (it holds no row of your file).\n${(e as Error)?.stack ?? String(e)}\n`,
  );
  return 70;
}
