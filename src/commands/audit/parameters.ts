/**
 * The cohort and target flags of `audit` as parameters, shared with `trend` and `changes` so
 * that each flag means the same in every command. Flags override the config file's defaults,
 * which override ours.
 */
import { type LoadedConfig } from '../../config.js';
import { type Day } from '../../dates/days.js';
import { parseDuration } from '../../dates/duration.js';
import { PaceError } from '../../errors.js';
import { type AuditParameters } from '../../measures/decision.js';
import { applyStageTarget, defaultStageTargets } from '../../measures/stages.js';
import { parseDateOption, parseNumberOption } from '../../options.js';

export interface CohortFlags {
  from?: string;
  to?: string;
  maxAge?: string;
  target?: string;
  aim?: string;
  stageTarget?: string[];
  dueWithin?: string;
}

export function auditParameters(flags: CohortFlags, config: LoadedConfig['config'], asOf: Day): AuditParameters {
  const d = config.defaults;
  const from = flags.from ?? d.from;
  const to = flags.to ?? d.to;
  const params = {
    asOf,
    from: from === undefined ? NaN : parseDateOption(from, flags.from ? '--from' : 'defaults.from'),
    to: to === undefined ? NaN : parseDateOption(to, flags.to ? '--to' : 'defaults.to'),
    maxAge: parseNumberOption(flags.maxAge ?? d.maxAge ?? 12, '--max-age', { min: 1, max: 25, integer: true }),
    target: parseDuration(flags.target ?? d.target ?? '7.5m', '--target'),
    aim: parseNumberOption(flags.aim ?? d.aim ?? 75, '--aim', { max: 100 }),
    stageTargets: (flags.stageTarget ?? []).reduce(applyStageTarget, defaultStageTargets()),
    dueWithin: parseDuration(flags.dueWithin ?? '28d', '--due-within'),
  };
  if (params.from > params.to) throw new PaceError('INVALID_OPTION', '--from is after --to: the cohort would be empty');
  return params;
}
