/**
 * Issue 9's "no silent wrong answer" cases in the mapping, thresholds, targets and messages:
 * each test failed before its fix.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { parseDuration } from '../src/dates/duration.js';
import { type Mapping, DEFAULT_MAPPING } from '../src/mapping.js';
import { applyStageTarget, defaultStageTargets } from '../src/measures/stages.js';
import { parseDateOption } from '../src/options.js';
import { locateColumns } from '../src/read/columns.js';
import { accountingLine } from '../src/report/accounting.js';
import { FIELDS } from '../src/model.js';
import { reaches } from '../src/measures/decision.js';
import { nearest } from '../src/suggest.js';
import { cli, codes, csv, csvFile, dir, loadCsv } from './helpers.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const inspectJson = (file: string) => {
  const r = cli(['inspect', file, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return { j: JSON.parse(r.stdout), stdout: r.stdout };
};

describe('5. a mapping that quietly measures nothing', () => {
  it('inspect never maps a value naming a decision to another event without a TODO, and lists the route values', () => {
    const file = csvFile(
      [
        'Client Ref,Activity Type,Activity Date,Date of Birth,Plan',
        'C1,LAAC Start,01/02/2018,01/01/2010,',
        'C1,Permanence Decision (LAC Review),01/05/2018,,Adoption',
        'C1,Perm Panel,01/06/2018,,',
        'C1,ADM Decision,10/06/2018,,',
        'C2,LAAC Start,01/02/2018,01/01/2011,',
        'C2,LAC Review,10/02/2018,,',
        'C2,Permanence Decision (LAC Review),01/05/2018,,Return Home',
      ].join('\n'),
    );
    const { j } = inspectJson(file);
    const events = j.suggestedConfig.events;
    expect(events['Permanence Decision (LAC Review)']).toMatch(/^TODO/);
    expect(events['LAC Review']).toBe('review');
    expect(events['ADM Decision']).toBe('adm_decision'); // an ADM decision is not a permanence decision
    expect(events['Perm Panel']).toBe('permanence_panel');
    expect(j.routeColumn).toEqual({
      header: 'Plan',
      values: [
        ['Adoption', 1],
        ['Return Home', 1],
      ],
    });
  });

  it('inspect maps every milestone-like column of a wide tracker, empty ones included', () => {
    const file = csvFile(
      [
        'Child,DOB,Date Accommodated,Date of Permanence Decision,Date of Panel,Date of Final Order,Permanence Route',
        'C1,15 Jun 2010,14 Jun 2018,31 Oct 2018,19 Dec 2018,,adoption',
        'C2,12 Nov 2011,31 May 2018,31 Jul 2018,,,home',
      ].join('\n'),
    );
    const { j } = inspectJson(file);
    expect(j.suggestedConfig.layout).toBe('wide');
    expect(j.suggestedConfig.columns.final_order).toBe('Date of Final Order');
    expect(j.emptyMilestoneColumns).toEqual(['Date of Final Order']);
  });

  const brokenMapping = csv(
    'C1,F1,2010-01-01,accommodated,2018-01-01,',
    'C1,F1,,permanence_panel,2018-05-01,',
    'C1,F1,,adm_decision,2018-05-10,',
    'C2,F2,2010-01-01,accommodated,2018-01-01,',
    'C2,F2,,court_application,2018-06-01,',
    'C3,F3,2010-01-01,accommodated,2018-01-01,',
  );

  it('STAGE_WITHOUT_DECISION: a later stage with no decision before it in the episode, once per episode', async () => {
    const { findings } = await loadCsv(brokenMapping);
    expect(
      findings
        .list()
        .filter((f) => f.code === 'STAGE_WITHOUT_DECISION')
        .map((f) => [f.line, f.childId, f.severity]),
    ).toEqual([
      [3, 'C1', 'warning'],
      [6, 'C2', 'warning'],
    ]);
    // A decision on the panel's own day comes first: no warning.
    const decided = await loadCsv(
      csv(
        'C1,F1,2010-01-01,accommodated,2018-01-01,',
        'C1,F1,,permanence_panel,2018-05-01,',
        'C1,F1,,permanence_decision,2018-05-01,adoption',
      ),
    );
    expect(codes(decided.findings)).toEqual([]);
  });

  it('EVENT_KIND_MISSING: no decision anywhere while later stages are present, in audit (stderr and JSON) and validate', async () => {
    const { findings } = await loadCsv(brokenMapping);
    const missing = findings.list().filter((f) => f.code === 'EVENT_KIND_MISSING');
    expect(missing.map((f) => [f.line, f.severity, f.childId])).toEqual([[1, 'warning', null]]);
    expect(missing[0].message).toMatch(/\b2 children\b/);
    expect(missing[0].message).toContain('permanence_decision');

    const file = csvFile(brokenMapping);
    const table = cli(['audit', file, '--as-of', '2018-11-01']);
    expect(table.code).toBe(0);
    expect(table.stderr).toMatch(/EVENT_KIND_MISSING.*no child has a permanence decision/);
    expect(table.stdout).toMatch(/Warning \[EVENT_KIND_MISSING\]: no child has a permanence decision/);
    const json = JSON.parse(cli(['audit', file, '--as-of', '2018-11-01', '--format', 'json']).stdout);
    expect(json.input.issueCounts.EVENT_KIND_MISSING).toBe(1);
    const validate = cli(['validate', file, '--as-of', '2018-11-01', '--format', 'json']);
    expect(validate.code).toBe(0); // a warning
    expect(JSON.parse(validate.stdout).issues.map((i: { code: string }) => i.code)).toContain('EVENT_KIND_MISSING');
  });

  it('EVENT_KIND_MISSING also for a missing accommodation or court application, and not when a stage is merely not reached', async () => {
    const noAccommodation = await loadCsv(csv('C1,F1,2010-01-01,review,2018-01-01,'));
    expect(
      noAccommodation.findings
        .list()
        .filter((f) => f.code === 'EVENT_KIND_MISSING')
        .map((f) => f.message),
    ).toEqual([expect.stringContaining('accommodated')]);
    const noCourt = await loadCsv(
      csv(
        'C1,F1,2010-01-01,accommodated,2018-01-01,',
        'C1,F1,,permanence_decision,2018-02-01,adoption',
        'C1,F1,,permanence_panel,2018-03-01,',
        'C1,F1,,adm_decision,2018-03-10,',
        'C1,F1,,final_order,2018-09-01,',
      ),
    );
    expect(
      noCourt.findings
        .list()
        .filter((f) => f.code === 'EVENT_KIND_MISSING')
        .map((f) => f.message),
    ).toEqual([expect.stringContaining('court application')]);
    const early = await loadCsv(
      csv('C1,F1,2010-01-01,accommodated,2018-01-01,', 'C1,F1,,permanence_decision,2018-02-01,adoption'),
    );
    expect(codes(early.findings)).toEqual([]);
  });
});

describe('6. the config used is named', () => {
  const folder = mkdtempSync(join(dir, 'cwd-'));
  writeFileSync(join(folder, 'pace-audit.config.json'), JSON.stringify({ columns: { child_id: 'Client Ref' } }));
  const plain = csvFile(csv('C1,F1,2010-01-01,accommodated,2018-01-01,'));

  it('on stderr for tables, in parameters.config for JSON; "none" without one', () => {
    const own = csvFile(
      ['Client Ref,event,event_date,date_of_birth', 'C1,accommodated,2018-01-01,2010-01-01'].join('\n'),
    );
    const table = cli(['audit', own, '--as-of', '2018-11-01'], {}, folder);
    expect(table.code).toBe(0);
    expect(table.stderr).toMatch(/config: pace-audit\.config\.json \(found in the working folder\)/);
    const json = JSON.parse(cli(['audit', own, '--as-of', '2018-11-01', '--format', 'json'], {}, folder).stdout);
    expect(json.parameters.config).toBe('pace-audit.config.json');
    const none = cli(['validate', plain, '--as-of', '2018-11-01', '--format', 'json']);
    expect(JSON.parse(none.stdout).parameters.config).toBeNull();
    expect(cli(['audit', plain, '--as-of', '2018-11-01']).stderr).toMatch(/config: none/);
  });

  it('a missing column names the config applied and suggests inspect and --config', () => {
    const r = cli(['audit', plain, '--as-of', '2018-11-01'], {}, folder);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[MISSING_COLUMN\]/);
    expect(r.stderr).toContain('pace-audit.config.json');
    expect(r.stderr).toContain('pace-audit inspect');
    expect(r.stderr).toContain('--config');
    const none = cli([
      'audit',
      csvFile('Client Ref,event,event_date\nC1,accommodated,2018-01-01\n'),
      '--as-of',
      '2018-11-01',
    ]);
    expect(none.stderr).toMatch(/no config was applied/);
  });
});

describe('7. --fail-under compares the unrounded share', () => {
  it('1,499 of 2,000 (74.95%) does not reach 75, and exactly reaches 74.95', () => {
    expect(reaches(1499, 2000, 75)).toBe(false);
    expect(reaches(1499, 2000, 74.95)).toBe(true);
    expect(reaches(1500, 2000, 75)).toBe(true);
    expect(reaches(0, 0, 0)).toBe(false); // no denominator never passes
  });

  it('2 of 3 (66.67%, shown 66.7) is under --fail-under 66.7', () => {
    const file = csvFile(
      csv(
        'C1,F1,2010-01-01,accommodated,2018-01-01,',
        'C1,F1,,permanence_decision,2018-02-01,home',
        'C2,F2,2010-01-01,accommodated,2018-01-01,',
        'C2,F2,,permanence_decision,2018-02-01,home',
        'C3,F3,2010-01-01,accommodated,2017-01-01,',
      ),
    );
    const r = cli([
      'audit',
      file,
      '--as-of',
      '2018-11-01',
      '--format',
      'json',
      '--fail-under',
      '66.7',
      '--aim',
      '66.7',
    ]);
    const j = JSON.parse(r.stdout);
    expect(j.summary.percentWithinTarget).toBe(66.7);
    expect(j.summary.aimMet).toBe(false);
    expect(r.code).toBe(1);
    expect(cli(['audit', file, '--as-of', '2018-11-01', '--fail-under', '66.6']).code).toBe(0);
  });
});

describe('8. targets and dates outside the accepted range', () => {
  it('a target longer than 20 years is INVALID_DURATION, not a deadline of 0NaN-NaN-NaN', () => {
    expect(() => parseDuration('4000000m', '--target')).toThrow(expect.objectContaining({ code: 'INVALID_DURATION' }));
    expect(() => parseDuration('1044w')).toThrow(expect.objectContaining({ code: 'INVALID_DURATION' }));
    expect(parseDuration('240m').months).toBe(240);
    const r = cli(['audit', csvFile(csv('C1,F1,2010-01-01,accommodated,2018-01-01,')), '--target', '4000000m']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/\[INVALID_DURATION\]/);
    expect(r.stderr).not.toMatch(/NaN|at .*\.js/);
  });

  it('a date before 1900 (a year typed 0217) is INVALID_DATE saying so, in cells and options', async () => {
    const { findings, accounting, episodes } = await loadCsv(
      csv(
        'C1,F1,2010-01-01,accommodated,2018-01-01,',
        'C1,F1,,permanence_decision,0217-05-01,home',
        'C2,F2,2010-01-01,accommodated,1899-12-31,',
      ),
    );
    expect(findings.list().map((f) => [f.line, f.code])).toEqual([
      [3, 'INVALID_DATE'],
      [4, 'INVALID_DATE'],
    ]);
    expect(findings.list()[0].message).toMatch(/outside the dates pace-audit accepts/);
    expect(accounting).toMatchObject({ rowsRead: 3, rowsAccepted: 1, rowsRejected: 2 });
    expect(episodes.length).toBe(1);
    expect(() => parseDateOption('0217-01-01', '--as-of')).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('1900-01-01') }),
    );
  });
});

describe('9. --stage-target decision is refused', () => {
  it.each(['decision=1d', 'decision=none'])('%s is INVALID_OPTION, pointing at --target', (spec) => {
    expect(() => applyStageTarget(defaultStageTargets(), spec)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('--target') }),
    );
  });
});

describe('11. rows where rows are counted, events where events are', () => {
  it('a wide tracker says events for the events after the audit date', () => {
    // A wide "terminal", so the accounting line is not wrapped to fit 80 columns.
    const r = cli(
      [
        'audit',
        join(FIX, 'tracker-wide.csv'),
        '--config',
        join(FIX, 'tracker-wide.config.json'),
        '--as-of',
        '2018-11-01',
      ],
      { COLUMNS: '400' },
    );
    expect(r.code).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('Rows:'))!;
    expect(line).toMatch(
      /^Rows: 36 read = 36 accepted \+ 0 rejected; \d+ events on the rows read dated after the audit date/,
    );
    expect(line).not.toMatch(/accepted include/);
  });

  it('a child rejected whole does not leave "0 accepted (accepted include 1 duplicate)"', async () => {
    const { accounting } = await loadCsv(
      csv(
        'C1,F1,2010-01-01,accommodated,2018-01-01,',
        'C1,F1,2010-01-01,accommodated,2018-01-01,',
        'C1,F1,2011-01-01,review,2018-02-01,',
      ),
    );
    expect(accounting).toMatchObject({ rowsRead: 3, rowsAccepted: 0, rowsRejected: 3 });
    expect(accountingLine(accounting)).not.toMatch(/accepted include|repeats an earlier row/);
    // Events on rows of a child rejected whole are not claimed to be among the accepted rows.
    const late = await loadCsv(csv('C1,F1,2010-01-01,accommodated,2018-01-01,', 'C1,F1,2011-01-01,review,2019-02-01,'));
    expect(late.accounting).toMatchObject({ rowsAccepted: 0, rowsRejected: 2, eventsAfterAsOf: 1 });
    expect(accountingLine(late.accounting)).toBe(
      'Rows: 2 read = 0 accepted + 2 rejected; 1 event on the rows read dated after the audit date (not yet happened)',
    );
  });
});

describe('18. a headerless export: no row in the message', () => {
  const firstRow = [
    'C001',
    'Jane Smith',
    '04/15/2010',
    'accommodated',
    '2018-01-01',
    'Carer says she is unhappy at school',
  ];
  const wanted = FIELDS.map((f) => ({ key: f, header: f, required: ['child_id', 'event', 'event_date'].includes(f) }));

  it('MISSING_COLUMN names no cell that is data', () => {
    let message = '';
    try {
      locateColumns('x.csv', firstRow, wanted);
    } catch (e) {
      message = (e as Error & { code: string }).message;
      expect((e as { code: string }).code).toBe('MISSING_COLUMN');
    }
    for (const cell of ['Jane', '04/15/2010', '2018-01-01', 'unhappy', 'C001']) expect(message).not.toContain(cell);
    expect(message).toMatch(/header row missing/);
  });

  it('headers are named, cut short', () => {
    const long = `Activity ${'x'.repeat(50)}`;
    let message = '';
    try {
      locateColumns('x.csv', ['Client Ref', long], wanted);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('"Client Ref"');
    expect(message).not.toContain('x'.repeat(40));
  });

  it('inspect shows the first row of a headerless export as "column N"', () => {
    const { stdout, j } = inspectJson(
      csvFile(firstRow.join(',') + '\nC002,John Brown,01/02/2011,review,2018-02-01,Lives with gran\n'),
    );
    expect(j.headerLooksLikeData).toBe(true);
    expect(j.headers).toEqual(['column 1', 'column 2', 'column 3', 'column 4', 'column 5', 'column 6']);
    for (const cell of ['Jane', 'John', '04/15/2010', 'unhappy', 'gran']) expect(stdout).not.toContain(cell);
  });
});

describe('19. inspect proposes routes only from a column of few, short codes', () => {
  it('free text under a "plan" header is neither the route column nor echoed', () => {
    const notes = Array.from(
      { length: 25 },
      (_, i) => `Child ${i} is settling well with carers; contact with mum twice weekly`,
    );
    const lines = ['Client Ref,Activity Type,Activity Date,Date of Birth,Care Plan Comments'];
    for (const [i, n] of notes.entries())
      lines.push(`C${i},LAAC Start,01/02/2018,01/01/2010,"${n}"`, `C${i},Permanence Decision,01/05/2018,,"${n}"`);
    const { j, stdout } = inspectJson(csvFile(lines.join('\n')));
    expect(j.suggestedConfig.routes).toBeUndefined();
    expect(j.suggestedConfig.columns.route).toBeUndefined();
    expect(j.notRouteColumns).toEqual(['Care Plan Comments']);
    expect(stdout).not.toContain('settling');
  });

  it('a long cell in a column of few values is not echoed either', () => {
    const long = 'Permanence planning meeting held with the family and social worker';
    const lines = ['Client Ref,Activity Type,Activity Date,Date of Birth'];
    for (let i = 0; i < 5; i++) lines.push(`C${i},LAAC Start,01/02/2018,01/01/2010`, `C${i},${long},01/05/2018,`);
    const { stdout } = inspectJson(csvFile(lines.join('\n')));
    expect(stdout).not.toContain('planning meeting');
  });
});

describe('20. an invalid date of birth is not echoed', () => {
  it('INVALID_DATE on date_of_birth names the column and the problem only', async () => {
    const { findings } = await loadCsv(
      csv('C1,F1,04/15/2010,accommodated,2018-01-01,', 'C2,F2,0210-01-01,accommodated,2018-01-01,'),
    );
    const list = findings.list();
    expect(list.map((f) => [f.code, f.column])).toEqual([
      ['INVALID_DATE', 'date_of_birth'],
      ['INVALID_DATE', 'date_of_birth'],
    ]);
    expect(list[0].message).not.toContain('04/15');
    expect(list[1].message).not.toContain('0210');
    expect(list[1].message).toMatch(/outside the dates/);
  });
});

describe('did you mean', () => {
  it('suggests only a near name: one edit in three letters, a swap of two letters counting as one', () => {
    expect(nearest('panle', ['panel', 'adm'])).toBe('panel');
    expect(nearest('DateFormat', ['dateFormat', 'layout'])).toBe('dateFormat');
    expect(nearest('Case Note', ['accommodated', 'review'])).toBeUndefined();
    expect(nearest('review', ['review'])).toBeUndefined();
  });

  it("a mistyped event or route names the nearest valid one, the config's own codes included", async () => {
    const { findings } = await loadCsv(
      csv(
        'C1,F1,2010-01-01,acommodated,2018-01-01,',
        'C2,F2,2010-01-01,accommodated,2018-01-01,',
        'C2,F2,,permanence_decision,2018-03-01,adopton',
        'C3,F3,2010-01-01,something else entirely,2018-01-01,',
      ),
    );
    const messages = findings.list().map((f) => [f.code, f.message]);
    expect(messages[0]).toEqual(['UNKNOWN_EVENT', expect.stringContaining('did you mean `accommodated`?')]);
    expect(messages[1]).toEqual(['UNKNOWN_ROUTE', expect.stringContaining('did you mean `adoption`?')]);
    expect(messages[2][1]).not.toContain('did you mean');
    const mapping: Mapping = { ...DEFAULT_MAPPING, events: { 'LAAC Start': 'accommodated' } };
    const own = await loadCsv(csv('C1,F1,2010-01-01,LAAC Strat,2018-01-01,'), '2018-11-01', mapping);
    expect(own.findings.list()[0].message).toContain('did you mean `LAAC Start`?');
  });

  it('a mistyped config key or value names the nearest valid one; a leftover TODO is named as such', () => {
    const folder = mkdtempSync(join(dir, 'cfg-'));
    const write = (config: object) => writeFileSync(join(folder, 'c.json'), JSON.stringify(config));
    const problem = (config: object) => {
      write(config);
      try {
        loadConfig('c.json', folder);
      } catch (e) {
        expect((e as { code: string }).code).toBe('CONFIG_INVALID');
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(problem({ datFormat: 'dd/mm/yyyy' })).toContain('did you mean `dateFormat`?');
    expect(problem({ defaults: { trget: '6m' } })).toContain('did you mean `target`?');
    expect(problem({ columns: { chld_id: 'Ref' } })).toContain('did you mean `child_id`?');
    expect(problem({ events: { X: 'acommodated' } })).toContain('did you mean `accommodated`?');
    expect(problem({ events: { X: 'TODO: one of accommodated, review' } })).toMatch(/events\.X: still says TODO/);
    expect(problem({ routes: { X: 'TODO: one of home, kinship' } })).toMatch(/routes\.X: still says TODO/);
  });
});

describe('two exports joined end to end', () => {
  const HEAD = 'child_id,family_id,date_of_birth,event,event_date,route';
  const rowsFor = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => {
      const i = from + k;
      return `C${i},F${i},2010-01-01,accommodated,2018-01-${String(1 + (i % 28)).padStart(2, '0')},`;
    });
  const summary = (file: string, ...extra: string[]) => {
    const r = cli(['audit', file, '--as-of', '2018-11-01', '--format', 'json', '--report', 'summary', ...extra]);
    return { code: r.code, stderr: r.stderr, j: r.code === 0 ? JSON.parse(r.stdout) : undefined };
  };

  // Small (csv-parse, one thread) and over 8 MiB (the fast path in two threads).
  it.each([
    ['small', 200],
    ['large', 190_000],
  ])('%s: the same header again is one rejected row, REPEATED_HEADER; one in another order stops the run', (_, n) => {
    const first = rowsFor(0, n / 2);
    const second = rowsFor(n / 2, n);
    const whole = csvFile([HEAD, ...first, ...second].join('\n') + '\n');
    const glued = csvFile([HEAD, ...first, HEAD, ...second].join('\n') + '\n');
    const expected = summary(whole).j;
    const got = summary(glued);
    expect(got.code).toBe(0);
    expect(got.j.summary).toEqual({ ...expected.summary, errors: 1 });
    expect(got.j.input).toMatchObject({ rowsRead: n + 1, rowsAccepted: n, rowsRejected: 1 });
    expect(got.j.input.issueCounts).toEqual({ REPEATED_HEADER: 1 });
    const v = cli(['validate', glued, '--as-of', '2018-11-01', '--format', 'json']);
    expect(v.code).toBe(1);
    expect(JSON.parse(v.stdout).issues).toEqual([
      expect.objectContaining({ code: 'REPEATED_HEADER', line: n / 2 + 2, childId: null }),
    ]);
    // The second tool's header puts family_id first: its rows would credit children "F...".
    const swapped = 'family_id,child_id,date_of_birth,event,event_date,route';
    const moved = csvFile([HEAD, ...first, swapped, ...second].join('\n') + '\n');
    const stopped = summary(moved);
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toMatch(new RegExp(`:${n / 2 + 2}: the header row comes again .*\\[HEADER_CHANGED\\]\\n$`));
    // `child` reads one child's rows, and is stopped all the same: its later rows would be misread.
    if (n === 200) {
      const child = cli(['child', 'C150', moved, '--as-of', '2018-11-01']);
      expect(child.code).toBe(2);
      expect(child.stderr).toMatch(/\[HEADER_CHANGED\]/);
      expect(cli(['child', 'C150', glued, '--as-of', '2018-11-01']).code).toBe(0);
    }
  });

  it.each([
    ['a column it does not read swapped with the id', 'notes,family_id,date_of_birth,event,event_date,route,child_id'],
    ['a column read missing, the rest shifted', 'child_id,date_of_birth,event,event_date,route,notes'],
    ['a column read missing at the end', 'child_id,family_id,date_of_birth,event,event_date'],
    // Another tool's names: without stopping, the next rows were read by this header's columns.
    ['a required column renamed', 'child_id,family_id,date_of_birth,event,date,route,notes'],
    ['a required column renamed and moved', 'child_id,family_id,date_of_birth,activity_date,event,route,notes'],
  ])('the header again with %s stops audit, validate and child', (_, second) => {
    const head = `${HEAD},notes`;
    const rows = (from: number, to: number) => rowsFor(from, to).map((r) => `${r},x`);
    const file = csvFile([head, ...rows(0, 100), second, ...rows(100, 200)].join('\n') + '\n');
    for (const args of [
      ['audit', file],
      ['validate', file],
      ['child', 'C150', file],
    ]) {
      const r = cli([...args, '--as-of', '2018-11-01']);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr, args[0]).toMatch(/:102: the header row comes again .*\[HEADER_CHANGED\]\n$/);
    }
  });

  it('rows of an export with another delimiter are rejected without echoing them as a child id', () => {
    const file = csvFile(
      [
        HEAD,
        ...rowsFor(0, 3),
        'C9;F9;2006-06-12;accommodated;2016-05-03;',
        `C8,F8,,review,2018-02-01,${'x'.repeat(70)}`,
      ]
        .join('\n')
        .concat('\n'),
    );
    const r = cli(['validate', file, '--as-of', '2018-11-01', '--format', 'json']);
    expect(r.code).toBe(1);
    const issues = JSON.parse(r.stdout).issues as { line: number; childId: string | null }[];
    expect(issues.find((i) => i.line === 5)?.childId).toBeNull();
    expect(r.stdout).not.toContain('2006-06-12');
    for (const format of ['table', 'csv'])
      expect(cli(['validate', file, '--as-of', '2018-11-01', '--format', format]).stdout).not.toContain('2006-06-12');
  });
});
