/**
 * Folders a run makes for its output (`--out a/b/c`), and takes away again when the run fails or
 * is killed: the pack (commands/audit/bundle.ts) makes them, and the shell (shell.ts), on a
 * signal, removes what the run would have made. Kept apart, with nothing else, for the shell.
 */
import { existsSync, rmdirSync } from 'node:fs';
import { sep } from 'node:path';

/**
 * The levels of `dir` that do not exist, shallowest first, as mkdir -p would make them: the path
 * walked as written, not resolved (`x/../y` needs `x`, though resolving it drops `x`), and a `.`
 * or `..` never a level of its own (it exists once the level before it does).
 */
export function missingFolders(dir: string): string[] {
  const parts = dir.split(sep);
  const missing: string[] = [];
  for (let i = 1; i <= parts.length; i++) {
    const part = parts[i - 1];
    if ((part === '' && i > 1) || part === '.' || part === '..') continue;
    const d = parts.slice(0, i).join(sep) || sep;
    if (!existsSync(d)) missing.push(d);
  }
  return missing;
}

/**
 * Removes `folders` (shallowest first, as missingFolders lists them), deepest first, each only
 * if empty: one never made is passed over; at one that holds anything (another run's files),
 * it and the folders above it are left.
 */
export function removeEmptyFolders(folders: readonly string[]): void {
  for (let i = folders.length - 1; i >= 0; i--) {
    try {
      rmdirSync(folders[i]);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return;
    }
  }
}
