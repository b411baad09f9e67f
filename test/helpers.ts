import { spawnSync } from 'node:child_process';
import { existsSync, type FSWatcher, mkdtempSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { tmpdir } from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { load } from '../src/load.js';
import { dayFromCivil } from '../src/dates/days.js';
import { type Mapping } from '../src/mapping.js';
import { type Episode } from '../src/timeline/episodes.js';

/**
 * This test file's own temporary folder. The suite shares modules between the files a worker
 * runs (isolate: false in vitest.config.ts), so setup.ts calls beforeFile() for each file: no
 * file sees another's reports, FIFOs or temporary files.
 */
export let dir = mkdtempSync(join(tmpdir(), 'pace-audit-test-'));
let n = 0;

/** Writes a CSV (string or bytes) to a temporary file and returns its path. */
export function csvFile(content: string | Buffer, name = `t${++n}.csv`): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

export const d = (s: string) => dayFromCivil(+s.slice(0, 4), +s.slice(5, 7), +s.slice(8, 10));

export const HEADER = 'child_id,family_id,date_of_birth,event,event_date,route';
export const csv = (...lines: string[]) => [HEADER, ...lines].join('\n') + '\n';

/**
 * An export of `children` children, one accommodation each, all overdue by 2026: quick to read,
 * long to report (every child is listed), for tests that must catch a run while it writes.
 */
export function manyChildren(children: number, name?: string): string {
  const rows = Array.from({ length: children }, (_, i) => `C${i},F${i},2010-01-01,accommodated,2018-01-01,`);
  return csvFile(csv(...rows), name);
}

/**
 * Resolves once `folder` holds an entry that passes `test` (watched, so no polling); rejects if
 * `ended` (a run's exit) comes first. The watcher is closed either way: one left open would keep
 * the test worker from exiting.
 */
export function appears(folder: string, test: (name: string) => boolean, ended: Promise<unknown>): Promise<void> {
  let watcher: FSWatcher | undefined;
  const found = new Promise<void>((resolve) => {
    watcher = watch(folder, (_, name) => {
      if (name !== null && test(String(name))) resolve();
    });
    // Watching starts now: an entry made before it is found by looking.
    if (readdirSync(folder).some(test)) resolve();
  });
  const early = ended.then((how) => {
    throw new Error(`the run ended (${String(how)}) before ${folder} held what the test waits for`);
  });
  return Promise.race([found, early]).finally(() => watcher?.close());
}

export function loadCsv(text: string | Buffer, asOf = '2018-11-01', mapping?: Mapping) {
  return load({ file: csvFile(text), asOf: d(asOf), mapping });
}

/** Numbers in [0, 1) from a seed, the same on every run and machine. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A load's episodes as plain data to compare, in child-id then episode order: children are
 * numbered as the threads of a read meet them, which no report shows.
 */
export function episodesById(table: { length: number; get(i: number): Episode }) {
  return Array.from({ length: table.length }, (_, i) => {
    const e = table.get(i);
    return {
      childId: e.childId,
      familyId: e.familyId,
      n: e.n,
      episodes: e.episodes,
      dob: e.dob,
      startLine: e.startLine,
      first: Array.from(e.first),
      route: e.route,
    };
  }).sort((a, b) => (a.childId < b.childId ? -1 : a.childId > b.childId ? 1 : a.n - b.n));
}

export const codes = (findings: { list(): { code: string }[] }) => findings.list().map((f) => f.code);

/**
 * True in the extra time-zone runs (vitest.config.ts), which repeat only what turns text into
 * dates and dates into figures: end-to-end blocks in those files skip themselves there
 * (cli.test.ts already runs the CLI under five zones). Set again for each file (beforeFile): a
 * worker may run files of more than one project.
 */
export let ZONED_RUN = process.env.TZ !== 'UTC';

/** Called before each test file (setup.ts): its own folder, and the time zone its project set. */
export function beforeFile(): void {
  dir = mkdtempSync(join(tmpdir(), 'pace-audit-test-'));
  ZONED_RUN = process.env.TZ !== 'UTC';
}

export const BIN = join(import.meta.dirname, '..', 'bin', 'pace-audit.js');

/**
 * What a command sees of the environment (commands/io.ts), and the pseudonymisation key, which the
 * thread sets in its own copy of process.env: all an in-thread run can be given.
 */
const IO_ENV = ['NO_COLOR', 'FORCE_COLOR', 'TERM', 'LANG', 'LC_ALL', 'LC_CTYPE', 'COLUMNS'] as const;
const THREAD_ENV: readonly string[] = [...IO_ENV, 'PACE_AUDIT_KEY'];

/**
 * Runs the built program (dist/) and returns its stdout, stderr and exit code apart. Every JSON
 * report it writes (stdout or --output) is checked against schema/.
 *
 * By default in a thread of this process (cli-thread.mjs): the same program, flags, checks,
 * escaping and exit codes as the binary, without starting Node for each run. What only a process
 * has is spawned instead: a working folder (`cwd`), an environment variable a command does not
 * take through commands/io.ts (TZ...), stdin. PACE_AUDIT_KEY
 * is never inherited from the shell running the tests. Tests of the process itself (exit
 * status of the binary, signals, descriptors, pipes, the worker relay) call spawnCli().
 */
export function cli(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const spawned =
    cwd !== undefined ||
    Object.keys(env).some((k) => !THREAD_ENV.includes(k)) ||
    args.some((a, i) => (a === '-' || a.startsWith('/dev/')) && args[i - 1] !== '--output');
  if (spawned) return spawnCli(args, env, cwd);
  const r = inThread(args, env);
  checkJsonOutput(args, r);
  return r;
}

/**
 * Runs the built CLI as a process (bin/pace-audit.js): what its exit status and descriptors show.
 * JSON reports are checked against schema/ as in cli().
 */
export function spawnCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd?: string,
  input?: string | Buffer,
) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd,
    input,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', PACE_AUDIT_KEY: '', ...env },
  });
  const result = { stdout: r.stdout, stderr: r.stderr, code: r.status };
  checkJsonOutput(args, result, cwd);
  return result;
}

