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
