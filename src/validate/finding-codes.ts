/**
 * Every code a check on the data can raise, in one place: its severity (an error rejects the
 * row, a warning keeps it) and what it means. The README's "Checks on the data" table must list
 * exactly these, with the same severities (test/docs.test.ts): add a code here and there.
 */
export type Severity = 'error' | 'warning';

export const FINDING_CODES = {
  // row errors: the row is rejected
  MISSING_VALUE: { severity: 'error', meaning: 'a required value is empty' },
  INVALID_DATE: { severity: 'error', meaning: 'not a real date in an accepted format' },
  UNKNOWN_EVENT: { severity: 'error', meaning: 'the event is not one we know' },
  MISSING_ROUTE: { severity: 'error', meaning: 'a permanence decision without a route' },
  UNKNOWN_ROUTE: { severity: 'error', meaning: 'a route we do not know' },
  DOB_AFTER_EVENT: { severity: 'error', meaning: 'the date of birth is after the event' },
  REPEATED_HEADER: { severity: 'error', meaning: 'the header row again, as where two exports are joined' },
  // child errors, found once the whole child is read: all the rows involved are rejected
  CONFLICTING_EVENT: { severity: 'error', meaning: 'two decisions for one child on one date name different routes' },
  CONFLICTING_DOB: { severity: 'error', meaning: "one child's rows disagree on the date of birth" },
  DUPLICATE_CHILD_ROW: { severity: 'error', meaning: 'a wide tracker holds a second row for the same child' },
  // warnings: the row is kept
  DUPLICATE_ROW: { severity: 'warning', meaning: 'the same event again: counted once' },
  SECOND_ACCOMMODATED: { severity: 'warning', meaning: 'accommodated again while an episode is open' },
  EVENT_OUTSIDE_EPISODE: { severity: 'warning', meaning: 'an event outside any episode' },
  DECISION_BEFORE_ACCOMMODATION: {
    severity: 'warning',
    meaning: "a decision dated before the child's first accommodation, or for a child never accommodated",
  },
  IMPLAUSIBLE_DATE: { severity: 'warning', meaning: 'an event more than 25 years before the audit date' },
  AGE_OVER_18: { severity: 'warning', meaning: 'the date of birth makes the child 18 or over at accommodation' },
  STAGE_WITHOUT_DECISION: {
    severity: 'warning',
    meaning: 'a later stage (panel, ADM, court, order) in an episode with no decision',
  },
  // about the whole file, found once every child is read: line 1, the header
  EVENT_KIND_MISSING: { severity: 'warning', meaning: 'no accepted row holds a kind of event the measures need' },
} as const satisfies Record<string, { severity: Severity; meaning: string }>;

export type FindingCode = keyof typeof FINDING_CODES;
