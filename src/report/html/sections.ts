/** Sections shared by the audit and trend reports. Every value from the data is escaped. */
import { formatDay, formatDayOrNull } from '../../dates/days.js';
import { type AuditParameters, type ChildResult, type Summary } from '../../measures/decision.js';
import { type DueSoon } from '../../measures/journey.js';
import { STAGES, type StageSummary, stageTargetText } from '../../measures/stages.js';
import { type Accounting } from '../../load.js';
import { type SourceInfo } from '../../read/source-info.js';
import { type Findings } from '../../validate/findings.js';
import { esc, n, pct, table } from './page.js';

function cohortText(p: AuditParameters, to = 'the audit date'): string {
  return `accommodated ${formatDayOrNull(p.from) ?? 'on any date'} to ${formatDayOrNull(p.to) ?? to}, aged under ${p.maxAge} on that day`;
}

export function parameterRows(p: AuditParameters, to?: string): [string, string][] {
  const later = STAGES.filter((s) => s.key !== 'decision').map(
    (s) =>
      `${s.label.replace(/ \(.*\)$/, '')}${s.key.endsWith('review') ? ` (${s.key === 'early_review' ? 'early' : 'statutory'})` : ''}: ${stageTargetText(s.key, p.target, p.stageTargets) ?? 'none'}`,
  );
  return [
    ['Cohort', cohortText(p, to)],
    ['Target', `permanence decision within ${p.target.text} of accommodation`],
    ['Aim', `${p.aim}% of children decided within target`],
    ['Stage targets', later.join('; ')],
  ];
}

/** The headline: the percentage within target, whether the aim is met, and the counts behind it. */
export function summarySection(s: Summary, heading: string): string {
  const verdict =
    s.percentWithinTarget === null
      ? '<span class="verdict none">No children counted yet</span>'
      : s.aimMet
        ? `<span class="verdict met">&#10003; Aim met (${esc(s.aim)}%)</span>`
        : `<span class="verdict not-met">&#10007; Aim not met (${esc(s.aim)}%)</span>`;
  const card = (value: number, label: string, alert = false) =>
    `<div class="card${alert && value > 0 ? ' alert' : ''}"><div class="n">${esc(value)}</div><div class="l">${esc(label)}</div></div>`;
  return `<section class="summary"><h2>${esc(heading)}</h2>
<div class="headline">
<div class="big"><div class="figure">${esc(pct(s.percentWithinTarget))}</div><div class="what">decided within target, of children decided or overdue</div>${verdict}</div>
<div class="cards">
${card(s.children, s.episodes !== s.children ? `children (${s.episodes} episodes)` : 'children in the cohort')}
${card(s.decidedWithinTarget, 'decided within target')}
${card(s.decidedLate, 'decided late')}
${card(s.overdue, 'overdue: no decision, past the deadline', true)}
${card(s.inProgress, 'in progress, not yet due')}
${card(s.leftCare, 'left care without a decision')}
</div></div>
<p class="note">Of the decisions made, ${esc(pct(s.percentOfDecidedWithinTarget))} were within target. Children still in progress or who left care without a decision are not counted in the percentage.</p>
</section>`;
}

export function stagesSection(stages: readonly StageSummary[], heading: string): string {
  const rows = stages.map((s) => [
    esc(s.label),
    esc(s.fromLabel),
    esc(s.target ?? 'none'),
    s.target ? `${esc(s.reachedWithin)} / ${esc(s.reachedLate)}` : `${esc(s.reached)} reached`,
    s.target ? `${esc(s.waitingWithin)} / ${esc(s.waitingOverdue)}` : `${esc(s.waitingWithin)} waiting`,
    esc(n(s.median)),
    esc(n(s.p90)),
    esc(n(s.max)),
  ]);
  return `<section><h2>${esc(heading)}</h2>${table({ caption: 'Lags in days of the stages reached; percentiles by nearest rank.', head: ['Stage', 'Clock starts at', 'Target', 'Reached within / late', 'Waiting within / overdue', 'Median days', '90th percentile', 'Longest'], rows, numeric: [5, 6, 7], rowHeader: true })}</section>`;
}

