/**
 * Issue 13: pipes, ndjson, thresholds, --quiet, --as-of words, the --out pack, pseudonymised
 * and suppressed outputs. End to end: the built CLI, stdout, stderr and exit code apart.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAsOf } from '../src/commands/runtime.js';
import { formatDay } from '../src/dates/days.js';
import { suppressedCells } from '../src/privacy/suppress.js';
import { appears, BIN, checkReport, cli, csv, csvFile, dir, manyChildren, spawnCli } from './helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const SAMPLE = join(FIXTURES, 'sample-export.csv');
const AS_OF = ['--as-of', '2018-11-01', '--from', '2017-11-01'];

/** stdin is a process's; the rest runs as helpers.ts cli() decides (a working folder spawns too). */
function run(
  args: string[],
  { input, env = {}, cwd }: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {},
) {
  return input === undefined ? cli(args, env, cwd) : spawnCli(args, env, cwd, input);
}

const json = (text: string) => JSON.parse(text);
const withoutFile = (j: { input: { file: string } }) => ({ ...j, input: { ...j.input, file: '' } });

/**
 * Runs pace-audit with these arguments (a shell word list) under script(1), which gives it a
 * terminal (util-linux, in every Debian): stdin, stdout and /dev/tty are the terminal.
 */
const onTerminal = (args: string, env: Record<string, string>) =>
  spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}" ${args}`, '/dev/null'], {
    encoding: 'utf8',
    input: '',
    timeout: 30_000,
    killSignal: 'SIGKILL',
    env: { ...process.env, ...env },
  });

