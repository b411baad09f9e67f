/**
 * Where to cut an export in two, so that each part can be parsed by its own thread, and how many
 * records come before the cut. Both are found by scanning bytes for quotes and line ends, not by
 * parsing, so both are checked afterwards: the thread that parses the first part must end at
 * the cut outside quotes, on the same number of records, or the export is read in one thread.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { type SourceInfo } from './source-info.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** The record delimiter csv-parse will find: the first line end outside quotes. */
export function recordDelimiterOf(text: string, delimiter: string): '\n' | '\r\n' | '\r' | undefined {
  const d = delimiter.charCodeAt(0);
  let quoting = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoting) {
      if (c !== QUOTE) continue;
      if (text.charCodeAt(i + 1) === QUOTE) i++;
      else quoting = false;
    } else if (c === LF) return '\n';
    else if (c === CR) return text.charCodeAt(i + 1) === LF ? '\r\n' : '\r';
    else if (c === QUOTE && (i === 0 || text.charCodeAt(i - 1) === d || text.charCodeAt(i - 1) === 0xfeff)) quoting = true;
  }
  return undefined;
}

/**
 * Just after the first record delimiter at or after 52% of a UTF-8 file, if any: the thread
 * reading the second part starts later (it boots, then counts the records before its part).
 */
export function cutPoint(src: SourceInfo): number | undefined {
  if (src.recordDelimiter !== '\n' && src.recordDelimiter !== '\r\n') return undefined;
  const mid = Math.floor(src.bytes * 0.52);
  const fd = openSync(src.file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, mid);
    const at = buf.subarray(0, n).indexOf(src.recordDelimiter);
    const cut = at < 0 ? -1 : mid + at + src.recordDelimiter.length;
    return cut > 0 && cut < src.bytes ? cut : undefined;
  } finally {
    closeSync(fd);
  }
}

/** Records (blank lines included) that end before byte `end`, as csv-parse would split them. */
export function countRecords(src: SourceInfo, end: number): number {
  const delimiter = src.delimiter.charCodeAt(0);
  const crlf = src.recordDelimiter === '\r\n';
  const fd = openSync(src.file, 'r');
  const chunk = Buffer.alloc(1024 * 1024);
  let records = 0;
  let quoting = false;
  let quoteInQuotes = false;
  let prev = LF; // the byte before the chunk: the file starts a record
  try {
    let pos = src.bom ? 3 : 0;
    while (pos < end) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, end - pos), pos);
      if (n === 0) break;
      const buf = chunk.subarray(0, n);
      const before = (i: number) => (i > 0 ? buf[i - 1] : prev);
      let i = 0;
      while (i < n) {
        if (quoting) {
          if (quoteInQuotes) {
            quoteInQuotes = false;
            if (buf[i] === QUOTE) {
              i++; // "" is a quote inside the cell
              continue;
            }
            quoting = false; // the cell's closing quote; buf[i] is outside quotes
          } else {
            const q = buf.indexOf(QUOTE, i);
            if (q < 0) break;
            quoteInQuotes = true;
            i = q + 1;
            continue;
          }
        }
        // Outside quotes, native searches skip from line end to line end up to the next quote.
        const q = buf.indexOf(QUOTE, i);
        const stop = q < 0 ? n : q;
        for (let j = buf.indexOf(LF, i); j >= 0 && j < stop; j = buf.indexOf(LF, j + 1)) if (!crlf || before(j) === CR) records++;
        if (q < 0) break;
        // With relax_quotes a quote opens a quoted cell only at the start of a cell.
        const b = before(q);
        if (b === delimiter || b === LF) quoting = true;
        i = q + 1;
      }
      prev = buf[n - 1];
      pos += n;
    }
    return records;
  } finally {
    closeSync(fd);
  }
}