const episodeLabel = (o: { childId: string; episode: number }) =>
  o.episode > 1 ? `${o.childId} (episode ${o.episode})` : o.childId;

export function overdueSection(list: readonly ChildResult[], asOf: string): string {
  const head = `<h2>Overdue: ${esc(list.length)} child${list.length === 1 ? '' : 'ren'} with no decision past the deadline</h2>`;
  if (list.length === 0) return `<section class="list">${head}<p class="none">None as of ${esc(asOf)}.</p></section>`;
  const rows = list.map((o) => [
    esc(episodeLabel(o)),
    esc(o.familyId ?? ''),
    esc(formatDay(o.accommodatedOn)),
    esc(formatDay(o.deadline)),
    esc(n(o.daysOverdue)),
  ]);
  return `<section class="list">${head}${table({ caption: `As of ${asOf}, most overdue first. The list is complete.`, head: ['Child', 'Family', 'Accommodated', 'Deadline', 'Days overdue'], rows, numeric: [4], rowHeader: true })}</section>`;
}

const STAGE_LABEL = Object.fromEntries(STAGES.map((s) => [s.key, s.label]));

export function dueSoonSection(
  list: { readonly length: number; map<U>(f: (d: DueSoon) => U): U[] },
  within: string,
): string {
  const head = `<h2>Due soon: ${esc(list.length)} deadline${list.length === 1 ? '' : 's'} within ${esc(within)}</h2>`;
  if (list.length === 0)
    return `<section class="list">${head}<p class="none">No stage deadline falls within ${esc(within)}.</p></section>`;
  const rows = list.map((d) => [
    esc(episodeLabel(d)),
    esc(d.familyId ?? ''),
    esc(STAGE_LABEL[d.stage]),
    esc(formatDay(d.deadline)),
    esc(d.daysLeft),
  ]);
  return `<section class="list">${head}${table({ caption: 'Soonest first. The list is complete.', head: ['Child', 'Family', 'Stage', 'Deadline', 'Days left'], rows, numeric: [4], rowHeader: true })}</section>`;
}

export function dataQualitySection(
  source: SourceInfo,
  a: Accounting,
  findings: Findings,
  asOfWord = 'the audit date',
): string {
  const rows: [string, number][] = [
    ['Rows read', a.rowsRead],
    ['Rows accepted', a.rowsAccepted],
    ['Rows rejected (see below)', a.rowsRejected],
    ['of the accepted: exact repeats, counted once', a.duplicates],
    ['of the accepted: events ignored on purpose by the mapping', a.ignored],
    [`of the accepted: events dated after ${asOfWord}, not yet happened`, a.eventsAfterAsOf],
    ['Blank lines skipped (not rows)', a.blankLines],
  ];
  const accounting = table({
    caption: `${source.file} (${source.encoding}, "${source.delimiter === '\t' ? 'tab' : source.delimiter}"-separated). Rows read = accepted + rejected.`,
    head: ['Rows', 'Count'],
    rows: rows.map(([k, v]) => [esc(k), esc(v)]),
    numeric: [1],
    rowHeader: true,
  });
  const codes = findings.byCode();
  const found = codes.length
    ? table({
        caption: 'Every finding is listed, with its line, by "pace-audit validate".',
        head: ['Code', 'Severity', 'Count', 'First at line'],
        rows: codes.map((b) => [
          esc(b.code),
          b.severity === 'error'
            ? '<span class="tag bad">error: row rejected</span>'
            : '<span class="tag warn">warning: row kept</span>',
          esc(b.count),
          esc(b.firstLines.join(', ')),
        ]),
        numeric: [2],
        rowHeader: true,
      })
    : '<p class="none">No findings: every row was accepted as it stands.</p>';
  return `<section><h2>Data quality</h2>${accounting}<h3>Findings by code</h3>${found}</section>`;
}
