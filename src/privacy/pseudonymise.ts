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
import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { isatty } from 'node:tty';
import { PaceError, usageError } from '../errors.js';
import { descriptorOf } from '../read/descriptor.js';
import { type FamilyOrder, type Layout } from '../validate/layout.js';

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
function tokeniser(
  key: Uint8Array,
  kind: 'c' | 'f',
  made?: (token: string, id: string) => void,
): (id: string) => string {
  const cache = new Map<string, string>();
  return (id) => {
    if (id === '') return id;
    let t = cache.get(id);
    if (t === undefined) {
      cache.set(id, (t = tokenFor(key, kind, id)));
      made?.(t, id);
    }
    return t;
  };
}

/**
 * Family tokens ordered by the ids behind them: a child whose rows disagree on the family id goes
 * in the smallest id's family, as in a plain run. Tokens order at random, so choosing the smallest
 * token gave another grouping, and another count of families, with each key. The ids stay here,
 * in the thread that read them, for the read alone, as the tokeniser's own do.
 */
function familyOrder(): { order: FamilyOrder; made: (token: string, id: string) => void } {
  const idOf = new Map<string, string>([['', '']]);
  return {
    made: (token, id) => idOf.set(token, id),
    order: {
      before(a, b) {
        const x = idOf.get(a);
        const y = idOf.get(b);
        return x === undefined || y === undefined ? a < b : x < y;
      },
      known: () => [...idOf],
      learn(known) {
        for (const [token, id] of known) if (!idOf.has(token)) idOf.set(token, id);
      },
    },
  };
}

/** A layout whose ids come out as tokens; everything downstream sees only tokens. */
export function pseudonymousLayout(layout: Layout, p: Pseudonymiser): Layout {
  const child = tokeniser(p.key, 'c');
  const { order, made } = familyOrder();
  const family = tokeniser(p.key, 'f', made);
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
    families: order,
  };
}

/** Keys shorter than this are refused: a guessable key makes the tokens reversible by trial. */
const MIN_KEY_BYTES = 16;

/** A key file is a few dozen bytes: past this it is not one (and /dev/zero never ends). */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/**
 * The key from --key-file (a file only its owner may read) or PACE_AUDIT_KEY; never from the
 * command line, where other users can see it in the process list.
 */
export function pseudonymiserFrom(
  keyFile: string | undefined,
  env: { PACE_AUDIT_KEY?: string },
  /** The export's name, to refuse a key file that is the same stream (both on stdin). */
  input?: string,
): Pseudonymiser {
  let key: Buffer;
  if (keyFile !== undefined) key = Buffer.from(keyFileBytes(keyFile, input).toString('utf8').trim(), 'utf8');
  else if (env.PACE_AUDIT_KEY) key = Buffer.from(env.PACE_AUDIT_KEY.trim(), 'utf8');
  else throw new PaceError('KEY_MISSING', '--pseudonymise needs a key: set PACE_AUDIT_KEY or give --key-file <file>');
  if (key.length < MIN_KEY_BYTES)
    throw usageError(
      'KEY_TOO_SHORT',
      `the pseudonymisation key must be at least ${MIN_KEY_BYTES} characters (try: openssl rand -hex 32)`,
    );
  return { key: new Uint8Array(key) };
}

/**
 * The bytes of --key-file: a file, or a pipe (`<(...)`, `-`, /dev/stdin, /dev/fd/N, read from
 * the descriptor since Linux cannot open a socket by that path). Checked before reading: a
 * terminal would wait for typing, a key others may read should not be used at all, and the
 * export's own stream would be read as the key.
 */
function keyFileBytes(keyFile: string, input: string | undefined): Buffer {
  const unreadable = (e: unknown) =>
    usageError(
      'KEY_UNREADABLE',
      `--key-file ${keyFile}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  const given = descriptorOf(keyFile);
  let fd: number;
  try {
    fd = given ?? openSync(keyFile, 'r');
  } catch (e) {
    throw unreadable(e);
  }
  try {
    let st: Stats;
    try {
      st = fstatSync(fd);
    } catch (e) {
      throw unreadable(e);
    }
    if (isatty(fd))
      throw usageError(
        'KEY_UNREADABLE',
        `--key-file ${keyFile}: is a terminal, not a key file: give the file, or pipe the key in`,
      );
    if (input !== undefined && sameStream(fd, st, input))
      throw usageError(
        'USAGE',
        `--key-file ${keyFile} is where the export is read from too: give the key in a file or PACE_AUDIT_KEY`,
      );
    // Files and named pipes others could open; a socket here is one end of a pipe from the
    // program that started us (/dev/stdin, as Node makes them), which no one else can open,
    // whatever its mode says (0777). A device (/dev/null) holds no key to give away.
    if ((st.isFile() || st.isFIFO()) && st.mode & 0o077)
      throw usageError('KEY_FILE_OPEN', `--key-file ${keyFile}: other users may read it; chmod 600 it first`);
    const buf = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    let n = 0;
    try {
      for (let got = 1; got > 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    } catch (e) {
      throw unreadable(e);
    }
    if (n > MAX_KEY_FILE_BYTES)
      throw usageError(
        'KEY_UNREADABLE',
        `--key-file ${keyFile}: over ${MAX_KEY_FILE_BYTES / 1024} KiB, not a key file`,
      );
    return buf.subarray(0, n);
  } finally {
    if (given === undefined) closeSync(fd);
  }
}

/** Whether the key's descriptor is the export's stream (`-`, /dev/stdin, /dev/fd/N) under another number. */
function sameStream(fd: number, st: Stats, input: string): boolean {
  const inputFd = descriptorOf(input);
  if (inputFd === undefined) return false;
  if (inputFd === fd) return true;
  try {
    const other = fstatSync(inputFd);
    return !st.isFile() && other.dev === st.dev && other.ino === st.ino;
  } catch {
    return false;
  }
}
