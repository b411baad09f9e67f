import { FORMATS } from '../common.js';

/**
 * What audit writes: every command's formats and the HTML report. Here, not in command.ts, so
 * that the thread running an audit need not load commander (~25 ms before the read starts).
 */
export const AUDIT_FORMATS = [...FORMATS, 'html'] as const;

/** The reports `audit --report` offers; kept apart so the main thread need not load the renderers. */
export const REPORTS = [
  'summary',
  'overdue',
  'due-soon',
  'stages',
  'drift',
  'routes',
  'families',
  'children',
  'all',
] as const;
export type ReportName = (typeof REPORTS)[number];
/** The reports --format csv can write, each one table: every report but `all`. */
export const CSV_REPORTS: readonly ReportName[] = REPORTS.filter((r) => r !== 'all');
/** What a table shows without --report. */
export const TABLE_DEFAULT: readonly ReportName[] = ['summary', 'overdue', 'due-soon', 'stages'];
