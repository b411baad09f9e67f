/**
 * The README is the user's reference for stable codes and counting rules: these tests fail when
 * a code is added (or its severity or exit code changed) without the README saying so, and when
 * a comment cites a counting rule the README does not have.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';
import { FINDING_CODES } from '../src/validate/finding-codes.js';

const ROOT = join(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The text under a heading, up to the next heading of any level. */
function section(heading: string): string {
  const lines = README.split('\n');
  const start = lines.indexOf(heading);
  expect(start, `README has no "${heading}"`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && /^#{1,6} /.test(l));
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
}

/** Table rows as cells; the codes of a row are every `UPPER_CASE` name in its first cell. */
function rows(text: string): { codes: string[]; cells: string[] }[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const cells = l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      return { codes: [...cells[0].matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]), cells };
    });
}

describe('README tables match the code modules', () => {
  it('"Checks on the data" lists exactly the finding codes, with their severities', () => {
    const documented = new Map<string, string>();
    for (const r of rows(section('## Checks on the data'))) for (const c of r.codes) documented.set(c, r.cells[1]);
    const declared = new Map(Object.entries(FINDING_CODES).map(([c, v]) => [c, v.severity as string]));
    expect([...documented.keys()].sort()).toEqual([...declared.keys()].sort());
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(declared));
  });

  it('"Errors that stop the run" lists exactly the error codes, with their exit codes', () => {
    const documented = new Map<string, number>();
    for (const r of rows(section('### Errors that stop the run')))
      for (const c of r.codes) documented.set(c, Number(r.cells[1]));
    const declared = new Map(Object.entries(ERROR_CODES).map(([c, v]) => [c, v.exit as number]));
    expect([...documented.keys()].sort()).toEqual([...declared.keys()].sort());
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(declared));
  });

  it('"Exit codes" explains every exit code an error can give', () => {
    const listed = new Set(
      section('## Exit codes')
        .split('\n')
        .flatMap((l) =>
          /^\| [\d, ]+ \|/.test(l)
            ? l
                .split('|')[1]
                .split(',')
                .map((n) => Number(n.trim()))
            : [],
        ),
    );
    expect(listed.size).toBeGreaterThan(3);
    for (const { exit } of Object.values(ERROR_CODES)) expect(listed).toContain(exit);
  });
});

describe('counting rules cited in the code exist in the README', () => {
  const rules = new Set(
    [...section('## Counting rules, in plain words').matchAll(/^(\d+)\. \*\*/gm)].map((m) => Number(m[1])),
  );
  const files = ['src', 'test'].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(ROOT, dir, f)),
  );
  const citations = files.flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/README "Counting rules" ([\d, ]+)/g)].flatMap((m) =>
      m[1]
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .map((n) => ({ file: f.slice(ROOT.length + 1), rule: Number(n) })),
    ),
  );

  it('finds the rules and the citations', () => {
    expect(rules.size).toBeGreaterThanOrEqual(9);
    expect(citations.length).toBeGreaterThan(5);
  });

  it('every citation resolves', () => {
    for (const c of citations) expect(rules.has(c.rule), `${c.file} cites rule ${c.rule}`).toBe(true);
  });

  it('no comment cites a file outside the repository', () => {
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toMatch(/domain\.md/);
  });
});
