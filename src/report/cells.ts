/**
 * A text cell that starts with = + - @ tab or CR is run as a formula by Excel, LibreOffice and
 * Google Sheets (CSV injection). Prefixing a quote makes it plain text, as OWASP advises.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
export const neutralise = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);
