import { createRequire } from 'node:module';
import type * as CsvStringify from 'csv-stringify/sync';

// Loaded when a CSV is first written: most runs write none, and its ~15 ms came before the read.
let loaded: typeof CsvStringify.stringify | undefined;
const stringify: typeof CsvStringify.stringify = (...args) =>
  (loaded ??= (createRequire(import.meta.url)('csv-stringify/sync') as typeof CsvStringify).stringify)(...args);

/**
 * A text cell that starts with = + - @ tab or CR is run as a formula by Excel, LibreOffice and
 * Google Sheets (CSV injection). Prefixing a quote makes it plain text, as OWASP advises.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
export const neutralise = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/**
 * Rows as CSV, the one way every CSV of pace-audit is written: text cells neutralised, absent
 * values empty, and booleans `true` and `false` (README "CSV output"), not csv-stringify's
 * default `1` and an empty cell, which reads as a missing value.
 */
export const csvText = (rows: readonly (readonly unknown[])[]): string =>
  stringify(
    rows.map((row) => row.map((v) => (typeof v === 'string' ? neutralise(v) : (v ?? '')))),
    CSV_OPTIONS,
  );

const CSV_OPTIONS = { cast: { boolean: (b: boolean) => String(b) } };
