/**
 * --pseudonymise: child and family ids become keyed HMAC-SHA-256 tokens as rows are read, so no
 * later stage (findings, timelines, reports) ever holds an original id. The same key gives the
 * same tokens, so months can be compared; without the key a token cannot be worked back.
 *
 * A token is a prefix (`c_` child, `f_` family) and the first 20 hex digits (80 bits) of the
 * HMAC. For n ids the chance that any two share a token is about n²/2^81: 4 in 10^13 at a
 * million ids, so a collision does not happen in practice; 16 digits (64 bits) would give
 * 3 in 10^8, small but not negligible over years of monthly runs.
 */
import { createHmac } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { PaceError, usageError } from '../errors.js';
import { descriptorOf } from '../read/descriptor.js';
import { type Layout } from '../validate/layout.js';

const HEX_DIGITS = 20;

/** The key, as plain data so that it can be handed to the thread that reads a second part. */
export interface Pseudonymiser {
  key: Uint8Array;
}

function tokenFor(key: Uint8Array, kind: 'c' | 'f', id: string): string {
  // The kind is hashed too: a family id equal to a child id gets an unrelated token.
  return `${kind}_${createHmac('sha256', key).update(`${kind}:${id}`).digest('hex').slice(0, HEX_DIGITS)}`;
}

/** Ids -> tokens, each worked out once. An empty id stays empty (it is reported as missing). */
function tokeniser(key: Uint8Array, kind: 'c' | 'f'): (id: string) => string {
  const cache = new Map<string, string>();
  return (id) => {
    if (id === '') return id;
    let t = cache.get(id);
    if (t === undefined) cache.set(id, (t = tokenFor(key, kind, id)));
    return t;
  };
}

/** A layout whose ids come out as tokens; everything downstream sees only tokens. */
export function pseudonymousLayout(layout: Layout, p: Pseudonymiser): Layout {
  const child = tokeniser(p.key, 'c');
  const family = tokeniser(p.key, 'f');
  return {
    rows: layout.rows,
    childId: (cells) => child(layout.childId(cells)),
    read(cells) {
      const n = layout.read(cells);
      for (let i = 0; i < n; i++) {
        const row = layout.rows[i];
        row.childId = child(row.childId);
        row.familyId = family(row.familyId);
      }
      return n;
    },
    explain: (cells) => layout.explain(cells),
  };
}

/** Keys shorter than this are refused: a guessable key makes the tokens reversible by trial. */
const MIN_KEY_BYTES = 16;

/**
 * The key from --key-file (a file only its owner may read) or PACE_AUDIT_KEY; never from the
 * command line, where other users can see it in the process list.
 */
export function pseudonymiserFrom(
  keyFile: string | undefined,
  env: { PACE_AUDIT_KEY?: string },
  /** The export's name, to refuse a key file that is the same descriptor (both on stdin). */
  input?: string,
): Pseudonymiser {
  let key: Buffer;
  if (keyFile !== undefined) {
    const unreadable = (why: string) => usageError('KEY_UNREADABLE', `--key-file ${keyFile}: ${why}`);
    const given = descriptorOf(keyFile);
    if (given !== undefined && input !== undefined && given === descriptorOf(input))
      throw usageError(
        'USAGE',
        `--key-file ${keyFile} is where the export is read from too: give the key in a file or PACE_AUDIT_KEY`,
      );
    let fd: number;
    try {
      fd = given ?? openSync(keyFile, 'r');
    } catch (e) {
      throw unreadable(`cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    try {
      // Checked before reading: a terminal (/dev/tty, /dev/stdin with nothing piped in) would
      // wait for typing, and a key others may read should not be used at all.
      if (isatty(fd)) throw unreadable('is a terminal, not a key file: give the file, or pipe the key in');
      // A socket here is one end of a pipe from the program that started us (/dev/stdin, as
      // Node and others make them): no one else can open it, whatever its mode says (0777).
      const st = fstatSync(fd);
      if (!st.isSocket() && st.mode & 0o077)
        throw usageError('KEY_FILE_OPEN', `--key-file ${keyFile}: other users may read it; chmod 600 it first`);
      try {
        key = readFileSync(fd);
      } catch (e) {
        throw unreadable(`cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    } finally {
      if (given === undefined) closeSync(fd);
    }
    key = Buffer.from(key.toString('utf8').trim(), 'utf8');
  } else if (env.PACE_AUDIT_KEY) key = Buffer.from(env.PACE_AUDIT_KEY.trim(), 'utf8');
  else throw new PaceError('KEY_MISSING', '--pseudonymise needs a key: set PACE_AUDIT_KEY or give --key-file <file>');
  if (key.length < MIN_KEY_BYTES)
    throw usageError(
      'KEY_TOO_SHORT',
      `the pseudonymisation key must be at least ${MIN_KEY_BYTES} characters (try: openssl rand -hex 32)`,
    );
  return { key: new Uint8Array(key) };
}
