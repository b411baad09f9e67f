/**
 * --out <dir>: the monthly pack in one folder, <dir>/<as-of>/, with a manifest that says what
 * went in and what came out. The folder is built under a temporary name beside it and renamed
 * into place, so it only ever appears complete; a re-run of the same as-of swaps it in whole;
 * shell.ts removes the temporary folder if the run is killed, and the next run removes any left
 * by a run killed outright (SIGKILL).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { formatDay } from '../../dates/days.js';
import { inputError, PaceError } from '../../errors.js';
import { checkUnchanged } from '../../read/source.js';
import { findingsCsv } from '../../report/findings.js';
import { TOOL } from '../../report/json.js';
import { missingFolders, removeEmptyFolders } from '../../output/folders.js';
import { type Written, writePrivateFile } from '../../output/private-file.js';
import { renderAuditHtml } from '../../report/html/audit.js';
import { type AuditReport } from './audit.js';
import { parametersJson, renderCsv, renderJson } from './render.js';
import { bundleTemporaryName } from './bundle-name.js';
import { type Chunk } from '../../output/fd.js';

const TEMPORARY = /^\.pace-audit-(?:tmp|old)-(\d+)$/;

export interface BundleContext {
  file: string;
  /** --as-of as given (`last-month-end`), or undefined for the default, today. */
  asOfRule: string | undefined;
  flags: object;
  pseudonymised: boolean;
  /** The config file used, if any (the JSON names it). */
  configFile: string | null;
}

export async function writeBundle(outDir: string, r: AuditReport, ctx: BundleContext): Promise<string> {
  const asOf = formatDay(r.parameters.asOf);
  const final = join(outDir, asOf);
  const tmp = join(outDir, bundleTemporaryName(process.pid));
  const old = join(outDir, `.pace-audit-old-${process.pid}`);
  let made: string[] = [];
  try {
    made = makeFolders(outDir);
    removeAbandoned(outDir);
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { mode: 0o700 });
    const input = await inputFacts(r);
    const findings = r.findings.list();
    const files: { name: string; rows: number | null; chunks: Iterable<Chunk> }[] = [
      { name: 'summary.json', rows: null, chunks: renderJson(r, ctx.configFile) },
      { name: 'children.csv', rows: r.cohort.length, chunks: renderCsv(r, 'children') },
      { name: 'overdue.csv', rows: r.overdue.length, chunks: renderCsv(r, 'overdue') },
      { name: 'due-soon.csv', rows: r.dueSoon.length, chunks: renderCsv(r, 'due-soon') },
      { name: 'stages.csv', rows: r.stages.length, chunks: renderCsv(r, 'stages') },
      { name: 'findings.csv', rows: findings.length, chunks: [findingsCsv(r.source.file, findings)] },
      { name: 'report.html', rows: null, chunks: [renderAuditHtml(r)] },
    ];
    const written: ({ name: string; rows: number | null } & Written)[] = [];
    for (const f of files)
      written.push({ name: f.name, rows: f.rows, ...writePrivateFile(join(tmp, f.name), f.chunks) });
    const manifest = {
      tool: TOOL,
      createdFor: asOf,
      parameters: {
        ...parametersJson(r),
        asOfRequested: ctx.asOfRule ?? 'today',
        options: ctx.flags,
        pseudonymised: ctx.pseudonymised,
      },
      input,
      accounting: r.accounting,
      files: written.map((w) => ({ name: w.name, bytes: w.bytes, sha256: w.sha256, rows: w.rows })),
    };
    writePrivateFile(join(tmp, 'manifest.json'), [JSON.stringify(manifest, null, 2) + '\n']);
    // Swap in: the old pack goes aside, the new one takes its name, then the old is removed.
    if (existsSync(final)) renameSync(final, old);
    renameSync(tmp, final);
    rmSync(old, { recursive: true, force: true });
    return final;
  } catch (e) {
    try {
      rmSync(tmp, { recursive: true, force: true });
      if (existsSync(old) && !existsSync(final)) renameSync(old, final);
      // Folders this run made for the pack go too: a failed run leaves nothing behind.
      removeEmptyFolders(made);
    } catch {
      // Nothing was made there (the folder cannot be created): nothing to tidy.
    }
    // The input changed as it was hashed (INPUT_CHANGED): said as itself, not as the pack's.
    if (e instanceof PaceError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw inputError('OUTPUT_UNWRITABLE', `${outDir}: the pack cannot be written (${code})`);
    throw e;
  }
}

/** Name, size and SHA-256 of the input. A stream was hashed as it was read; a file is read for it. */
async function inputFacts(r: AuditReport) {
  const src = r.source;
  let sha256: string;
  if (src.stream) sha256 = src.stream.hash.copy().digest('hex');
  else {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(src.file)) hash.update(chunk as Buffer);
    sha256 = hash.digest('hex');
    // Read again for the hash: it must be of the file the report was made from.
    checkUnchanged(src);
  }
  return {
    name: src.stream ? src.file : basename(src.file),
    path: src.file,
    bytes: src.bytes,
    sha256,
    encoding: src.encoding,
    delimiter: src.delimiter,
  };
}

/**
 * mkdir -p, one level at a time, and returns the folders it made (to remove should the run fail).
 * Node's recursive mkdirSync retries for ever where a folder cannot be made but its parent says it
 * does not exist (procfs, sysfs): a cron job would spin at full CPU, deaf to SIGTERM. Here the
 * first level that cannot be made stops the run (OUTPUT_UNWRITABLE).
 */
function makeFolders(dir: string): string[] {
  const made: string[] = [];
  for (const d of missingFolders(dir)) {
    try {
      mkdirSync(d, { mode: 0o700 });
      made.push(d);
    } catch (e) {
      // Made meanwhile by another run: fine, if a folder.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(d).isDirectory()) {
        removeEmptyFolders(made);
        throw e;
      }
    }
  }
  return made;
}

/** Folders left by runs that were killed outright: their process is gone. */
function removeAbandoned(outDir: string) {
  for (const name of readdirSync(outDir)) {
    const m = TEMPORARY.exec(name);
    if (!m || Number(m[1]) === process.pid || isRunning(Number(m[1]))) continue;
    rmSync(join(outDir, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
