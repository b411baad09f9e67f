import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from '../src/load.js';
import { dayFromCivil } from '../src/dates/days.js';
import { type Mapping } from '../src/mapping.js';

export const dir = mkdtempSync(join(tmpdir(), 'pace-audit-test-'));
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

export function loadCsv(text: string | Buffer, asOf = '2018-11-01', mapping?: Mapping) {
  return load({ file: csvFile(text), asOf: d(asOf), mapping });
}

export const codes = (findings: { list(): { code: string }[] }) => findings.list().map((f) => f.code);

export const BIN = join(import.meta.dirname, '..', 'bin', 'pace-audit.js');

export function cli(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env } });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}
