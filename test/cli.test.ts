import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { spawn, spawnSync } from 'node:child_process';
import { appears, BIN, cli, csv, csvFile, dir, manyChildren, spawnCli } from './helpers.js';

const SAMPLE = join(import.meta.dirname, '..', 'fixtures', 'sample-export.csv');
const SAMPLE_ARGS = ['audit', SAMPLE, '--as-of', '2018-11-01', '--from', '2017-11-01'];

describe('the sample export reproduces the Midlothian figures', () => {
  it('as JSON', () => {
    const r = cli([...SAMPLE_ARGS, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    expect(j.schemaVersion).toBe(2);
    expect(j.tool.name).toBe('pace-audit');
    expect(j.parameters).toMatchObject({
      asOf: '2018-11-01',
      from: '2017-11-01',
      to: null,
      maxAge: 12,
      target: '7.5m',
      aim: 75,
    });
    expect(j.summary).toEqual({
      episodes: 32,
      children: 32,
      families: 25,
      decided: 21,
      decidedWithinTarget: 20,
      decidedLate: 1,
      overdue: 4,
      inProgress: 7,
      leftCare: 0,
      percentOfDecidedWithinTarget: 95.2,
      percentWithinTarget: 80,
      aim: 75,
      aimMet: true,
      reentries: 1,
      errors: 0,
      warnings: 0,
    });
    expect(j.input.rowsRead).toBe(j.input.rowsAccepted + j.input.rowsRejected);
    expect(j.input.eventsAfterAsOf).toBeGreaterThan(0);
    expect(j.children).toHaveLength(32);
    expect(Object.keys(j.children[0])).toEqual([
      'childId',
      'episode',
      'familyId',
      'ageAtAccommodation',
      'accommodatedOn',
      'deadline',
      'decisionOn',
      'lagDays',
      'route',
      'status',
      'daysOverdue',
      'daysRemaining',
      'episodes',
      'reentered',
      'stages',
    ]);
    expect(Object.keys(j.children[0].stages)).toEqual([
      'early_review',
      'statutory_review',
      'decision',
      'panel',
      'adm',
      'court_application',
      'final_order',
    ]);
    expect(Object.keys(j)).toEqual([
      'schemaVersion',
      'tool',
      'parameters',
      'input',
      'summary',
      'stages',
      'drift',
      'routes',
      'families',
      'dueSoon',
      'children',
      'issues',
    ]);
    // The re-accommodated child is in the cohort by its second episode only.
    expect(j.children.filter((c: { episode: number }) => c.episode === 2)).toHaveLength(1);
    expect(r.stdout).not.toMatch(/date_?of_?birth|dob/i);
  });

  it('as a table: summary, then the overdue list, then the row accounting', () => {
    const r = cli(SAMPLE_ARGS);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('95.2%');
    expect(r.stdout).toContain('80.0%');
    expect(r.stdout).toMatch(/32 \(25\)/);
    expect(r.stdout).toMatch(/Overdue: 4, most overdue first/);
    expect(r.stdout).toMatch(/Rows: 156 read = 156 accepted \+ 0 rejected/);
    expect(r.stdout).not.toContain('\u001b['); // no colour when not a terminal
    const section = r.stdout.slice(r.stdout.indexOf('Overdue: 4'), r.stdout.indexOf('Due soon'));
    const overdue = [...section.matchAll(/│ (C\d+)\s+│.*│ (\d+)\s+│\n/g)].map((m) => Number(m[2]));
    expect(overdue).toHaveLength(4);
    expect(overdue).toEqual([...overdue].sort((a, b) => b - a));
  });

  it('as CSV, one row per overdue child by default', () => {
    const r = cli([...SAMPLE_ARGS, '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'childId,episode,familyId,ageAtAccommodation,accommodatedOn,deadline,decisionOn,lagDays,route,status,daysOverdue,daysRemaining',
    );
    expect(lines).toHaveLength(5);
    // The accounting goes to stderr at a terminal only (a CSV has no room for it).
    expect(r.stderr).not.toMatch(/Rows:/);
    expect(
      cli([...SAMPLE_ARGS, '--format', 'csv', '--report', 'children'])
        .stdout.trim()
        .split('\n'),
    ).toHaveLength(33);
  });

  it('as JSON with --report summary: the head of the full document and nothing per child', () => {
    // Rows reversed, so the children are not in id order: the summary must not depend on it.
    const [header, ...rows] = readFileSync(SAMPLE, 'utf8').trimEnd().split('\n');
    const reversed = csvFile([header, ...rows.reverse()].join('\n') + '\n');
    const args = ['audit', reversed, '--as-of', '2018-11-01', '--from', '2017-11-01', '--format', 'json'];
    const full = JSON.parse(cli(args).stdout);
    const r = cli([...args, '--report', 'summary']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const summary = JSON.parse(r.stdout);
    expect(Object.keys(summary)).toEqual(['schemaVersion', 'tool', 'report', 'parameters', 'input', 'summary']);
    expect(summary.report).toBe('summary');
    expect({ ...summary.input, file: null }).toEqual({ ...full.input, file: null });
    expect([summary.parameters, summary.summary]).toEqual([full.parameters, full.summary]);
    expect(summary.summary).toMatchObject({ children: 32, overdue: 4, reentries: 1, percentWithinTarget: 80 });
    // The CSV of the summary alone (a monthly run's row for a running sheet) takes the same path.
    const csvRun = cli([...args.slice(0, -2), '--format', 'csv', '--report', 'summary']);
    expect(csvRun.code, csvRun.stderr).toBe(0);
    const [head, row] = parse(csvRun.stdout) as string[][];
    const cells = Object.fromEntries(head.map((k, i) => [k, row[i]]));
    for (const [k, v] of Object.entries(full.summary)) expect(cells[k], k).toBe(String(v));
  });

  it('gives the same answer in every time zone', () => {
    const outs = ['UTC', 'America/New_York', 'Europe/London', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'].map(
      (TZ) => spawnCli([...SAMPLE_ARGS, '--format', 'json'], { TZ }).stdout,
    );
    for (const o of outs) expect(o).toBe(outs[0]);
  });
});

// The binary itself, as a process (bin/pace-audit.js): each command, each exit code, stdout and
// stderr apart. The tests above and in the other files run the same program in a thread of the
// test process (helpers.ts cli()), which leaves the exit status of a process to these.
describe('the binary', () => {
  it.each([
    ['audit', 0, [...SAMPLE_ARGS, '--format', 'json'], /"schemaVersion": 2/],
    ['audit below --fail-under', 1, [...SAMPLE_ARGS, '--fail-under', '80.1'], /95\.2%/],
    ['validate', 0, ['validate', SAMPLE, '--as-of', '2018-11-01', '--format', 'json'], /"errors": 0/],
    ['child', 0, ['child', 'C026', SAMPLE, '--as-of', '2018-11-01', '--format', 'json'], /"childId": "C026"/],
    ['inspect', 0, ['inspect', SAMPLE, '--format', 'json'], /"headers"/],
    [
      'trend',
      0,
      ['trend', SAMPLE, '--start', '2017-11-01', '--end', '2018-10-31', '--format', 'json'],
      /"report": "trend"/,
    ],
    [
      'changes',
      0,
      ['changes', SAMPLE, '--since', '2018-10-01', '--as-of', '2018-11-01', '--format', 'json'],
      /"since"/,
    ],
    ['--help', 0, ['--help'], /Examples:/],
    ['--version', 0, ['--version'], /^\d+\.\d+\.\d+\n$/],
  ] as const)('%s: exit %i, the report on stdout, nothing on stderr', (_, code, args, stdout) => {
    const r = spawnCli([...args]);
    expect([r.code, r.stderr]).toEqual([code, code === 1 ? expect.stringMatching(/within target/) : '']);
    expect(r.stdout).toMatch(stdout);
    // The run in a thread, which the other tests use, gives the process's every byte and code.
    expect(cli([...args])).toEqual(r);
  });

  it.each([
    ['a validate error', 1, ['validate', 'ERRORS', '--as-of', '2018-11-01'], ''],
    ['a usage error of ours', 2, ['audit', SAMPLE, '--as-of', '2018-02-30'], '[INVALID_OPTION]'],
    [
      'a usage error commander finds',
      2,
      ['audit', SAMPLE, '--bogus'],
      "pace-audit: unknown option '--bogus' [USAGE]\n",
    ],
    ['a missing argument', 2, ['audit'], "pace-audit: missing required argument 'file' [USAGE]\n"],
    ['one argument too many', 2, ['audit', SAMPLE, SAMPLE], '[USAGE]\n'],
    ['an unknown command', 2, ['audti', SAMPLE], "pace-audit: unknown command 'audti' [USAGE]\n(Did you mean audit?)"],
    ['no command at all', 2, [], 'Usage:'],
    ['a missing file', 2, ['audit', join(dir, 'nope.csv')], '[FILE_NOT_FOUND]'],
  ] as const)('%s: exit %i, stderr says so without a stack trace', (_, code, args, says) => {
    const errors = csvFile(
      csv('C1,F1,2010-01-01,accommodated,2018-01-01,', 'C1,F1,,permanence_decision,2018-02-01,foster'),
    );
    const r = spawnCli(args.map((a) => (a === 'ERRORS' ? errors : a)));
    expect(r.code).toBe(code);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    if (code === 2) expect([r.stdout, r.stderr]).toEqual(['', expect.stringContaining(says)]);
    else expect(r.stdout).toMatch(/UNKNOWN_ROUTE/);
    expect(cli(args.map((a) => (a === 'ERRORS' ? errors : a)))).toEqual(r);
  });
});

describe('stderr and stdout where they meet', () => {
  it('says what it found in the input before the report, on a terminal or in cron’s mail (2>&1)', () => {
    // The report was written at once while the notices went by way of the main thread: on a
    // quick run, the CSV came first about half the time.
    const rows = Array.from({ length: 50 }, (_, i) => `C${i},F${i},2010-01-01,accommodated,2018-01-01,`);
    const file = csvFile(csv(...rows, 'C1,F1,,bogus,2018-02-01,'));
    const command = `"${process.execPath}" "${BIN}" audit "${file}" --as-of 2018-11-01 --report summary --format csv 2>&1`;
    for (let run = 0; run < 8; run++) {
      const r = spawnSync('sh', ['-c', command], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      const lines = r.stdout.split('\n');
      const report = lines.findIndex((l) => l.startsWith('asOf,'));
      const notice = lines.findIndex((l) => l.includes('1 row rejected'));
      expect([notice >= 0, report > notice], r.stdout).toEqual([true, true]);
    }
  });
});

describe('exit codes', () => {
  it('70, as our bug, when the worker thread stops before its task comes (not a wait, not 0)', () => {
    // The worker starts before the rest of the program loads (src/cli.ts); a preload makes it fail
    // at once, while the main thread is held long enough that the failure comes first.
    const preload = [
      'import { isMainThread } from "node:worker_threads";',
      'if (!isMainThread) throw new Error("the worker could not start");',
      'const t = Date.now(); while (Date.now() - t < 300);',
    ].join(' ');
    const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${preload}`, BIN, ...SAMPLE_ARGS], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '' },
      timeout: 30_000,
    });
    expect([r.status, r.stdout]).toEqual([70, '']);
    expect(r.stderr).toMatch(/^pace-audit: internal error: .*Please report it/);
    expect(r.stderr).toContain('the worker could not start');
  });

  it('2 with NO_WORKING_FOLDER, not our bug, when the folder it runs from has been removed', () => {
    const gone = join(dir, 'removed-folder');
    const r = spawnSync(
      '/bin/sh',
      [
        '-c',
        'mkdir "$0" && cd "$0" && rmdir "$0" && exec "$1" "$2" validate "$3"',
        gone,
        process.execPath,
        BIN,
        SAMPLE,
      ],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/\[NO_WORKING_FOLDER\]\n$/);
    expect(r.stderr).not.toMatch(/internal error/);
    // Help and the version read no file: they still work there.
    for (const args of [['--version'], ['audit', '--help']]) {
      const h = spawnSync(
        '/bin/sh',
        ['-c', 'mkdir "$0" && cd "$0" && rmdir "$0" && exec "$1" "$2" "$3" "$4"', gone, process.execPath, BIN, ...args],
        {
          encoding: 'utf8',
          timeout: 30_000,
        },
      );
      expect([h.status, h.stderr]).toEqual([0, '']);
      expect(h.stdout).not.toBe('');
    }
  });

  it('2 with NO_WORKING_FOLDER when the folder is removed just as the thread running the command starts', () => {
    // That thread asks for the folder first: it failed to start, which was reported as our bug.
    const gone = join(dir, 'removed-as-it-starts');
    const r = spawnSync(
      '/bin/sh',
      ['-c', 'mkdir "$0" && cd "$0" && exec "$1" "$2" validate "$3"', gone, process.execPath, BIN, SAMPLE],
      {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, NODE_OPTIONS: `--import=${join(import.meta.dirname, 'remove-working-folder.mjs')}` },
      },
    );
    expect(existsSync(gone)).toBe(false);
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/\[NO_WORKING_FOLDER\]\n$/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('--fail-under: 1 below the threshold, 0 at or above it', () => {
    const below = cli([...SAMPLE_ARGS, '--fail-under', '80.1']);
    expect(below.code).toBe(1);
    expect(below.stderr).toMatch(/80\.0% within target/);
    expect(below.stdout).toContain('95.2%'); // the report is still written in full
    expect(cli([...SAMPLE_ARGS, '--fail-under', '80']).code).toBe(0);
  });

  it('2 for usage errors, without a stack trace', () => {
    for (const args of [
      ['audit', SAMPLE, '--as-of', '2018-02-30'],
      ['audit', SAMPLE, '--format', 'xml'],
      ['audit', SAMPLE, '--target', 'soon'],
      ['audit', SAMPLE, '--bogus'],
      ['audit'],
      ['frobnicate'],
    ]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('2 for a missing file, an empty file, a missing column', () => {
    const missing = cli(['audit', join(dir, 'nope.csv')]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('[FILE_NOT_FOUND]')]);
    const empty = cli(['audit', csvFile('')]);
    expect([empty.code, empty.stderr]).toEqual([2, expect.stringContaining('[EMPTY_FILE]')]);
    const noColumn = cli(['audit', csvFile('child_id,family_id,evnt,event_date\nC1,F1,accommodated,2018-01-01\n')]);
    expect(noColumn.code).toBe(2);
    expect(noColumn.stderr).toMatch(/\[MISSING_COLUMN\]/);
    expect(noColumn.stderr).toMatch(/"event" \(closest: "evnt"\)/);
    expect(noColumn.stderr).toMatch(/columns found: "child_id", "family_id", "evnt", "event_date"/);
    expect(noColumn.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--strict: any rejected row stops the run with 2', () => {
    const file = csvFile(csv('C1,F1,2010-01-01,accommodated,2018-01-01,', 'C2,F1,,accommodated,2018-02-30,'));
    const lax = cli(['audit', file, '--as-of', '2018-11-01']);
    expect(lax.code).toBe(0);
    expect(lax.stderr).toMatch(/1 row rejected \(2 errors\)/);
    expect(lax.stderr).toMatch(/INVALID_DATE\s+1\s+first at line 3/);
    expect(lax.stderr).toMatch(/MISSING_VALUE\s+1\s+first at line 3/);
    const strict = cli(['audit', file, '--as-of', '2018-11-01', '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/\[REJECTED_ROWS\]/);
    expect(strict.stdout).toBe('');
  });

  it('validate: 0 without errors, 1 with, and lists each finding with file and line', () => {
    expect(cli(['validate', SAMPLE, '--as-of', '2018-11-01']).code).toBe(0);
    const file = csvFile(
      csv('C1,F1,2010-01-01,accommodated,2018-01-01,', 'C1,F1,,permanence_decision,2018-02-01,foster'),
    );
    const r = cli(['validate', file, '--as-of', '2018-11-01', '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.issues).toEqual([
      {
        line: 3,
        column: 'route',
        code: 'UNKNOWN_ROUTE',
        severity: 'error',
        childId: 'C1',
        message: expect.any(String),
      },
    ]);
    const table = cli(['validate', file, '--as-of', '2018-11-01']).stdout;
    expect(table.startsWith(`${file}: 1 error`)).toBe(true);
    expect(table).toMatch(/│ 3 +│ route +│ UNKNOWN_ROUTE/);
  });

  it('validate lists every finding in csv, json and ndjson, not only the first 1,000 of a code', () => {
    // 1,200 rows of one unknown event, behind an accepted child.
    const bad = Array.from({ length: 1200 }, (_, i) => `C${i},F1,,visit,2018-02-01,`);
    const file = csvFile(csv('C1,F1,2010-01-01,accommodated,2018-01-01,', ...bad));
    const out = cli(['validate', file, '--as-of', '2018-11-01', '--format', 'csv']);
    expect(out.code).toBe(1);
    const records = out.stdout.trimEnd().split('\n').slice(1);
    expect(records).toHaveLength(1200);
    expect(records.at(-1)).toMatch(/,1202,event,UNKNOWN_EVENT,/);
    expect(JSON.parse(cli(['validate', file, '--as-of', '2018-11-01', '--format', 'json']).stdout).issues).toHaveLength(
      1200,
    );
    const nd = cli(['validate', file, '--as-of', '2018-11-01', '--format', 'ndjson']).stdout.trimEnd().split('\n');
    expect(nd.filter((l) => l.includes('"type":"finding"'))).toHaveLength(1200);
    // The table shows 20 and says how many more there are of all 1,200.
    expect(cli(['validate', file, '--as-of', '2018-11-01']).stdout).toMatch(/and 1,180 more/);
  });

  it('--help and --version exit 0', () => {
    const help = cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
    expect(cli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('output', () => {
  it('--output writes the whole report and leaves no temporary file', () => {
    const out = join(dir, 'report.json');
    const r = cli([...SAMPLE_ARGS, '--format', 'json', '--output', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.children).toBe(32);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a run killed while writing --output leaves no report and no temporary file', async () => {
    const big = manyChildren(30_000, 'big.csv');
    const out = join(dir, 'killed.json');
    const isTemporary = (f: string) => f.startsWith('.killed.json.') && f.endsWith('.tmp');
    const child = spawn(
      process.execPath,
      [BIN, 'audit', big, '--format', 'json', '--output', out, '--as-of', '2026-11-01'],
      { stdio: 'ignore' },
    );
    const exited = new Promise<number | string | null>((r) => child.on('exit', (c, sig) => r(c ?? sig)));
    // Wait for the state under test (the temporary file exists) by watching the folder, then
    // stop the run there, so it cannot finish the report between the look and the kill.
    await appears(dir, isTemporary, exited);
    child.kill('SIGSTOP');
    expect(readdirSync(dir).some(isTemporary)).toBe(true);
    expect(existsSync(out)).toBe(false);
    // The SIGTERM waits while the run is stopped and is the first thing it meets on waking.
    child.kill('SIGTERM');
    child.kill('SIGCONT');
    expect(await exited).toBe('SIGTERM');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--output into a missing folder is exit 2 and writes nothing', () => {
    const out = join(dir, 'no-such-folder', 'report.json');
    const r = cli([...SAMPLE_ARGS, '--format', 'json', '--output', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[OUTPUT_UNWRITABLE\]/);
    expect(existsSync(out)).toBe(false);
  });

  it('CSV cells that could start a formula are neutralised', () => {
    const file = csvFile(
      csv('=HYPERLINK("x"),@F1,2010-01-01,accommodated,2017-01-01,', '+C2,-F2,2010-01-01,accommodated,2017-01-01,'),
    );
    const r = cli(['audit', file, '--as-of', '2018-11-01', '--format', 'csv', '--report', 'children']);
    const cells = r.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').slice(0, 3));
    expect(cells).toEqual([
      ["'+C2", '1', "'-F2"],
      ['"\'=HYPERLINK(""x"")"', '1', "'@F1"],
    ]);
  });
});
