/**
 * Every command's implementation, by name: what the worker thread runs. Each is loaded when it is
 * first asked for: loading all six took ~0.1 s of an audit's start, for five it never runs.
 */
import { type CommandIO, type CommandName, type CommandResult } from './io.js';

type Run = (file: string, flags: never, io: CommandIO) => Promise<CommandResult>;

const LOADERS: Record<CommandName, () => Promise<Run>> = {
  audit: async () => (await import('./audit/run.js')).runAudit,
  validate: async () => (await import('./validate/run.js')).runValidate,
  child: async () => (await import('./child/run.js')).runChild,
  inspect: async () => (await import('./inspect/run.js')).runInspect,
  trend: async () => (await import('./trend/run.js')).runTrend,
  changes: async () => (await import('./changes/run.js')).runChanges,
};

/** The command's implementation (a module is loaded once, however often it is asked for). */
export const commandRun = (name: CommandName): Promise<Run> => LOADERS[name]();

export const isCommandName = (s: unknown): s is CommandName => typeof s === 'string' && Object.hasOwn(LOADERS, s);