describe('pipes', () => {
  // The writer lags (a slow export, a pause mid-file): the reader must wait, not fail with EAGAIN.
  it.runIf(process.platform === 'linux')(
    '`-` from a writer that pauses, before and mid-file, waits for its data',
    () => {
      const rows = Array.from({ length: 30_000 }, (_, i) => `S${i},F${i},2010-01-01,accommodated,2018-01-01,`);
      const file = csvFile(csv(...rows));
      const fromFile = run(['validate', file, '--format', 'json']);
      for (const feed of ['sleep 1; cat "$1"', 'head -c 200000 "$1"; sleep 1; tail -c +200001 "$1"']) {
        const r = spawnSync(
          '/bin/sh',
          ['-c', `(${feed}) | "$0" "$2" validate - --format json`, process.execPath, file, BIN],
          {
            encoding: 'utf8',
            timeout: 60_000,
            killSignal: 'SIGKILL',
          },
        );
        expect(r.stderr).toBe('');
        expect(r.status).toBe(fromFile.code);
        expect(json(r.stdout).accounting).toEqual(json(fromFile.stdout).accounting);
      }
    },
  );

  // A process sharing the pipe may have set it non-blocking (a Node parent that read its own
  // stdin, say): a read then answers EAGAIN while the writer is behind. python3 sets the flag here.
  it.runIf(existsSync('/usr/bin/python3'))(
    '`-` set non-blocking by another process still waits for a slow writer',
    () => {
      const rows = Array.from({ length: 30_000 }, (_, i) => `N${i},F${i},2010-01-01,accommodated,2018-01-01,`);
      const file = csvFile(csv(...rows));
      const fromFile = run(['validate', file, '--format', 'json']);
      const nonBlocking =
        'import fcntl,os,sys; fcntl.fcntl(0, fcntl.F_SETFL, fcntl.fcntl(0, fcntl.F_GETFL) | os.O_NONBLOCK); os.execv(sys.argv[1], sys.argv[1:])';
      const feed = 'head -c 200000 "$1"; sleep 1; tail -c +200001 "$1"';
      const r = spawnSync(
        '/bin/sh',
        [
          '-c',
          `(${feed}) | python3 -c '${nonBlocking}' "$0" "$2" validate - --format json`,
          process.execPath,
          file,
          BIN,
        ],
        { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' },
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(fromFile.code);
      expect(json(r.stdout).accounting).toEqual(json(fromFile.stdout).accounting);
    },
  );

  it('`- < x.csv` with --output x.csv, or stdout appended to x.csv, is OUTPUT_IS_INPUT: the export is kept', () => {
    const file = csvFile(csv('C1,F1,2010-01-01,accommodated,2018-01-01,'), 'same-as-stdin.csv');
    const before = readFileSync(file, 'utf8');
    for (const redirect of [`--output "$0" < "$0"`, `>> "$0" < "$0"`]) {
      const r = spawnSync(
        '/bin/sh',
        ['-c', `exec "$1" "$2" audit - --format json ${redirect}`, file, process.execPath, BIN],
        {
          encoding: 'utf8',
          timeout: 30_000,
        },
      );
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/<stdin>.*\[OUTPUT_IS_INPUT\]/);
      expect(readFileSync(file, 'utf8')).toBe(before);
    }
  });

  it.runIf(existsSync('/usr/bin/script'))(
    '`-` with a terminal as stdin is a usage error at once, not a wait or an EAGAIN',
    () => {
      for (const input of ['-', '/dev/stdin', '/dev/tty']) {
        const r = onTerminal(`validate ${input}`, { NO_COLOR: '1' });
        expect(r.status).toBe(2);
        expect(r.stdout).toMatch(/is a terminal.*\[USAGE\]/);
      }
    },
  );

  it.runIf(existsSync('/usr/bin/script') && process.platform === 'linux')(
    'Ctrl-C on a terminal clears the progress line, so the prompt does not follow it',
    async () => {
      // Over 20 MiB, so that the run shows its progress; interrupted once it has.
      const rows = Array.from({ length: 600_000 }, (_, i) => `C${i},F${i},2010-01-01,accommodated,2018-01-01,`);
      const big = csvFile(
        `child_id,family_id,date_of_birth,event,event_date,route\n${rows.join('\n')}\n`,
        'progress.csv',
      );
      const term = spawn(
        'script',
        ['-qec', `exec "${process.execPath}" "${BIN}" audit "${big}" --as-of 2026-11-01 --format json`, '/dev/null'],
        {
          stdio: ['pipe', 'pipe', 'ignore'],
          env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' },
        },
      );
      let shown = '';
      const ended = new Promise<number | null>((r) => term.on('exit', (code) => r(code)));
      const progress = new Promise<void>((resolve) =>
        term.stdout.on('data', (b: Buffer) => {
          shown += b.toString('utf8');
          if (shown.includes('reading: ')) resolve();
        }),
      );
      await Promise.race([
        progress,
        ended.then(() => Promise.reject(new Error(`ended before any progress: ${shown}`))),
      ]);
      // script's child is the CLI itself (exec): the shell's Ctrl-C reaches it as SIGINT.
      const parentOf = (pid: string) => {
        try {
          return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
        } catch {
          return -1; // gone meanwhile
        }
      };
      const cli = readdirSync('/proc').find((p) => /^\d+$/.test(p) && parentOf(p) === term.pid);
      process.kill(Number(cli), 'SIGINT');
      expect(await ended).toBe(130);
      // After the last progress line, the line is cleared: "\r" and erase to its end.
      expect(shown.slice(shown.lastIndexOf('reading: ')).slice(-4)).toBe('\r\u001b[K');
    },
    60_000,
  );

  it.runIf(existsSync('/usr/bin/script'))(
    'on a terminal the table is coloured, but not with NO_COLOR set or FORCE_COLOR=0 or false',
    () => {
      const audit = (env: Record<string, string>) =>
        onTerminal(`audit "${SAMPLE}" ${AS_OF.join(' ')}`, { NO_COLOR: '', FORCE_COLOR: '', TERM: 'xterm', ...env });
      const coloured = audit({});
      expect(coloured.status).toBe(0);
      expect(coloured.stdout).toContain('\u001b[');
      for (const env of [{ NO_COLOR: '1' }, { FORCE_COLOR: '0' }, { FORCE_COLOR: 'false' }]) {
        const plain = audit(env);
        expect(plain.status).toBe(0);
        expect(plain.stdout).toContain('Permanence decisions');
        expect(plain.stdout).not.toContain('\u001b[');
      }
    },
  );

  it('`-` reads stdin, the same figures as the file; the JSON pipes on (cat | audit - | jq .summary)', () => {
    const fromFile = run(['audit', SAMPLE, ...AS_OF, '--format', 'json']);
    const fromPipe = run(['audit', '-', ...AS_OF, '--format', 'json'], { input: readFileSync(SAMPLE) });
    expect(fromPipe.code).toBe(0);
    expect(fromPipe.stderr).toBe('');
    expect(json(fromPipe.stdout).summary).toMatchObject({
      children: 32,
      decided: 21,
      overdue: 4,
      percentWithinTarget: 80,
    });
    expect(json(fromPipe.stdout).input.file).toBe('<stdin>');
    expect(withoutFile(json(fromPipe.stdout))).toEqual(withoutFile(json(fromFile.stdout)));
  });

  it('a pipe given as a path (/dev/stdin) is read as a stream, not reported as empty', () => {
    const r = run(['audit', '/dev/stdin', ...AS_OF, '--format', 'json'], { input: readFileSync(SAMPLE) });
    expect(r.code).toBe(0);
    expect(json(r.stdout).summary.children).toBe(32);
  });

  it('a FIFO is read as a stream', () => {
    const fifo = join(dir, 'export.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = spawnSync(
      'sh',
      [
        '-c',
        `cat "$1" > "$2" & exec "$3" "$4" audit "$2" --as-of 2018-11-01 --from 2017-11-01 --format json`,
        'sh',
        SAMPLE,
        fifo,
        process.execPath,
        BIN,
      ],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    expect(json(r.stdout).summary.overdue).toBe(4);
  });

  it('legacy encodings are detected on the stream as on the file', () => {
    for (const bytes of [
      readFileSync(join(FIXTURES, 'export-excel-1252.csv')),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(SAMPLE, 'utf8'), 'utf16le')]),
    ]) {
      const file = csvFile(bytes);
      const a = run(['audit', file, ...AS_OF, '--format', 'json']);
      const b = run(['audit', '-', ...AS_OF, '--format', 'json'], { input: bytes });
      expect(b.code).toBe(0);
      expect(json(b.stdout).input.encoding).toBe(json(a.stdout).input.encoding);
      expect(withoutFile(json(b.stdout))).toEqual(withoutFile(json(a.stdout)));
    }
  });

  it('rows out of date order give the same figures from a pipe (read once) as from the file', () => {
    const [header, ...rows] = readFileSync(SAMPLE, 'utf8').trim().split('\n');
    // Sorted by date across children, newest first: the order that makes the file reader read children twice.
    const text = [header, ...rows.sort((x, y) => y.split(',')[4].localeCompare(x.split(',')[4]))].join('\n') + '\n';
    const a = run(['audit', csvFile(text), ...AS_OF, '--format', 'json']);
    const b = run(['audit', '-', ...AS_OF, '--format', 'json'], { input: text });
    expect(b.code).toBe(0);
    expect(json(b.stdout).summary).toEqual(json(a.stdout).summary);
    expect(withoutFile(json(b.stdout))).toEqual(withoutFile(json(a.stdout)));
  });

  it('an empty pipe is EMPTY_FILE (exit 2)', () => {
    const r = run(['audit', '-', '--as-of', '2018-11-01'], { input: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[EMPTY_FILE\]/);
  });

  it('--output - writes stdout and no file named -', () => {
    const cwd = join(dir, 'dash');
    mkdirSync(cwd);
    const r = run(['audit', SAMPLE, ...AS_OF, '--format', 'json', '--output', '-'], { cwd });
    expect(r.code).toBe(0);
    expect(json(r.stdout).summary.children).toBe(32);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('--format ndjson', () => {
  it('one JSON object a line, each with a type; children as in the JSON', () => {
    const r = run(['audit', SAMPLE, ...AS_OF, '--format', 'ndjson']);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.every((l) => typeof l.type === 'string')).toBe(true);
    expect(lines[0]).toMatchObject({ type: 'run', schemaVersion: 2 });
    expect(lines.filter((l) => l.type === 'summary')).toHaveLength(1);
    expect(lines.filter((l) => l.type === 'stage')).toHaveLength(7);
    const children = lines.filter((l) => l.type === 'child');
    const full = json(run(['audit', SAMPLE, ...AS_OF, '--format', 'json']).stdout);
    expect(children.map(({ type: _t, ...c }) => c)).toEqual(full.children);
  });

  it('validate writes its findings as ndjson too', () => {
    const file = csvFile(
      csv('C1,F1,2010-01-01,accommodated,2018-01-01,', 'C1,F1,,permanence_decision,2018-13-01,home'),
    );
    const r = run(['validate', file, '--as-of', '2018-11-01', '--format', 'ndjson']);
    expect(r.code).toBe(1);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'finding').map((l) => l.code)).toEqual(['INVALID_DATE']);
  });
});

/** 11 rows, 6 rejected (bad dates); one duplicate row. */
const HALF_BAD = csv(
  'C1,F1,2010-01-01,accommodated,2018-01-01,',
  'C1,F1,,permanence_decision,2018-03-01,home',
  'C1,F1,,permanence_decision,2018-03-01,home',
  'C2,F2,2010-01-01,accommodated,2017-01-01,',
  'C3,F3,2011-01-01,accommodated,2018-02-01,',
  ...Array.from({ length: 6 }, (_, i) => `C${10 + i},F9,2010-01-01,accommodated,2018-02-3${i},`),
);

describe('thresholds', () => {
  const file = csvFile(HALF_BAD);
  const audit = (...extra: string[]) =>
    run(['audit', file, '--as-of', '2018-11-01', '--format', 'json', '--quiet', ...extra]);

  it('--max-rejected: a count or a percentage of the rows read, compared unrounded', () => {
    expect(audit('--max-rejected', '6').code).toBe(0);
    const over = audit('--max-rejected', '5');
    expect(over.code).toBe(1);
    expect(over.stderr.trim().split('\n')).toHaveLength(1);
    expect(over.stderr).toMatch(/--max-rejected 5/);
    expect(json(over.stdout).input.rowsRejected).toBe(6); // the report is still written
    expect(audit('--max-rejected', '54.5%').code).toBe(1); // 6/11 = 54.54...%
    expect(audit('--max-rejected', '55%').code).toBe(0);
  });

  it('an export of a header and no rows is said to be empty, under --quiet too (exit 0)', () => {
    const file = csvFile(csv());
    for (const args of [
      ['audit', file, ...AS_OF, '--format', 'json', '--quiet'],
      ['validate', file, '--as-of', '2018-11-01', '--quiet'],
    ]) {
      const r = run(args);
      expect(r.code, args[0]).toBe(0);
      expect(r.stderr, args[0]).toMatch(/: no rows after the header; is the export complete\?\n$/);
    }
    expect(run(['audit', SAMPLE, ...AS_OF, '--format', 'json', '--quiet']).stderr).toBe('');
  });

  it('trend and changes take --quiet too: nothing on stderr for a clean run', () => {
    const trend = ['trend', SAMPLE, '--start', '2018-01-01', '--end', '2018-06-30', '--format', 'csv'];
    const changes = ['changes', SAMPLE, '--since', '2018-10-01', '--as-of', '2018-11-01', '--format', 'csv'];
    for (const args of [trend, changes]) {
      expect(run(args).stderr, args[0]).not.toBe('');
      const quiet = run([...args, '--quiet']);
      expect([quiet.code, quiet.stderr], args[0]).toEqual([0, '']);
      expect(quiet.stdout, args[0]).toBe(run(args).stdout);
    }
  });

  it('--fail-on-overdue [n]: more than n overdue (bare: any)', () => {
    const overdue = json(audit().stdout).summary.overdue;
    expect(overdue).toBe(2);
    expect(audit('--fail-on-overdue').code).toBe(1);
    expect(audit('--fail-on-overdue', '2').code).toBe(0);
    expect(audit('--fail-on-overdue', '0').stderr).toMatch(/--fail-on-overdue 0/);
    // Bare before the file, it would take the file as n: named as a usage error, not "missing file".
    const before = run(['audit', '--fail-on-overdue', SAMPLE, ...AS_OF]);
    expect(before.code).toBe(2);
    expect(before.stderr).toMatch(
      /^pace-audit: option '--fail-on-overdue \[n\]' argument .* is invalid\. n is a whole number.* \[USAGE\]\n/,
    );
  });

  it('--fail-on-findings: any finding of those codes; an unknown code is a usage error', () => {
    expect(audit('--fail-on-findings', 'DUPLICATE_ROW').code).toBe(1);
    expect(audit('--fail-on-findings', 'age_over_18, CONFLICTING_DOB').code).toBe(0);
    const unknown = audit('--fail-on-findings', 'DUPLICATE_ROW,NOT_A_CODE');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/NOT_A_CODE.*\[INVALID_OPTION\]/);
    expect(unknown.stdout).toBe('');
  });

  it('every threshold crossed is named, one line each', () => {
    const r = audit(
      '--fail-on-overdue',
      '--max-rejected',
      '0',
      '--fail-on-findings',
      'INVALID_DATE',
      '--fail-under',
      '100',
    );
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const flag of ['--fail-on-overdue', '--max-rejected', '--fail-on-findings', '--fail-under'])
      expect(lines.filter((l) => l.includes(flag))).toHaveLength(1);
  });

  it('config defaults may hold asOf, format and the thresholds; a flag wins', () => {
    const cwd = join(dir, 'defaults');
    mkdirSync(cwd);
    writeFileSync(
      join(cwd, 'pace-audit.config.json'),
      JSON.stringify({
        defaults: { asOf: '2018-11-01', format: 'json', failOnOverdue: 0, maxRejected: '90%', failUnder: 0 },
      }),
    );
    const r = run(['audit', file, '--quiet'], { cwd });
    expect(r.code).toBe(1);
    expect(json(r.stdout).parameters.asOf).toBe('2018-11-01');
    expect(r.stderr).toMatch(/--fail-on-overdue 0/);
    expect(run(['audit', file, '--quiet', '--fail-on-overdue', '5', '--format', 'csv'], { cwd })).toMatchObject({
      code: 0,
      stderr: '',
    });
  });
});

