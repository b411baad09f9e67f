/**
 * The JSON contract (schemaVersion 2; README "JSON output" lists the changes since 1): field
 * names are relied on by analysts and tests; add fields, never rename or remove them without
 * bumping the version. Enumerated values are keys (`adoption`, `panel`); words for people go in
 * separate `label` fields. Emitted in chunks, one array
 * entry per line, so a report of a million children never sits whole in memory.
 */
import { createRequire } from 'node:module';
import { type Accounting } from '../load.js';
import { type SourceInfo } from '../read/source-info.js';
import { type Findings } from '../validate/findings.js';
import { type Chunk } from '../output/fd.js';

/** An array that writes its own text, brackets included, its items one level below `indent`. */
export type ArrayWriter = (indent: string) => Iterable<Chunk>;

export const SCHEMA_VERSION = 2;
export const TOOL = {
  name: 'pace-audit',
  version: (createRequire(import.meta.url)('../../package.json') as { version: string }).version,
};

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

/** The findings' part of every command's `summary`: the same fields in audit and validate. */
export const findingsSummaryJson = (findings: Findings) => ({
  errors: findings.count('error'),
  warnings: findings.count('warning'),
});

/**
 * A pretty-printed object whose `arrays` are streamed, one item per line: `head` holds every other
 * field, in order. An array's key is a field of the head (`children`, added at the end if absent)
 * or one level down (`families.groups`); an ArrayWriter writes its own. Nothing is held but the
 * head's own text.
 */
export function* streamObject(
  head: Record<string, unknown>,
  arrays: Record<string, Iterable<unknown> | ArrayWriter>,
): Generator<Chunk> {
  const mark = `@@array-${Math.random().toString(36).slice(2)}-`;
  const withMarks: Record<string, unknown> = { ...head };
  const keys = Object.keys(arrays);
  keys.forEach((key, i) => {
    const [outer, inner] = key.split('.');
    const here = `${mark}${i}@@`;
    if (inner === undefined) withMarks[outer] = here;
    else withMarks[outer] = { ...(withMarks[outer] as object), [inner]: here };
  });
  // split with a capture group: text, index, text, index, ..., text
  const parts: string[] = JSON.stringify(withMarks, null, 2).split(new RegExp(`"${mark}(\\d+)@@"`));
  for (let p = 0; p < parts.length; p += 2) {
    const text = parts[p];
    parts[p] = ''; // let go of the head as it goes
    yield text;
    if (p + 1 >= parts.length) break;
    const key = keys[Number(parts[p + 1])];
    // Items go one level deeper than the key they are the value of.
    const keyLine = text.slice(text.lastIndexOf('\n') + 1);
    const indent = keyLine.slice(0, keyLine.length - keyLine.trimStart().length);
    const items = arrays[key];
    if (typeof items === 'function') {
      yield* items(indent);
      continue;
    }
    let first = true;
    for (const item of items) {
      yield (first ? `[\n${indent}  ` : `,\n${indent}  `) + JSON.stringify(item);
      first = false;
    }
    yield first ? '[]' : `\n${indent}]`;
  }
  yield '\n';
}
