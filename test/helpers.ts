import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
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

/**
 * True in the extra time-zone runs (vitest.config.ts), which repeat only what turns text into
 * dates and dates into figures: end-to-end blocks in those files skip themselves there
 * (cli.test.ts already runs the CLI under five zones).
 */
export const ZONED_RUN = process.env.TZ !== 'UTC';

export const BIN = join(import.meta.dirname, '..', 'bin', 'pace-audit.js');

/** Runs the built CLI. Every JSON report it writes (stdout or --output) is checked against schema/. */
export function cli(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env },
  });
  const format = args[args.indexOf('--format') + 1];
  if (args.includes('--format') && format === 'json' && (r.status === 0 || r.status === 1)) {
    const output = args.includes('--output') ? join(cwd ?? '', args[args.indexOf('--output') + 1]) : undefined;
    const text = output === undefined ? r.stdout : existsSync(output) ? readFileSync(output, 'utf8') : '';
    if (text) checkReport(args[0], JSON.parse(text));
  }
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
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