function checkJsonOutput(args: string[], r: { stdout: string; code: number | null }, cwd?: string) {
  const format = args[args.indexOf('--format') + 1];
  if (args.includes('--format') && format === 'json' && (r.code === 0 || r.code === 1)) {
    const output = args.includes('--output') ? join(cwd ?? '', args[args.indexOf('--output') + 1]) : undefined;
    const text =
      output === undefined || output === '-' ? r.stdout : existsSync(output) ? readFileSync(output, 'utf8') : '';
    if (text) checkReport(args[0], JSON.parse(text));
  }
}

let thread: { worker: Worker; signal: Int32Array; answers: MessagePort } | undefined;

function inThread(
  args: string[],
  env: Record<string, string>,
): { stdout: string; stderr: string; code: number | null } {
  if (!thread) {
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(new URL('./cli-thread.mjs', import.meta.url), {
      workerData: { signal, answers: port2 },
      transferList: [port2],
    });
    worker.unref();
    thread = { worker, signal, answers: port1 };
  }
  const all: Record<string, string | undefined> = { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env };
  Atomics.store(thread.signal, 0, 0);
  thread.worker.postMessage({ args, env: Object.fromEntries(IO_ENV.map((k) => [k, all[k]])), key: env.PACE_AUDIT_KEY });
  // Generous: a run here takes well under a second; this only keeps a dead thread from hanging the file.
  if (Atomics.wait(thread.signal, 0, 0, 120_000) === 'timed-out')
    throw new Error(`cli thread: no answer for ${args.join(' ')}`);
  const answer = receiveMessageOnPort(thread.answers)?.message as
    | { stdout: string; stderr: string; code: number }
    | { error: string };
  if ('error' in answer) throw new Error(`cli thread: ${answer.error}`);
  return answer;
}

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addSchema(
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schema', 'report.schema.json'), 'utf8')),
  'report',
);

/** Throws unless `json` fits the report schema of `command` (audit, validate, child; inspect has none). */
export function checkReport(command: string, json: unknown): void {
  const suppressed =
    command === 'audit' &&
    (json as { parameters?: { suppressBelow?: unknown } }).parameters?.suppressBelow !== undefined;
  const ref = suppressed
    ? 'report#/$defs/suppressed'
    : { audit: 'report', validate: 'report#/$defs/validate', child: 'report#/$defs/child' }[command];
  if (!ref) return;
  const validate = ajv.getSchema(ref)!;
  if (!validate(json))
    throw new Error(
      `${command} --format json does not fit schema/report.schema.json: ${ajv.errorsText(validate.errors)}`,
    );
}
