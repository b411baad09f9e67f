/**
 * --format ndjson: the JSON report as one object a line, each with a `type`, for streaming into
 * other tools (`jq -c 'select(.type == "child")'`, a database loader). Same fields as the JSON.
 */
import { formatDay, formatDayOrNull } from '../../dates/days.js';
import { inputJson, SCHEMA_VERSION, TOOL } from '../../report/json.js';
import { type AuditReport, results } from './audit.js';
import { childrenNdjson, parametersJson } from './render.js';
import { type Chunk } from '../../output/fd.js';

const line = (type: string, fields: object) => JSON.stringify({ type, ...fields }) + '\n';

export function* renderNdjson(r: AuditReport): Generator<Chunk> {
  yield line('run', {
    schemaVersion: SCHEMA_VERSION,
    tool: TOOL,
    parameters: parametersJson(r),
    input: inputJson(r.source, r.accounting, r.findings),
  });
  yield line('summary', { ...r.summary, reentries: r.reentries });
  for (const s of r.stages) yield line('stage', s);
  for (const d of r.drift) yield line('drift', d);
  for (const x of r.routes) yield line('route', x);
  yield line('families', {
    siblingGroups: r.families.siblingGroups,
    groupsOfMoreThanOne: r.families.groupsOfMoreThanOne,
  });
  for (const g of r.families.groups)
    yield line('family', {
      ...g,
      firstDecisionOn: formatDayOrNull(g.firstDecisionOn),
      lastDecisionOn: formatDayOrNull(g.lastDecisionOn),
    });
  for (const d of r.dueSoon) yield line('due_soon', { ...d, deadline: formatDay(d.deadline) });
  yield* childrenNdjson(results(r), r.parameters, r.episodes.store);
  for (const f of r.findings.list()) yield line('finding', f);
}
