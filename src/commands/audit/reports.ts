/** The reports `audit --report` offers; kept apart so the main thread need not load the renderers. */
export const REPORTS = ['summary', 'overdue', 'due-soon', 'stages', 'drift', 'routes', 'families', 'children', 'all'] as const;
export type ReportName = (typeof REPORTS)[number];
/** The reports --format csv can write, each one table. */
export const CSV_REPORTS: readonly ReportName[] = ['overdue', 'children', 'due-soon', 'stages', 'drift'];
