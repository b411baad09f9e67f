/**
 * Where reports go: --output is only ever a regular file, never the input, never through a
 * planted link, always 0600; stdout that is full or closed is an error, a reader that leaves
 * early is not.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cli, csv, csvFile, dir } from './helpers.js';
import { checkOutputFile, newTemporaryToken, temporaryPathFor, writeOutputFile } from '../src/output/file.js';
import { type PaceError } from '../src/errors.js';

const SAMPLE = join(import.meta.dirname, '..', 'fixtures', 'sample-export.csv');
const AS_OF = ['--as-of', '2018-11-01'];
const original = readFileSync(SAMPLE);

let n = 0;
/** A fresh folder holding a copy of the sample export. */
function workspace() {
  const here = join(dir, `out${++n}`);
  mkdirSync(here);
  const input = join(here, 'in.csv');
  copyFileSync(SAMPLE, input);
  return { here, input };
}

const codeOf = (stderr: string) => /\[([A-Z_]+)\]\s*$/.exec(stderr)?.[1];

describe('--output is never the input (item 12)', () => {
  it.each([
    ['the input itself', (_h: string, input: string) => input],
    ['the input by another path', (h: string) => join(h, '.', '..', `out${n}`, 'in.csv')],
    [
      'a hard link to the input',
      (h: string, input: string) => {
        linkSync(input, join(h, 'hard.csv'));
        return join(h, 'hard.csv');
      },
    ],
    [
      'a symbolic link to the input',
      (h: string, input: string) => {
        symlinkSync(input, join(h, 'sym.csv'));
        return join(h, 'sym.csv');
      },
    ],
  ])('%s: exit 2, OUTPUT_IS_INPUT, the export untouched', (_name, target) => {
    const { here, input } = workspace();
    const out = target(here, input);
    // Every format for the input itself; one for the others, to keep the test quick.
    for (const format of out === input ? ['table', 'json', 'csv'] : ['json']) {
      const r = cli(['audit', input, ...AS_OF, '--format', format, '--output', out]);
      expect(r.code).toBe(2);
      expect(codeOf(r.stderr)).toBe('OUTPUT_IS_INPUT');
      expect(r.stdout).toBe('');
      expect(readFileSync(input)).toEqual(original);
    }
    expect(readdirSync(here).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('nor is stdout appending to it (>> in.csv)', () => {
    const { input } = workspace();
    const append = openSync(input, 'a');
    try {
      const r = run(['audit', input, ...AS_OF], append);
      expect(r.code).toBe(2);
      expect(codeOf(r.stderr)).toBe('OUTPUT_IS_INPUT');
    } finally {
      closeSync(append);
    }
    expect(readFileSync(input)).toEqual(original);
  });

  it('nor the config being read', () => {
    const { here, input } = workspace();
    const config = join(here, 'pace-audit.config.json');
    writeFileSync(config, '{}');
    const r = cli(['validate', input, ...AS_OF, '--output', 'pace-audit.config.json'], {}, here);
    expect(r.code).toBe(2);
    expect(codeOf(r.stderr)).toBe('OUTPUT_IS_INPUT');
    expect(readFileSync(config, 'utf8')).toBe('{}');
  });
});

describe('--output is written safely (items 13, 14)', () => {
  it('a symbolic link planted at the old temporary name sends the report nowhere else', async () => {
    const { here, input } = workspace();
    const victim = join(here, 'victim.txt');
    writeFileSync(victim, 'keep me');
    const out = join(here, 'report.json');
    const child = spawn(process.execPath, [BIN, 'audit', input, ...AS_OF, '--format', 'json', '--output', out], {
      stdio: 'ignore',
    });
    // The name the temporary file used to have, planted before the run gets to write.
    symlinkSync(victim, join(here, `.report.json.tmp-${child.pid}`));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.children).toBeGreaterThan(0);
    expect(lstatSync(out).isFile()).toBe(true);
  });

  it('the temporary file is made with O_EXCL|O_NOFOLLOW: a link at its name is refused, not followed', () => {
    const { here } = workspace();
    const victim = join(here, 'victim.txt');
    writeFileSync(victim, 'keep me');
    const out = join(here, 'report.txt');
    symlinkSync(victim, temporaryPathFor(out, 'guessed'));
    expect(() => writeOutputFile(out, ['report'], { token: 'guessed', inputs: [] })).toThrow(
      expect.objectContaining({ code: 'OUTPUT_UNWRITABLE' }),
    );
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(existsSync(out)).toBe(false);
    // The link is someone else's: it is left where it is.
    expect(lstatSync(temporaryPathFor(out, 'guessed')).isSymbolicLink()).toBe(true);
  });

  it('temporary names cannot be guessed: no pid, a fresh random part each run', () => {
    const names = [newTemporaryToken(), newTemporaryToken()].map((t) => temporaryPathFor('/x/report.json', t));
    expect(names[0]).not.toBe(names[1]);
    expect(names[0]).not.toContain(String(process.pid));
    expect(names[0]).toMatch(/^\/x\/\.report\.json\.[0-9a-f]{24}\.tmp$/);
  });

  it('an existing symbolic link at the output is replaced by the report; what it pointed to is not written', () => {
    const { here, input } = workspace();
    const victim = join(here, 'victim.txt');
    writeFileSync(victim, 'keep me');
    const out = join(here, 'report.json');
    symlinkSync(victim, out);
    const r = cli(['audit', input, ...AS_OF, '--format', 'json', '--output', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(lstatSync(out).isFile()).toBe(true);
  });

  it.each([
    [
      'a folder',
      (h: string) => {
        mkdirSync(join(h, 'folder'));
        return join(h, 'folder');
      },
    ],
    [
      'a FIFO',
      (h: string) => {
        spawnSync('mkfifo', [join(h, 'fifo')]);
        return join(h, 'fifo');
      },
    ],
  ])('%s is refused: exit 2, OUTPUT_UNWRITABLE, nothing written', (_name, target) => {
    const { here, input } = workspace();
    const out = target(here);
    const before = lstatSync(out);
    const r = cli(['audit', input, ...AS_OF, '--output', out]);
    expect(r.code).toBe(2);
    expect(codeOf(r.stderr)).toBe('OUTPUT_UNWRITABLE');
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(lstatSync(out).ino).toBe(before.ino);
    expect(readdirSync(here).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a device is refused and never replaced (a private device node, where the system allows one)', () => {
    const { here, input } = workspace();
    const node = join(here, 'null');
    if (spawnSync('mknod', [node, 'c', '1', '3']).status !== 0) return; // not root, or no CAP_MKNOD
    const r = cli(['audit', input, ...AS_OF, '--output', node]);
    expect(r.code).toBe(2);
    expect(codeOf(r.stderr)).toBe('OUTPUT_UNWRITABLE');
    expect(statSync(node).isCharacterDevice()).toBe(true);
  });

  it('devices and the system folders are refused before anything is opened', () => {
    const refused = (file: string) => {
      try {
        checkOutputFile(file, []);
      } catch (e) {
        return (e as PaceError).code;
      }
      return 'allowed';
    };
    expect(refused('/dev/full')).toBe('OUTPUT_UNWRITABLE');
    expect(refused('/dev/null')).toBe('OUTPUT_UNWRITABLE');
    expect(refused('/dev/stdout')).toBe('OUTPUT_UNWRITABLE'); // even when stdout is a regular file
    expect(refused('/dev/new-file')).toBe('OUTPUT_UNWRITABLE');
    expect(refused('/proc/self/fd/1')).toBe('OUTPUT_UNWRITABLE');
    expect(refused(join(dir, 'fine.json'))).toBe('allowed');
    if (existsSync('/dev/shm')) expect(refused('/dev/shm/pace-audit-report.json')).toBe('allowed');
  });

  it('every report file is 0600, whatever the umask allows, and replaces a 0644 one', () => {
    const { here, input } = workspace();
    const out = join(here, 'report.txt');
    writeFileSync(out, 'old', { mode: 0o644 });
    for (const [format, command] of [
      ['table', 'audit'],
      ['csv', 'validate'],
      ['json', 'child'],
    ] as const) {
      const args = command === 'child' ? ['child', 'C026', input] : [command, input];
      const r = cli([...args, ...AS_OF, '--format', format, '--output', out]);
      expect(r.code, r.stderr).toBeLessThan(2);
      expect(statSync(out).mode & 0o777).toBe(0o600);
    }
    // A umask of 0 (as some services run) does not widen it.
    const r = spawnSync('sh', [
      '-c',
      `umask 000 && exec "${process.execPath}" "${BIN}" audit "${input}" --as-of 2018-11-01 --output "${join(here, 'wide.txt')}"`,
    ]);
    expect(r.status).toBe(0);
    expect(statSync(join(here, 'wide.txt')).mode & 0o777).toBe(0o600);
  });
});

/** Runs the CLI with the given stdout; returns exit code and stderr. */
function run(args: string[], stdout: 'ignore' | number) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', stdout, 'pipe'],
    env: { ...process.env, NO_COLOR: '' },
  });
  return { code: r.status, stderr: r.stderr };
}

describe('stdout that cannot take the report (item 15)', () => {
  it('a full disk (/dev/full) is exit 2, OUTPUT_UNWRITABLE, no stack trace', () => {
    const full = openSync('/dev/full', 'w');
    try {
      for (const format of ['table', 'json', 'csv']) {
        const r = run(['audit', SAMPLE, ...AS_OF, '--format', format], full);
        expect(r.code).toBe(2);
        expect(codeOf(r.stderr)).toBe('OUTPUT_UNWRITABLE');
        expect(r.stderr).toMatch(/ENOSPC/);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      }
      const help = run(['--help'], full);
      expect(help.code).toBe(2);
      expect(help.stderr).not.toMatch(/\n\s+at /);
    } finally {
      closeSync(full);
    }
  });

  it('a closed stdout is exit 2, OUTPUT_UNWRITABLE, before the work', () => {
    const ignored = run(['audit', SAMPLE, ...AS_OF], 'ignore');
    expect(ignored.code).toBe(2);
    expect(codeOf(ignored.stderr)).toBe('OUTPUT_UNWRITABLE');
    const closed = spawnSync(
      'sh',
      ['-c', `exec "${process.execPath}" "${BIN}" validate "${SAMPLE}" --as-of 2018-11-01 >&-`],
      { encoding: 'utf8' },
    );
    expect(closed.status).toBe(2);
    expect(codeOf(closed.stderr)).toBe('OUTPUT_UNWRITABLE');
    expect(closed.stderr).not.toMatch(/\n\s+at /);
  });

  it('a stdout sent to /dev/null on purpose, or closed with --output, is fine', () => {
    const devnull = openSync('/dev/null', 'w');
    try {
      expect(run(['audit', SAMPLE, ...AS_OF, '--fail-under', '10'], devnull).code).toBe(0);
    } finally {
      closeSync(devnull);
    }
    const { here } = workspace();
    expect(run(['audit', SAMPLE, ...AS_OF, '--output', join(here, 'r.txt')], 'ignore').code).toBe(0);
  });

  it("a reader that leaves early (| head) is no error: the run's own exit code, nothing on stderr", async () => {
    const { writeExport } = await import('../scripts/synth.mjs');
    const big = join(dir, 'epipe.csv');
    await writeExport(big, { children: 3000 });
    for (const [extra, expected] of [
      [[], 0],
      [['--fail-under', '100'], 1],
    ] as const) {
      const child = spawn(
        process.execPath,
        [BIN, 'audit', big, '--as-of', '2026-11-01', '--format', 'json', ...extra],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      // Take the first chunk, then go away, as `head -1` does.
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise((r) => child.on('close', r));
      expect(code).toBe(expected);
      expect(stderr).not.toMatch(/EPIPE|internal error|\n\s+at /);
      if (expected === 0) expect(stderr).not.toMatch(/OUTPUT_UNWRITABLE/);
    }
  });

  it('a stderr that has gone away does not crash the run', async () => {
    const file = csvFile(csv('C1,,2010-01-01,accommodated,2017-01-01,', 'C1,,2010-01-01,review,2017-02-30,'));
    const child = spawn(process.execPath, [BIN, 'audit', file, ...AS_OF, '--format', 'json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr.destroy(); // the findings summary has nowhere to go
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(JSON.parse(stdout).input.rowsRejected).toBe(1);
  });
});
