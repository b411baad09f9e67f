// The JSON Schemas in schema/ are part of the contract: the config schema must be what the
// zod schema generates, the example configs must fit it, and the report schema must reject
// what the contract rules out (the end-to-end tests check every report the CLI writes).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, loadConfig } from '../src/config.js';
import { checkReport, cli } from './helpers.js';

const ROOT = join(import.meta.dirname, '..');
const read = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
const EXAMPLES = readdirSync(join(ROOT, 'fixtures')).filter((f) => f.endsWith('.config.json'));

describe('schema/config.schema.json', () => {
  it('is what the zod schema generates (run npm run schema after changing it)', () => {
    expect(read('schema/config.schema.json')).toEqual(configJsonSchema());
  });

  it.each(EXAMPLES)('fits fixtures/%s, which names it in $schema and loads', (file) => {
    const config = read(`fixtures/${file}`);
    expect(config.$schema).toBe('../schema/config.schema.json');
    const validate = new Ajv2020({ strict: false }).compile(read('schema/config.schema.json'));
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(() => loadConfig(join(ROOT, 'fixtures', file))).not.toThrow();
  });

  it('rejects a key the tool does not know', () => {
    const validate = new Ajv2020({ strict: false }).compile(read('schema/config.schema.json'));
    expect(validate({ layout: 'long', colums: {} })).toBe(false);
    expect(validate({ layout: 'sideways' })).toBe(false);
  });
});

type Report = {
  schemaVersion: number;
  summary: Record<string, unknown>;
  children: Record<string, unknown>[];
  drift: Record<string, unknown>[];
};

describe('schema/report.schema.json', () => {
  const SAMPLE = join(ROOT, 'fixtures', 'sample-export.csv');
  const report = JSON.parse(cli(['audit', SAMPLE, '--as-of', '2018-11-01', '--format', 'json']).stdout);

  it('accepts the audit report of the sample export', () => {
    expect(() => checkReport('audit', report)).not.toThrow();
  });

  it.each([
    ['a missing figure', (r: Report) => delete r.summary.children],
    ['an unknown field', (r: Report) => (r.summary.extra = 1)],
    ['a date that is not yyyy-mm-dd', (r: Report) => (r.children[0].accommodatedOn = '14/06/2018')],
    ['an unknown status', (r: Report) => (r.children[0].status = 'waiting')],
    ['a label where a key goes', (r: Report) => (r.drift[0].from = 'Accommodation')],
    ['schemaVersion 1, whose shapes v2 changed', (r: Report) => (r.schemaVersion = 1)],
  ])('rejects %s', (_, spoil) => {
    const r = structuredClone(report);
    spoil(r);
    expect(() => checkReport('audit', r)).toThrow(/does not fit/);
  });
});
