/**
 * The thin shell: parses flags, runs a command, writes its output and sets the exit code.
 * User mistakes (PaceError) become one line on stderr and exit 2 (or the error's own code);
 * anything else is our bug: a stack trace and a request to report it.
 */
import { rmSync } from 'node:fs';
import { isatty } from 'node:tty';
import { Worker } from 'node:worker_threads';
import { Command, CommanderError } from 'commander';
import { PaceError } from './errors.js';
import { TOOL } from './report/json.js';
import { registerAudit } from './commands/audit/command.js';
import { registerValidate } from './commands/validate/command.js';
import { registerChild } from './commands/child/command.js';
import { registerInspect } from './commands/inspect/command.js';
import { registerTrend } from './commands/trend/command.js';
import { registerChanges } from './commands/changes/command.js';
import { type CommandName } from './commands/io.js';
import { type FromWorker, type Task } from './worker.js';
import { join } from 'node:path';
import { bundleTemporaryName } from './commands/audit/bundle-name.js';
import { newTemporaryToken, temporaryPathFor } from './output/file.js';
import { outputError } from './output/errors.js';
import { writeAllSync } from './output/fd.js';
import { escapeControls, progressLine } from './output/terminal.js';
import { colourOn } from './report/colour.js';

// Every byte for stderr goes through here: text from the export (ids, codes, headers, file names)
// reaches the terminal with its control characters shown escaped (output/terminal.ts).
const stderrColour = colourOn({ isTTY: isatty(2) }, process.env);
const toStderr = (text: string) => process.stderr.write(escapeControls(text, { colour: stderrColour }));
// An unwritable stderr (`2>&-`, `2>/dev/full`) leaves nothing to tell: carry on without it.
process.stderr.on('error', () => {});

const program = new Command('pace-audit')
  .description(
    'Audit how long looked-after children wait for a permanence decision (PACE), from case-event CSV exports.',
  )
  .version(TOOL.version, '-V, --version')
  .showHelpAfterError('(run pace-audit --help for usage)')
  .exitOverride()
  // Commander's messages echo arguments; help and the version go to stdout through the same
  // writer as reports (not process.stdout, which would make a pipe non-blocking for the worker).
  .configureOutput({
    writeErr: toStderr,
    writeOut: (text) => {
      try {
        writeAllSync(1, escapeControls(text));
      } catch (e) {
        throw outputError('stdout', e);
      }
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

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = exitCodeFor(e);
}

/** Runs a command in a worker thread (see worker.ts) and relays its output here. */
function dispatch(command: CommandName, file: string, flags: object): Promise<void> {
  const task: Task = {
    command,
    file,
    flags,
    // isatty, not process.stdout.isTTY: opening the stdout stream here would make a pipe
    // non-blocking under the worker, which writes to the descriptor directly.
    stdoutIsTTY: isatty(1),
    stderrIsTTY: isatty(2),
    // A terminal's stream is safe to open (it is no pipe), and only it knows its width.
    stdoutColumns: isatty(1) ? process.stdout.columns : undefined,
    env: {
      NO_COLOR: process.env.NO_COLOR,
      TERM: process.env.TERM,
      LANG: process.env.LANG,
      LC_ALL: process.env.LC_ALL,
      LC_CTYPE: process.env.LC_CTYPE,
      COLUMNS: process.env.COLUMNS,
    },
    temporaryToken: newTemporaryToken(),
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: task,
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    // Killed part-way (Ctrl-C, a cron timeout): leave neither half a report nor its temporary file.
    const { output, out } = flags as { output?: string; out?: string };
    const leftovers = [
      output && output !== '-' ? temporaryPathFor(output, task.temporaryToken) : undefined,
      out === undefined ? undefined : join(out, bundleTemporaryName(process.pid)),
    ].filter((p) => p !== undefined);
    if (leftovers.length) {
      for (const [signal, code] of [
        ['SIGINT', 130],
        ['SIGTERM', 143],
      ] as const)
        process.once(signal, () => {
          for (const p of leftovers) rmSync(p, { force: true, recursive: true });
          process.exit(code);
        });
    }
    let outcome: FromWorker | undefined;
    worker.on('message', (m: FromWorker) => {
      if (m.t === 'err') toStderr(m.data);
      else if (m.t === 'progress') process.stderr.write(m.data ? progressLine(m.data, stderrColour) : '\r\u001b[K');
      else outcome = m;
    });
    worker.on('error', reject);
    worker.on('exit', () => {
      if (!outcome) return reject(new Error('the worker stopped without a result'));
      if (outcome.t === 'done') process.exitCode = outcome.code;
      else if (outcome.t === 'fail') return reject(new PaceError(outcome.code, outcome.message, outcome.exitCode));
      else if (outcome.t === 'bug') return reject(Object.assign(new Error('internal error'), { stack: outcome.stack }));
      resolve();
    });
  });
}

function exitCodeFor(e: unknown): number {
  if (e instanceof CommanderError) {
    // commander has already printed its message (or the help / version). Help asked for is 0;
    // help shown because nothing was asked (no command at all) is a usage error, on stderr, so a
    // cron line with a typo does not "succeed".
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof PaceError) {
    toStderr(`pace-audit: ${e.message} [${e.code}]\n`);
    return e.exitCode;
  }
  toStderr(
    `pace-audit: internal error: this is a bug in pace-audit, not in your data. Please report it with the trace below (it holds no row of your file).\n${(e as Error)?.stack ?? String(e)}\n`,
  );
  return 70;
}
