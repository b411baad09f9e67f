/**
 * The JSON contract (schemaVersion 1): field names are relied on by analysts and tests; add
 * fields, never rename or remove them without bumping the version. Emitted in chunks, one array
 * entry per line, so a report of a million children never sits whole in memory.
 */
import { createRequire } from 'node:module';
import { type Accounting } from '../load.js';
import { type SourceInfo } from '../read/source.js';
import { type Findings } from '../validate/findings.js';

export const SCHEMA_VERSION = 1;
export const TOOL = { name: 'pace-audit', version: (createRequire(import.meta.url)('../../package.json') as { version: string }).version };

export function inputJson(source: SourceInfo, acc: Accounting, findings: Findings) {
  return {
    file: source.file,
    encoding: source.encoding,
    delimiter: source.delimiter,
    rowsRead: acc.rowsRead,
    rowsAccepted: acc.rowsAccepted,
    rowsRejected: acc.rowsRejected,
    eventsAfterAsOf: acc.eventsAfterAsOf,
    duplicates: acc.duplicates,
    ignored: acc.ignored,
    blankLines: acc.blankLines,
    issueCounts: Object.fromEntries([...findings.counts].sort(([a], [b]) => a.localeCompare(b))),
    issuesTruncated: findings.truncated,
  };
}


/**
 * A pretty-printed object whose `arrays` are streamed: `head` holds every other field, in order,
 * with the arrays' keys present as placeholders.
 */
export function* streamObject(head: Record<string, unknown>, arrays: Record<string, Iterable<unknown>>, rawKeys: string[] = []): Generator<string> {
  const mark = `@@array-${Math.random().toString(36).slice(2)}@@`;
  const withMarks = { ...head };
  for (const key of Object.keys(arrays)) withMarks[key] = mark;
  const parts = JSON.stringify(withMarks, null, 2).split(`"${mark}"`);
  const keys = Object.keys(arrays);
  for (let i = 0; i < parts.length; i++) {
    yield parts[i];
    if (i < keys.length) {
      // Items of a raw array arrive already serialised (see childJsonLine).
      const raw = rawKeys.includes(keys[i]);
      let first = true;
      for (const item of arrays[keys[i]]) {
        yield (first ? '[\n    ' : ',\n    ') + (raw ? (item as string) : JSON.stringify(item));
        first = false;
      }
      yield first ? '[]' : '\n  ]';
    }
  }
  yield '\n';
}

