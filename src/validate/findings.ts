/**
 * Findings about the input, each with a stable code. Errors reject rows; warnings keep them.
 * Every finding is counted; only the first `keepPerCode` of each code are kept with their
 * lines, so a file of a million bad rows still finishes in bounded memory.
 */
export const FINDING_CODES = {
  // row errors: the row is rejected
  MISSING_VALUE: 'error',
  INVALID_DATE: 'error',
  UNKNOWN_EVENT: 'error',
  MISSING_ROUTE: 'error',
  UNKNOWN_ROUTE: 'error',
  DOB_AFTER_EVENT: 'error',
  // child errors, found once the whole child is read: all the rows involved are rejected
  CONFLICTING_EVENT: 'error',
  CONFLICTING_DOB: 'error',
  DUPLICATE_CHILD_ROW: 'error',
  // warnings: the row is kept
  DUPLICATE_ROW: 'warning',
  SECOND_ACCOMMODATED: 'warning',
  EVENT_OUTSIDE_EPISODE: 'warning',
  DECISION_BEFORE_ACCOMMODATION: 'warning',
  IMPLAUSIBLE_DATE: 'warning',
  AGE_OVER_18: 'warning',
} as const;
export type FindingCode = keyof typeof FINDING_CODES;
export type Severity = 'error' | 'warning';

export interface Finding {
  line: number; // as a spreadsheet shows it: the header is line 1
  column: string | null;
  code: FindingCode;
  severity: Severity;
  childId: string | null;
  message: string;
  /** Other lines involved, for findings about a whole child. */
  lines?: number[];
}

export class Findings {
  readonly counts = new Map<FindingCode, number>();
  private readonly kept = new Map<FindingCode, Finding[]>();
  constructor(readonly keepPerCode = 1000) {}

  add(code: FindingCode, line: number, column: string | null, childId: string | null, message: string, lines?: number[]): void {
    this.counts.set(code, (this.counts.get(code) ?? 0) + 1);
    let list = this.kept.get(code);
    if (!list) this.kept.set(code, (list = []));
    if (list.length < this.keepPerCode) {
      const f: Finding = { line, column, code, severity: FINDING_CODES[code], childId, message };
      if (lines) f.lines = lines;
      list.push(f);
    }
  }

  count(severity?: Severity): number {
    let n = 0;
    for (const [code, c] of this.counts) if (!severity || FINDING_CODES[code] === severity) n += c;
    return n;
  }

  /** Kept findings in file order. */
  list(): Finding[] {
    return [...this.kept.values()].flat().sort((a, b) => a.line - b.line || a.code.localeCompare(b.code));
  }

  /** Per code: how many, how many kept, and the first lines, for the summary by code. */
  byCode(): { code: FindingCode; severity: Severity; count: number; firstLines: number[] }[] {
    return [...this.counts]
      .map(([code, count]) => ({
        code,
        severity: FINDING_CODES[code],
        count,
        firstLines: (this.kept.get(code) ?? []).slice(0, 5).map((f) => f.line).sort((a, b) => a - b),
      }))
      .sort((a, b) => (a.severity === b.severity ? a.code.localeCompare(b.code) : a.severity === 'error' ? -1 : 1));
  }

  get truncated(): boolean {
    for (const [code, c] of this.counts) if (c > (this.kept.get(code)?.length ?? 0)) return true;
    return false;
  }
}
