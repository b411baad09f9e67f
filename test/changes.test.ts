import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, csv, csvFile, spawnCli } from './helpers.js';

const SAMPLE = join(import.meta.dirname, '..', 'fixtures', 'sample-export.csv');
const ids = (list: { childId: string; episode: number }[]) => list.map((c) => `${c.childId}#${c.episode}`).sort();

describe('pace-audit changes', { timeout: 60_000 }, () => {
  // Target 7.5m. --since 2018-10-01, --as-of 2018-11-01.
  const file = csvFile(
    csv(
      // A: accommodated 2018-01-10, deadline 2018-08-24: already overdue on 1 October: not "became".
      'A,FA,2012-01-01,accommodated,2018-01-10,',
      // B: deadline 2018-10-16 (accommodated 2018-03-01): became overdue in the month.
      'B,FB,2012-01-01,accommodated,2018-03-01,',
      // C: decided within target in the month.
      'C,FC,2012-01-01,accommodated,2018-05-01,',
      'C,FC,,permanence_decision,2018-10-20,adoption',
      // D: decided before the month: not listed.
      'D,FD,2012-01-01,accommodated,2018-05-01,',
      'D,FD,,permanence_decision,2018-09-20,home',
      // E: accommodated in the month; its decision is due in the coming period? no (June 2019).
      'E,FE,2012-01-01,accommodated,2018-10-05,',
      // F: left care in the month without a decision.
      'F,FF,2012-01-01,accommodated,2018-06-01,',
      'F,FF,,ceased_accommodated,2018-10-31,',
      // G: deadline 2018-11-20 (accommodated 2018-04-05): due in the coming 31 days.
      'G,FG,2012-01-01,accommodated,2018-04-05,',
      // H: a finding (event outside any episode) dated in the month: new; I's is old.
      'H,FH,2012-01-01,review,2018-10-10,',
      'I,FI,2012-01-01,review,2018-09-10,',
      // After --as-of: unknown yet.
      'C,FC,,permanence_panel,2018-11-05,',
    ),
  );

  it('lists each kind of change between the two dates (JSON)', () => {
    const r = cli(['changes', file, '--since', '2018-10-01', '--as-of', '2018-11-01', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schemaVersion).toBe(1);
    expect([j.since, j.asOf]).toEqual(['2018-10-01', '2018-11-01']);
    expect(ids(j.becameOverdue)).toEqual(['B#1']);
    expect(j.becameOverdue[0]).toMatchObject({
      familyId: 'FB',
      accommodatedOn: '2018-03-01',
      deadline: '2018-10-16',
      daysOverdue: 16,
    });
    expect(ids(j.decided)).toEqual(['C#1']);
    expect(j.decided[0]).toMatchObject({ decisionOn: '2018-10-20', status: 'within' });
    expect(ids(j.accommodated)).toEqual(['E#1']);
    expect(ids(j.leftCare)).toEqual(['F#1']);
    expect(j.leftCare[0].leftCareOn).toBe('2018-10-31');
    expect(j.parameters.comingDays).toBe(31);
    expect(
      j.dueSoon.map(
        (d: { childId: string; stage: string; deadline: string }) => `${d.childId}:${d.stage}:${d.deadline}`,
      ),
    ).toContain('G:decision:2018-11-20');
    expect(j.dueSoon.every((d: { daysLeft: number }) => d.daysLeft >= 0 && d.daysLeft <= 31)).toBe(true);
    expect(j.newFindings.map((f: { code: string; childId: string }) => `${f.code}:${f.childId}`)).toEqual([
      'EVENT_OUTSIDE_EPISODE:H',
    ]);
    expect(j.counts).toEqual({
      becameOverdue: 1,
      decided: 1,
      accommodated: 1,
      leftCare: 1,
      dueSoon: j.dueSoon.length,
      newFindings: 1,
    });
  });

  it('reads stdin too: kept in memory for its second reading, the same lists as the file', () => {
    // Past the first 64 KiB and several reads: the bytes after the sniffed head are kept too.
    const filler = Array.from({ length: 6000 }, (_, i) => `Z${i},FZ${i},2012-01-01,accommodated,2017-01-01,`);
    const big = csvFile(
      csv(
        ...readFileSync(file, 'utf8').trimEnd().split('\n').slice(1),
        ...filler,
        'L,FL,2012-01-01,review,2018-10-11,',
      ),
    );
    const args = ['--since', '2018-10-01', '--as-of', '2018-11-01', '--format', 'json'];
    const fromFile = cli(['changes', big, ...args]);
    const fromPipe = spawnCli(['changes', '-', ...args], {}, undefined, readFileSync(big));
    expect(fromPipe.code).toBe(0);
    const j = JSON.parse(fromPipe.stdout);
    expect(j.newFindings.map((f: { code: string; childId: string }) => `${f.code}:${f.childId}`)).toEqual([
      'EVENT_OUTSIDE_EPISODE:H',
      'EVENT_OUTSIDE_EPISODE:L',
    ]);
    const unnamed = (x: { input: object }) => ({ ...x, input: { ...x.input, file: '' } });
    expect(unnamed(j)).toEqual(unnamed(JSON.parse(fromFile.stdout)));
  });

  it('table and CSV carry the same lists; CSV is spreadsheet-safe', () => {
    const t = cli(['changes', file, '--since', '2018-10-01', '--as-of', '2018-11-01']);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/Became overdue: 1/);
    expect(t.stdout).toMatch(/Left care: 1/);
    const c = cli(['changes', file, '--since', '2018-10-01', '--as-of', '2018-11-01', '--format', 'csv']);
    expect(c.code).toBe(0);
    const lines = c.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^list,childId,episode,familyId,/);
    expect(lines.filter((l) => l.startsWith('becameOverdue,'))).toEqual([
      expect.stringMatching(/^becameOverdue,B,1,FB,2018-03-01,2018-10-16,/),
    ]);
    const evil = csvFile(csv('=HYPERLINK("x"),F,2012-01-01,accommodated,2018-10-05,'));
    expect(
      cli(['changes', evil, '--since', '2018-10-01', '--as-of', '2018-11-01', '--format', 'csv']).stdout,
    ).toContain(`accommodated,"'=HYPERLINK(""x"")"`);
  });

  it('became overdue = overdue in audit --as-of, less overdue in audit --as-of --since (sample)', () => {
    const audit = (asOf: string) =>
      JSON.parse(cli(['audit', SAMPLE, '--as-of', asOf, '--from', '2017-11-01', '--format', 'json']).stdout);
    const overdue = (a: { children: { childId: string; episode: number; status: string }[] }) =>
      new Set(a.children.filter((c) => c.status === 'overdue').map((c) => `${c.childId}#${c.episode}`));
    const before = overdue(audit('2018-10-31'));
    const after = overdue(audit('2018-12-31'));
    const j = JSON.parse(
      cli([
        'changes',
        SAMPLE,
        '--since',
        '2018-10-31',
        '--as-of',
        '2018-12-31',
        '--from',
        '2017-11-01',
        '--format',
        'json',
      ]).stdout,
    );
    expect(ids(j.becameOverdue)).toEqual([...after].filter((k) => !before.has(k)).sort());
    expect(j.becameOverdue.length).toBeGreaterThan(0);
  });

  it('--since on or after --as-of is a usage error', () => {
    const r = cli(['changes', file, '--since', '2018-11-01', '--as-of', '2018-11-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[INVALID_OPTION\]/);
  });
});
