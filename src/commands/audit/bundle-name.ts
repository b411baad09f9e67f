/** The folder --out builds in, by process id: kept apart so the main thread (shell.ts) loads nothing else. */
export const bundleTemporaryName = (pid: number) => `.pace-audit-tmp-${pid}`;
