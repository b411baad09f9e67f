/**
 * Findings about the input, each with a stable code. Errors reject rows; warnings keep them.
 * Every finding is counted; only the first `keepPerCode` of each code (by line) are kept, so a
 * file of a million bad rows still finishes in bounded memory. The codes: finding-codes.ts.
 */
import { FINDING_CODES, type FindingCode, type Severity } from './finding-codes.js';

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

/** Findings as plain data, for handing from one thread to another. */
export interface FindingsData {
  counts: [FindingCode, number][];
  kept: Finding[];
}

/**
 * A finding as reports show it. In a pseudonymised run `line` is null and `lines` absent: a line
 * points into an export the recipient does not have, and in an export sorted by child id the
 * lines would give away the order of the ids behind the tokens.
 */
export type ShownFinding = Omit<Finding, 'line'> & { line: number | null };

const hideLine = (f: Finding): ShownFinding => {
  const { lines: _lines, ...rest } = f;
  return { ...rest, line: null, message: f.message.replace(/\blines? \d+/g, 'another row') };
};

export class Findings {
  /** Set for a pseudonymised run: reports show no line numbers (see ShownFinding). */
  hideLines = false;
  readonly counts = new Map<FindingCode, number>();
  private readonly kept = new Map<FindingCode, Finding[]>();
  /** Per code, once its list is full: a finding after this line cannot be among the first N. */
  private readonly bound = new Map<FindingCode, number>();
  constructor(readonly keepPerCode = 1000) {}

  add(
    code: FindingCode,
    line: number,
    column: string | null,
    childId: string | null,
    message: string,
    lines?: number[],
  ): void {
    this.counts.set(code, (this.counts.get(code) ?? 0) + 1);
    if (!this.mayKeep(code, line)) return;
    const f: Finding = { line, column, code, severity: FINDING_CODES[code].severity, childId, message };
    if (lines) f.lines = lines;
    this.keep(f);
  }

  /** Whether a finding at this line could still be among the first N of its code. */
  private mayKeep(code: FindingCode, line: number): boolean {
    return line <= (this.bound.get(code) ?? Infinity);
  }

  /**
   * Keeps the first N findings of each code by line, whatever order they arrive in: the parts of
   * an export read in two threads come together at the end, and some findings are only made once
   * a whole child is read.
   */
  private keep(f: Finding): void {
    let list = this.kept.get(f.code);
    if (!list) this.kept.set(f.code, (list = []));
    list.push(f);
    if (list.length === this.keepPerCode) this.bound.set(f.code, Math.max(...list.map((x) => x.line)));
    else if (list.length >= 2 * this.keepPerCode) this.trim(list);
  }

  private trim(list: Finding[]): Finding[] {
    if (list.length > this.keepPerCode) {
      list.sort((a, b) => a.line - b.line); // stable: same-line findings keep their order
      list.length = this.keepPerCode;
      this.bound.set(list[0].code, list[list.length - 1].line);
    }
    return list;
  }

  toData(): FindingsData {
    return { counts: [...this.counts], kept: [...this.kept.values()].flatMap((l) => this.trim(l)) };
  }

  /** Adds the findings of another part of the same export. */
  absorb(other: FindingsData): void {
    for (const [code, n] of other.counts) this.counts.set(code, (this.counts.get(code) ?? 0) + n);
    for (const f of other.kept) if (this.mayKeep(f.code, f.line)) this.keep(f);
  }

  count(severity?: Severity): number {
    let n = 0;
    for (const [code, c] of this.counts) if (!severity || FINDING_CODES[code].severity === severity) n += c;
    return n;
  }

  /** Kept findings in file order. */
  list(): ShownFinding[] {
    const list = [...this.kept.values()]
      .flatMap((l) => this.trim(l))
      .sort((a, b) => a.line - b.line || a.code.localeCompare(b.code));
    return this.hideLines ? list.map(hideLine) : list;
  }

  /** Per code: how many, how many kept, and the first lines, for the summary by code. */
  byCode(): { code: FindingCode; severity: Severity; count: number; firstLines: number[] }[] {
    return [...this.counts]
      .map(([code, count]) => ({
        code,
        severity: FINDING_CODES[code].severity,
        count,
        // Each line once: a row can hold the same problem twice (two invalid dates).
        firstLines: [...new Set((this.hideLines ? [] : this.trim(this.kept.get(code) ?? [])).map((f) => f.line))]
          .sort((a, b) => a - b)
          .slice(0, 5),
      }))
      .sort((a, b) => (a.severity === b.severity ? a.code.localeCompare(b.code) : a.severity === 'error' ? -1 : 1));
  }

  get truncated(): boolean {
    for (const [code, c] of this.counts) if (c > this.trim(this.kept.get(code) ?? []).length) return true;
    return false;
  }
}
