/** Every command's implementation, by name: what the worker thread runs. */
import { runAudit } from './audit/command.js';
import { type CommandIO, type CommandResult } from './io.js';
import { runValidate } from './validate/command.js';
import { runChild } from './child/command.js';
import { runInspect } from './inspect/command.js';

export type CommandName = 'audit' | 'validate' | 'child' | 'inspect';
export type Dispatch = (command: CommandName, file: string, flags: object) => Promise<void>;

export const COMMANDS: Record<CommandName, (file: string, flags: never, io: CommandIO) => Promise<CommandResult>> = {
  audit: runAudit,
  validate: runValidate,
  child: runChild,
  inspect: runInspect,
};
