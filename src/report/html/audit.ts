/** `audit --format html`: the one-date report a manager receives. */
import { formatDay } from '../../dates/days.js';
import { type AuditReport, results } from '../../commands/audit/audit.js';
import { page } from './page.js';
import {
  dataQualitySection,
  dueSoonSection,
  overdueSection,
  parameterRows,
  stagesSection,
  summarySection,
} from './sections.js';

export function renderAuditHtml(r: AuditReport): string {
  const asOf = formatDay(r.parameters.asOf);
  return page({
    title: `Permanence decisions as of ${asOf}`,
    subtitle: 'How long looked-after children wait for a permanence decision, against the target and the aim.',
    parameters: [['Audit date', `${asOf} (events after it are not yet known)`], ...parameterRows(r.parameters)],
    body: [
      summarySection(r.summary, `Summary as of ${asOf}`),
      overdueSection([...results(r, r.overdue)], asOf),
      dueSoonSection(r.dueSoon, r.parameters.dueWithin.text),
      stagesSection(r.stages, 'Stages of the journey'),
      dataQualitySection(r.source, r.accounting, r.findings),
    ],
  });
}
