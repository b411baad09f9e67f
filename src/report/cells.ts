/**
 * A text cell that starts with = + - @ tab or CR is run as a formula by Excel, LibreOffice and
 * Google Sheets (CSV injection). Prefixing a quote makes it plain text, as OWASP advises.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
export const neutralise = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/**
 * csv-stringify's options for every CSV pace-audit writes: booleans as `true` and `false` (README
 * "CSV output"), not its default `1` and an empty cell, which reads as a missing value.
 */
export const CSV_OPTIONS = { cast: { boolean: (b: boolean) => String(b) } };