describe('--quiet and stderr', () => {
  const file = csvFile(HALF_BAD);
  it('without --quiet, rejected rows are summarised on stderr; with it, nothing', () => {
    expect(run(['audit', file, '--as-of', '2018-11-01', '--format', 'csv']).stderr).toMatch(/6 rows rejected/);
    const quiet = run(['audit', file, '--as-of', '2018-11-01', '--format', 'csv', '--quiet']);
    expect(quiet).toMatchObject({ code: 0, stderr: '' });
    expect(quiet.stdout).toMatch(/^childId,/);
  });

  it('a clean CSV run prints no accounting line when no one is watching; with --quiet, nothing at all', () => {
    const r = run(['audit', SAMPLE, ...AS_OF, '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/Rows:/);
    expect(run(['audit', SAMPLE, ...AS_OF, '--format', 'csv', '--quiet'])).toMatchObject({ code: 0, stderr: '' });
  });

  it('--quiet still names a crossed threshold', () => {
    const r = run(['audit', SAMPLE, ...AS_OF, '--quiet', '--fail-under', '90', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('--as-of words', () => {
  // The machine's calendar date, injected: local midnight and late evening, whatever TZ the suite runs in.
  const at = (y: number, m: number, d: number, h = 0) => new Date(y, m - 1, d, h, 30);
  it('today, last-month-end, last-quarter-end from the calendar date', () => {
    expect(formatDay(resolveAsOf('today', '--as-of', at(2024, 3, 1, 0)))).toBe('2024-03-01');
    expect(formatDay(resolveAsOf('last-month-end', '--as-of', at(2024, 3, 1, 0)))).toBe('2024-02-29');
    expect(formatDay(resolveAsOf('last-month-end', '--as-of', at(2024, 3, 31, 23)))).toBe('2024-02-29');
    expect(formatDay(resolveAsOf('last-month-end', '--as-of', at(2025, 1, 15)))).toBe('2024-12-31');
    expect(formatDay(resolveAsOf('last-quarter-end', '--as-of', at(2025, 1, 1)))).toBe('2024-12-31');
    expect(formatDay(resolveAsOf('last-quarter-end', '--as-of', at(2025, 6, 30, 23)))).toBe('2025-03-31');
    expect(formatDay(resolveAsOf('Last-Quarter-End', '--as-of', at(2025, 7, 1)))).toBe('2025-06-30');
    expect(formatDay(resolveAsOf('2018-11-01', '--as-of', at(2025, 7, 1)))).toBe('2018-11-01');
    expect(() => resolveAsOf('last-week', '--as-of', at(2025, 7, 1))).toThrow(/--as-of/);
  });

  it('the resolved date is written into the report', () => {
    const r = run(['audit', SAMPLE, '--as-of', 'last-month-end', '--format', 'json']);
    expect(r.code).toBe(0);
    const asOf = json(r.stdout).parameters.asOf as string;
    // Whatever today is: a month's last day.
    const next = new Date(`${asOf}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    expect(next.getUTCDate()).toBe(1);
  });
});

const sha256sum = (file: string) => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
const csvRecords = (text: string) => text.trimEnd().split('\n').length - 1;

describe('--out: the monthly pack', () => {
  it("findings.csv holds every finding, as validate's csv does, with its count in the manifest", () => {
    const bad = Array.from({ length: 1100 }, (_, i) => `X${i},F1,,visit,2018-02-01,`);
    const file = csvFile(csv('C1,F1,2010-01-01,accommodated,2018-01-01,', ...bad));
    const out = join(dir, 'pack-findings');
    expect(run(['audit', file, ...AS_OF, '--out', out, '--quiet']).code).toBe(0);
    const folder = join(out, '2018-11-01');
    expect(csvRecords(readFileSync(join(folder, 'findings.csv'), 'utf8'))).toBe(1100);
    const m = json(readFileSync(join(folder, 'manifest.json'), 'utf8'));
    expect(m.files.find((f: { name: string }) => f.name === 'findings.csv').rows).toBe(1100);
  });

  it('writes every file with its hash and row count in the manifest; files 0600, folder 0700', () => {
    const out = join(dir, 'pack');
    const r = run(['audit', SAMPLE, ...AS_OF, '--out', out, '--quiet']);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const folder = join(out, '2018-11-01');
    expect(readdirSync(out)).toEqual(['2018-11-01']);
    expect(readdirSync(folder).sort()).toEqual([
      'children.csv',
      'due-soon.csv',
      'findings.csv',
      'manifest.json',
      'overdue.csv',
      'report.html',
      'stages.csv',
      'summary.json',
    ]);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(folder)) expect(statSync(join(folder, f)).mode & 0o777).toBe(0o600);
    const m = json(readFileSync(join(folder, 'manifest.json'), 'utf8'));
    expect(m.tool.name).toBe('pace-audit');
    expect(m.parameters).toMatchObject({ asOf: '2018-11-01', from: '2017-11-01', asOfRequested: '2018-11-01' });
    expect(m.input).toMatchObject({
      name: 'sample-export.csv',
      bytes: statSync(SAMPLE).size,
      sha256: sha256sum(SAMPLE),
    });
    expect(m.accounting).toMatchObject({ rowsRead: 156, rowsAccepted: 156, rowsRejected: 0 });
    expect(m.files.map((f: { name: string }) => f.name).sort()).toEqual(
      readdirSync(folder)
        .filter((f) => f !== 'manifest.json')
        .sort(),
    );
    for (const f of m.files) {
      const path = join(folder, f.name);
      expect(f.sha256).toBe(sha256sum(path));
      expect(f.bytes).toBe(statSync(path).size);
      if (f.name.endsWith('.csv')) expect(f.rows).toBe(csvRecords(readFileSync(path, 'utf8')));
    }
    const summary = json(readFileSync(join(folder, 'summary.json'), 'utf8'));
    checkReport('audit', summary);
    expect(summary.summary.children).toBe(32);
    // The manager's page, as --format html writes it.
    const html = readFileSync(join(folder, 'report.html'), 'utf8');
    expect(html).toBe(run(['audit', SAMPLE, ...AS_OF, '--format', 'html']).stdout);
    expect(html).toMatch(/^<!doctype html>/i);
    expect(m.files.find((f: { name: string }) => f.name === 'overdue.csv').rows).toBe(4);
  });

  it('a piped input is hashed as it is read', () => {
    const out = join(dir, 'pack-pipe');
    const r = run(['audit', '-', ...AS_OF, '--out', out, '--quiet'], { input: readFileSync(SAMPLE) });
    expect(r.code).toBe(0);
    const m = json(readFileSync(join(out, '2018-11-01', 'manifest.json'), 'utf8'));
    expect(m.input).toMatchObject({ name: '<stdin>', bytes: statSync(SAMPLE).size, sha256: sha256sum(SAMPLE) });
  });

  it('a re-run replaces the folder whole; a folder left by a killed run is removed', () => {
    const out = join(dir, 'pack-again');
    expect(run(['audit', SAMPLE, ...AS_OF, '--out', out, '--quiet']).code).toBe(0);
    writeFileSync(join(out, '2018-11-01', 'stale.txt'), 'from before');
    mkdirSync(join(out, '.pace-audit-tmp-999999999')); // no such process
    expect(run(['audit', SAMPLE, ...AS_OF, '--out', out, '--quiet']).code).toBe(0);
    expect(readdirSync(out)).toEqual(['2018-11-01']);
    expect(existsSync(join(out, '2018-11-01', 'stale.txt'))).toBe(false);
  });

  it('a run killed while writing the pack leaves no folder, complete or partial', async () => {
    const big = manyChildren(30_000, 'big-pack.csv');
    const out = join(dir, 'pack-killed');
    const child = spawn(process.execPath, [BIN, 'audit', big, '--out', out, '--as-of', '2026-11-01', '--quiet'], {
      stdio: 'ignore',
    });
    const exited = new Promise<number | string | null>((r) => child.on('exit', (c, sig) => r(c ?? sig)));
    // Wait for the state under test (the pack's temporary folder exists) by watching for it,
    // then stop the run there, so it cannot finish the pack between the look and the kill.
    const building = (f: string) => f.startsWith('.pace-audit-tmp-');
    await appears(dir, (f) => f === 'pack-killed', exited);
    await appears(out, building, exited);
    child.kill('SIGSTOP');
    expect(readdirSync(out).some(building)).toBe(true);
    // The SIGTERM waits while the run is stopped and is the first thing it meets on waking.
    child.kill('SIGTERM');
    child.kill('SIGCONT');
    expect(await exited).toBe('SIGTERM');
    // The run made the folder, so it takes it away too.
    expect(existsSync(out)).toBe(false);
  });

  it('a run killed while writing a pack into new nested folders leaves none of them', async () => {
    const big = manyChildren(30_000, 'big-pack-nested.csv');
    const top = join(dir, 'killed-top');
    const out = join(top, 'mid', 'pack');
    const child = spawn(process.execPath, [BIN, 'audit', big, '--out', out, '--as-of', '2026-11-01', '--quiet'], {
      stdio: 'ignore',
    });
    const exited = new Promise<number | string | null>((r) => child.on('exit', (c, sig) => r(c ?? sig)));
    const building = (f: string) => f.startsWith('.pace-audit-tmp-');
    // Level by level: a folder is watched only once it is there.
    await appears(dir, (f) => f === 'killed-top', exited);
    await appears(top, (f) => f === 'mid', exited);
    await appears(join(top, 'mid'), (f) => f === 'pack', exited);
    await appears(out, building, exited);
    child.kill('SIGSTOP');
    child.kill('SIGTERM');
    child.kill('SIGCONT');
    expect(await exited).toBe('SIGTERM');
    // The run made all three, so it takes all three away.
    expect(existsSync(top)).toBe(false);
  });

  // process.exit would wait for the worker thread, and the worker for its read of the pipe.
  it.each([
    ['--output', 'stalled.json'],
    ['--out', 'stalled-pack'],
  ])(
    'SIGTERM stops a run with %s at once while its piped input is stalled, leaving nothing',
    async (flag, name) => {
      const target = join(dir, name);
      const child = spawn(process.execPath, [BIN, 'audit', '-', flag, target, '--as-of', '2026-11-01'], {
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      const exited = new Promise<number | string | null>((r) => child.on('exit', (c, sig) => r(c ?? sig)));
      // Part of a header, then nothing more: the run waits in a read of stdin.
      child.stdin.write('child_id,family_id,');
      await new Promise((r) => setTimeout(r, 1000));
      child.kill('SIGTERM');
      expect(await exited).toBe('SIGTERM');
      child.stdin.destroy();
      expect(existsSync(target)).toBe(false);
    },
    20_000,
  );

  it('a run killed while writing into a folder that was there already leaves the folder as it was', async () => {
    const big = manyChildren(30_000, 'big-pack-2.csv');
    const out = join(dir, 'pack-kept');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const child = spawn(process.execPath, [BIN, 'audit', big, '--out', out, '--as-of', '2026-11-01', '--quiet'], {
      stdio: 'ignore',
    });
    const exited = new Promise<number | string | null>((r) => child.on('exit', (c, sig) => r(c ?? sig)));
    await appears(out, (f) => f.startsWith('.pace-audit-tmp-'), exited);
    child.kill('SIGSTOP');
    child.kill('SIGTERM');
    child.kill('SIGCONT');
    expect(await exited).toBe('SIGTERM');
    expect(readdirSync(out)).toEqual(['notes.txt']);
  });

  it('an unwritable --out is exit 2 and leaves nothing', () => {
    const parent = join(dir, 'locked');
    mkdirSync(parent);
    writeFileSync(join(parent, 'file'), '');
    const r = run(['audit', SAMPLE, ...AS_OF, '--out', join(parent, 'file', 'sub')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[OUTPUT_UNWRITABLE\]/);
    expect(readdirSync(parent)).toEqual(['file']);
  });

  it('an --out that can never take the pack is OUTPUT_UNWRITABLE before the export is read, not after', () => {
    // The export's last row leaves a quote open: read first, the run would stop on that instead.
    const broken = csvFile(`${readFileSync(SAMPLE, 'utf8')}C9,F9,2010-01-01,"accommodated,2018-01-01,\n`);
    const parent = join(dir, 'before');
    mkdirSync(parent);
    writeFileSync(join(parent, 'file'), '');
    const outs = [
      join(parent, 'file', 'sub'),
      ...(process.platform === 'linux' ? ['/proc/pace-audit-x/y', '/sys'] : []),
    ];
    for (const out of outs) {
      const r = run(['audit', broken, ...AS_OF, '--out', out]);
      expect([r.code, r.stdout, r.stderr], out).toEqual([2, '', expect.stringMatching(/\[OUTPUT_UNWRITABLE\]\n$/)]);
    }
    expect(run(['audit', broken, ...AS_OF, '--out', join(parent, 'new')]).stderr).toMatch(/\[MALFORMED_CSV\]\n$/);
    expect(readdirSync(parent)).toEqual(['file']);
  });

  it('makes every missing folder of --out, each 0700', () => {
    const out = join(dir, 'new-a', 'b', 'c');
    expect(run(['audit', SAMPLE, ...AS_OF, '--out', out, '--quiet']).code).toBe(0);
    expect(readdirSync(out)).toEqual(['2018-11-01']);
    for (const d of [join(dir, 'new-a'), join(dir, 'new-a', 'b'), out]) expect(statSync(d).mode & 0o777).toBe(0o700);
  });

  it('an empty --out or --output (an unset variable in a cron line), or --out -, is INVALID_OPTION before the work', () => {
    const cwd = join(dir, 'names');
    mkdirSync(cwd);
    for (const flags of [
      ['--out', ''],
      ['--out', '-'],
      ['--output', ''],
      ['--format', 'json', '--output', ''],
    ]) {
      const r = run(['audit', SAMPLE, ...AS_OF, ...flags], { cwd });
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toMatch(/\[INVALID_OPTION\]\n$/);
    }
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('walks --out as written, as mkdir -p does: `x/../y/` makes x, then the pack in y', () => {
    const cwd = join(dir, 'dotdot');
    mkdirSync(cwd);
    expect(run(['audit', SAMPLE, ...AS_OF, '--out', './x/../y/', '--quiet'], { cwd }).code).toBe(0);
    expect(readdirSync(join(cwd, 'y'))).toEqual(['2018-11-01']);
  });

  it('an --out that fails part-way leaves none of the folders it made (a path past PATH_MAX)', () => {
    const cwd = join(dir, 'too-long');
    mkdirSync(cwd);
    const deep = join('n', ...Array.from({ length: 25 }, () => 'c'.repeat(200)));
    const r = run(['audit', SAMPLE, ...AS_OF, '--out', deep], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[OUTPUT_UNWRITABLE\]/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it.runIf(process.platform === 'linux')(
    'an --out where no folder can be made (procfs) is exit 2 at once, not a spin (mkdir -p retried for ever)',
    () => {
      const r = spawnSync(process.execPath, [BIN, 'audit', SAMPLE, ...AS_OF, '--out', '/proc/pace-audit-x/y'], {
        encoding: 'utf8',
        timeout: 30_000,
        killSignal: 'SIGKILL',
      });
      expect(r.signal).toBe(null);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/\[OUTPUT_UNWRITABLE\]/);
    },
  );
});

describe('--pseudonymise', () => {
  const KEY = 'a-test-key-that-is-long-enough-1234';
  // Distinctive ids, in findings too: a duplicate row, a conflicting date of birth, a bad date.
  const extra = [
    'ZOË-77,FAMQQ9,2012-02-02,accommodated,2018-01-10,',
    'ZOË-77,FAMQQ9,2012-02-02,accommodated,2018-01-10,',
    'KIDXYZ1,FAMQQ9,2011-05-05,accommodated,2017-12-01,',
    'KIDXYZ1,FAMQQ9,2011-05-06,review,2018-01-01,',
    'KIDBAD9,FAMZZ8,2011-05-05,accommodated,2018-02-30,',
  ];
  const file = csvFile(readFileSync(SAMPLE, 'utf8') + extra.join('\n') + '\n');
  const ids = [
    ...new Set(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .flatMap((l) => l.split(',').slice(0, 2))
        .filter((v) => v !== ''),
    ),
  ];

  it('no original id appears anywhere in any output of a pseudonymised run', () => {
    const env = { PACE_AUDIT_KEY: KEY };
    const outputs: string[] = [];
    const take = (r: { stdout: string; stderr: string; code: number | null }) => {
      expect(r.code === 0 || r.code === 1).toBe(true);
      outputs.push(r.stdout, r.stderr);
    };
    const base = ['--as-of', '2018-11-01', '--pseudonymise'];
    for (const format of ['table', 'json', 'ndjson'])
      take(
        run(['audit', file, ...base, '--format', format, ...(format === 'table' ? ['--report', 'all'] : [])], { env }),
      );
    for (const report of ['overdue', 'children', 'due-soon', 'stages', 'drift'])
      take(run(['audit', file, ...base, '--format', 'csv', '--report', report], { env }));
    for (const format of ['table', 'json', 'csv', 'ndjson'])
      take(run(['validate', file, ...base, '--format', format], { env }));
    take(run(['audit', '-', ...base, '--format', 'json'], { env, input: readFileSync(file) }));
    const out = join(dir, 'pseudo-pack');
    take(run(['audit', file, ...base, '--out', out], { env }));
    for (const f of readdirSync(join(out, '2018-11-01')))
      outputs.push(readFileSync(join(out, '2018-11-01', f), 'utf8'));
    const all = outputs.join('\n');
    expect(all).toMatch(/c_[0-9a-f]{20}/);
    expect(all).toMatch(/f_[0-9a-f]{20}/);
    for (const id of ids) expect(all.includes(id), id).toBe(false);
    // And no line of the export: it would give away the order of the ids behind the tokens.
    const issues = json(run(['audit', file, ...base, '--format', 'json'], { env }).stdout).issues;
    expect(issues.length).toBeGreaterThan(0);
    for (const f of issues) {
      expect(f.line).toBeNull();
      expect(f.lines).toBeUndefined();
      expect(f.message).not.toMatch(/line \d/);
    }
  }, 180_000);

  it('the same key gives the same tokens; another key, others', () => {
    const tokens = (key: string): string[] => [
      ...new Set<string>(
        json(
          run(['audit', file, '--as-of', '2018-11-01', '--pseudonymise', '--format', 'json'], {
            env: { PACE_AUDIT_KEY: key },
          }).stdout,
        ).children.map((c: { childId: string }) => c.childId),
      ),
    ];
    const a = tokens(KEY);
    expect(tokens(KEY)).toEqual(a);
    const b = tokens(`${KEY}-other`);
    expect(b.filter((t: string) => a.includes(t))).toEqual([]);
    expect(a).toHaveLength(
      json(run(['audit', file, '--as-of', '2018-11-01', '--format', 'json']).stdout).summary.children,
    );
    expect(a.every((t: string) => /^c_[0-9a-f]{20}$/.test(t))).toBe(true);
  }, 60_000);

  it('the key comes from a file only its owner can read, or the environment; without one the run stops', () => {
    const keyFile = join(dir, 'pace.key');
    writeFileSync(keyFile, `${KEY}\n`);
    chmodSync(keyFile, 0o644);
    const open = run(['audit', file, '--as-of', '2018-11-01', '--pseudonymise', '--key-file', keyFile]);
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/\[KEY_FILE_OPEN\]/);
    chmodSync(keyFile, 0o600);
    const fromFile = run([
      'audit',
      file,
      '--as-of',
      '2018-11-01',
      '--pseudonymise',
      '--key-file',
      keyFile,
      '--format',
      'json',
    ]);
    const fromEnv = run(['audit', file, '--as-of', '2018-11-01', '--pseudonymise', '--format', 'json'], {
      env: { PACE_AUDIT_KEY: KEY },
    });
    expect(fromFile.code).toBe(0);
    expect(json(fromFile.stdout).children).toEqual(json(fromEnv.stdout).children);
    const none = run(['audit', file, '--as-of', '2018-11-01', '--pseudonymise']);
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toMatch(/\[KEY_MISSING\]/);
    expect(run(['audit', file, '--pseudonymise', '--key', KEY]).code).toBe(2); // never on the command line
  }, 60_000);
});

describe('--key-file that is not a plain file', () => {
  const KEY = 'a-test-key-that-is-long-enough-1234';
  const file = csvFile(csv('CH1,F1,2010-01-01,accommodated,2018-01-01,'));
  const args = (keyFile: string) => [
    'audit',
    file,
    '--as-of',
    '2018-11-01',
    '--pseudonymise',
    '--format',
    'json',
    '--key-file',
    keyFile,
  ];

  it('a key piped in (/dev/stdin) is read, from a pipe or a socket (as Node makes them); a missing file is KEY_UNREADABLE', () => {
    const fromEnv = spawnCli(['audit', file, '--as-of', '2018-11-01', '--pseudonymise', '--format', 'json'], {
      PACE_AUDIT_KEY: KEY,
    });
    const piped = spawnSync(
      '/bin/sh',
      ['-c', `printf '%s\\n' "$2" | "$0" "$1" ${args('/dev/stdin').join(' ')}`, process.execPath, BIN, KEY],
      {
        encoding: 'utf8',
        env: { ...process.env, PACE_AUDIT_KEY: '' },
      },
    );
    expect(piped.status).toBe(0);
    expect(json(piped.stdout).children).toEqual(json(fromEnv.stdout).children);
    const socket = spawnCli(args('/dev/stdin'), {}, undefined, `${KEY}\n`);
    expect(socket.code).toBe(0);
    expect(json(socket.stdout).children).toEqual(json(fromEnv.stdout).children);
    const missing = spawnCli(args(join(dir, 'no-such.key')));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/\[KEY_UNREADABLE\]/);
    // The export on stdin too: one of them would read the other's bytes.
    const both = spawnCli(
      ['audit', '-', '--as-of', '2018-11-01', '--pseudonymise', '--key-file', '/dev/stdin'],
      {},
      undefined,
      readFileSync(file),
    );
    expect(both).toMatchObject({ code: 2, stdout: '' });
    expect(both.stderr).toMatch(/\[USAGE\]/);
  });

  it('a closed descriptor, a device or an endless one, and the export under another number: exit 2 with the right code', () => {
    const sh = (script: string) =>
      spawnSync('/bin/sh', ['-c', script, process.execPath, BIN, file], {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, PACE_AUDIT_KEY: '' },
      });
    const cases: [string, string][] = [
      [`"$0" "$1" ${args('/dev/fd/99').join(' ')}`, 'KEY_UNREADABLE'], // not open: was exit 70
      [`"$0" "$1" ${args('/dev/null').join(' ')}`, 'KEY_TOO_SHORT'], // was KEY_FILE_OPEN (mode 0666)
      [`"$0" "$1" ${args('/dev/zero').join(' ')}`, 'KEY_UNREADABLE'], // never ends: read up to 64 KiB
      [`cat "$2" | "$0" "$1" audit - --as-of 2018-11-01 --pseudonymise --key-file /dev/fd/3 3<&0`, 'USAGE'],
      [`cat "$2" | "$0" "$1" audit /dev/fd/3 --as-of 2018-11-01 --pseudonymise --key-file /dev/stdin 3<&0`, 'USAGE'],
    ];
    for (const [script, code] of cases) {
      const r = sh(script);
      expect(r.status, script).toBe(2);
      expect(r.stderr, script).toMatch(new RegExp(`\\[${code}\\]`));
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    // `-` is stdin for the key as for the export.
    const dash = sh(`printf '%s' "${KEY}" | "$0" "$1" ${args('-').join(' ')}`);
    expect(dash.status).toBe(0);
  });

  // script(1) gives the run a terminal: /dev/tty, and /dev/stdin with nothing piped in.
  it.runIf(existsSync('/usr/bin/script'))('a terminal as the key file is refused at once, not waited on', () => {
    for (const keyFile of ['/dev/tty', '/dev/stdin']) {
      const r = onTerminal(args(keyFile).join(' '), { NO_COLOR: '1', PACE_AUDIT_KEY: '' });
      expect(r.status).toBe(2);
      expect(r.stdout).toMatch(/is a terminal.*\[KEY_UNREADABLE\]/);
    }
  });
});

describe('--suppress-below', () => {
  it('secondary suppression: a total and one hidden part would give it away, so another part is hidden', () => {
    // decided 10 = 8 within + 2 late: hiding 2 alone leaves it as 10 - 8.
    const values = new Map([
      ['decided', 10],
      ['within', 8],
      ['late', 2],
      ['episodes', 15],
      ['overdue', 5],
    ]);
    const hidden = suppressedCells(
      values,
      [
        { total: 'decided', parts: ['within', 'late'] },
        { total: 'episodes', parts: ['decided', 'overdue'] },
      ],
      3,
    );
    expect([...hidden].sort()).toEqual(['late', 'within']);
    // Chained: u = t + c with c hidden gives c away unless t goes too, which then needs a and b hidden.
    const chained = suppressedCells(
      new Map([
        ['a', 2],
        ['b', 6],
        ['t', 8],
        ['u', 10],
        ['c', 2],
      ]),
      [
        { total: 't', parts: ['a', 'b'] },
        { total: 'u', parts: ['t', 'c'] },
      ],
      3,
    );
    expect([...chained].sort()).toEqual(['a', 'b', 'c', 't']);
    // The smallest non-zero part goes, not a zero (hiding 0 next to 2 would say little).
    expect(
      [
        ...suppressedCells(
          new Map([
            ['t', 9],
            ['x', 2],
            ['z', 0],
            ['y', 7],
          ]),
          [{ total: 't', parts: ['x', 'z', 'y'] }],
          3,
        ),
      ].sort(),
    ).toEqual(['x', 'y']);
  });

  it('no hidden cell of the summary can be worked back from a shown total', () => {
    const r = run(['audit', SAMPLE, ...AS_OF, '--suppress-below', '5', '--format', 'csv', '--report', 'summary']);
    expect(r.code).toBe(0);
    const cells = Object.fromEntries(
      r.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')),
    );
    // decidedLate is 1 and overdue 4: both hidden; with decided shown, decidedWithinTarget must go too.
    expect(cells.decidedLate).toBe('<5');
    expect(cells.overdue).toBe('<5');
    for (const [total, parts] of [
      ['decided', ['decidedWithinTarget', 'decidedLate']],
      ['episodes', ['decided', 'overdue', 'inProgress', 'leftCare']],
    ] as const) {
      const members = [total, ...parts];
      expect(members.filter((m) => cells[m] === '<5' || cells[m] === '[c]').length, total).not.toBe(1);
    }
    // Hidden to protect others, or computed from a hidden count: [c], since "<5" would be false.
    expect(cells.decidedWithinTarget).toBe('[c]');
    expect(cells.percentWithinTarget).toBe('[c]');
    expect(cells.aimMet).toBe('[c]');
    // Where it is shown, aimMet is `true` or `false`, as in JSON: not csv-stringify's 1 or nothing.
    const rows = ['A', 'B', 'C', 'D', 'E'].flatMap((id) => [
      `${id},F${id},2010-01-01,accommodated,2018-01-01,`,
      `${id},F${id},,permanence_decision,2018-03-01,home`,
    ]);
    const shown = run([
      'audit',
      csvFile(csv(...rows)),
      ...AS_OF,
      '--suppress-below',
      '5',
      '--format',
      'csv',
      '--report',
      'summary',
    ]);
    expect(shown.stdout).toMatch(/^decidedWithinTarget,5$/m);
    expect(shown.stdout).toMatch(/^aimMet,true$/m);
  });

  it('a summary cell hidden is hidden in the decision stage too, which holds the same counts', () => {
    const full = json(run(['audit', SAMPLE, ...AS_OF, '--format', 'json']).stdout);
    const j = json(run(['audit', SAMPLE, ...AS_OF, '--suppress-below', '5', '--format', 'json']).stdout);
    const decision = j.stages.find((st: { stage: string }) => st.stage === 'decision');
    const pairs = [
      ['decided', 'reached'],
      ['decidedWithinTarget', 'reachedWithin'],
      ['decidedLate', 'reachedLate'],
      ['inProgress', 'waitingWithin'],
      ['overdue', 'waitingOverdue'],
    ] as const;
    // In this cohort in progress (7) is shown by the primary rule and overdue (4) hidden: with
    // episodes, decided and left care shown, a shown in-progress count anywhere gives overdue away.
    expect([j.summary.overdue, full.summary.inProgress]).toEqual(['<5', 7]);
    for (const [summary, stage] of pairs) {
      expect(decision[stage], stage).toBe(j.summary[summary]);
      const fullDecision = full.stages.find((st: { stage: string }) => st.stage === 'decision');
      expect(fullDecision[stage], stage).toBe(full.summary[summary]);
    }
    expect(j.summary.episodes - j.summary.decided - j.summary.leftCare).toBe(11);
    expect([j.summary.inProgress, decision.waitingWithin]).toEqual(['[c]', '[c]']);
  });

  it('no hidden cell of a tiny cohort can be pinned down by its bounds either ("<n" is 1 to n-1)', () => {
    // X1 decided within target, X2 late, four waiting: with "<3" on decided and both its parts,
    // 1 + 1 = 2 gave every cell away.
    const rows = [
      'X1,F1,2015-01-01,accommodated,2017-01-10,',
      'X1,F1,,permanence_decision,2017-03-01,home',
      'X2,F2,2015-01-01,accommodated,2017-01-10,',
      'X2,F2,,permanence_decision,2018-03-01,kinship',
      ...['X3', 'X4', 'X5', 'X6'].map((id) => `${id},F${id},2015-01-01,accommodated,2018-06-10,`),
    ];
    const file = csvFile(csv(...rows));
    for (const n of [3, 4, 5]) {
      const j = json(
        run(['audit', file, '--as-of', '2018-11-01', '--suppress-below', String(n), '--format', 'json']).stdout,
      );
      const s = j.summary;
      expect(s.children).toBe(6);
      const route = Object.fromEntries(
        j.routes.map((r: { route: string; decisions: unknown }) => [r.route, r.decisions]),
      );
      // Every assignment of the summary's five parts and the four routes that fits what is shown.
      const fits = (cell: unknown, v: number) =>
        typeof cell === 'number' ? cell === v : cell === `<${n}` ? v >= 1 && v < n : cell === '[c]';
      const seen = new Map<string, Set<number>>();
      const note = (k: string, v: number) => (seen.get(k) ?? seen.set(k, new Set()).get(k)!).add(v);
      const E = 6;
      for (let w = 0; w <= E; w++)
        for (let l = 0; w + l <= E; l++)
          for (let o = 0; w + l + o <= E; o++)
            for (let i = 0; w + l + o + i <= E; i++)
              for (let c = 0; w + l + o + i + c <= E; c++) {
                const d = w + l;
                const e = d + o + i + c;
                const parts = {
                  decidedWithinTarget: w,
                  decidedLate: l,
                  decided: d,
                  overdue: o,
                  inProgress: i,
                  leftCare: c,
                  episodes: e,
                };
                if (!Object.entries(parts).every(([k, v]) => fits(s[k], v))) continue;
                for (let h = 0; h <= d; h++)
                  for (let k = 0; h + k <= d; k++)
                    for (let po = 0; h + k + po <= d; po++) {
                      const ad = d - h - k - po;
                      if (
                        ![
                          ['home', h],
                          ['kinship', k],
                          ['permanence_order', po],
                          ['adoption', ad],
                        ].every(([r, v]) => fits(route[r as string], v as number))
                      )
                        continue;
                      for (const [key, v] of Object.entries(parts)) note(key, v);
                      for (const [r, v] of [
                        ['home', h],
                        ['kinship', k],
                        ['permanence_order', po],
                        ['adoption', ad],
                      ] as const)
                        note(r, v);
                    }
              }
      expect(seen.size, `n=${n}: nothing fits what is shown`).toBe(11);
      for (const [k, v] of seen) {
        const cell = k in s ? s[k] : route[k];
        if (typeof cell !== 'number') expect(v.size, `n=${n}: ${k} (${cell}) can be worked out`).toBeGreaterThan(1);
      }
    }
  });

  it('JSON: aggregate sections only, hidden counts as "<n" or "[c]"', () => {
    const r = run(['audit', SAMPLE, ...AS_OF, '--suppress-below', '5', '--format', 'json']);
    const j = json(r.stdout);
    expect(Object.keys(j)).toEqual(['schemaVersion', 'tool', 'parameters', 'input', 'summary', 'stages', 'routes']);
    expect(j.parameters.suppressBelow).toBe(5);
    // v2 shapes, as the full report's: keys with their labels beside them.
    expect(j.schemaVersion).toBe(2);
    expect(j.stages[0]).toMatchObject({ stage: 'early_review', from: 'accommodation', fromLabel: 'Accommodation' });
    expect(j.routes[0].label).toEqual(expect.any(String));
    for (const st of j.stages)
      if (st.count === '<5') expect([st.median, st.p90, st.max]).toEqual(['[c]', '[c]', '[c]']);
    // "<5" only ever for a count from 1 to 4; every other hidden cell is "[c]".
    const full = json(run(['audit', SAMPLE, ...AS_OF, '--format', 'json']).stdout);
    for (const [i, st] of j.stages.entries())
      for (const k of ['reachedWithin', 'reachedLate', 'reached', 'waitingWithin', 'waitingOverdue', 'count'])
        if (st[k] === '<5') expect([1, 2, 3, 4], `${st.stage}.${k}`).toContain(full.stages[i][k]);
    expect(r.stdout).not.toMatch(/C0\d\d|F0\d\d/);
  });

  it('child-level outputs are refused', () => {
    for (const extra of [
      ['--report', 'children'],
      ['--report', 'overdue'],
      ['--report', 'families'],
      ['--format', 'csv'],
      ['--out', join(dir, 'nope')],
    ]) {
      const r = run(['audit', SAMPLE, ...AS_OF, '--suppress-below', '5', ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/\[INVALID_OPTION\]/);
    }
    expect(run(['audit', SAMPLE, ...AS_OF, '--suppress-below', '1']).code).toBe(2);
    // "<2" could only mean 1.
    expect(run(['audit', SAMPLE, ...AS_OF, '--suppress-below', '2']).stderr).toMatch(/\[INVALID_OPTION\]/);
  });
});
