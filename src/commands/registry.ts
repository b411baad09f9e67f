/** Every command's implementation, by name: what the worker thread runs. */
import { runAudit } from './audit/run.js';
import { type CommandIO, type CommandName, type CommandResult } from './io.js';
import { runValidate } from './validate/run.js';
import { runChild } from './child/run.js';
import { runInspect } from './inspect/run.js';
import { runTrend } from './trend/run.js';
import { runChanges } from './changes/run.js';

export const COMMANDS: Record<CommandName, (file: string, flags: never, io: CommandIO) => Promise<CommandResult>> = {
  audit: runAudit,
  validate: runValidate,
  child: runChild,
  inspect: runInspect,
  trend: runTrend,
  changes: runChanges,
};
