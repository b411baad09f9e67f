/**
 * The entry point. The worker thread that runs a command (worker.ts) starts first, before the
 * rest of the program loads: its start and its modules' loading (~0.1 s) then overlap the main
 * thread's, instead of following them. It waits for its task from the shell (shell.ts), and does
 * not keep the process alive until it has one (help, a usage error need none).
 */
import { Worker } from 'node:worker_threads';
import { errorLine, noWorkingFolder } from './errors.js';
import { type WorkerEnd } from './shell.js';

// Every thread needs the working folder to start: one removed from under the run (a cron job's
// folder, tidied away) would otherwise fail in the worker's start-up as our bug. Help and the
// version read no file, so they start from the root instead; anything else stops here.
let cwd: string | undefined;
try {
  cwd = process.cwd();
} catch (e) {
  const args = process.argv.slice(2);
  if (args.length === 0 || args[0] === 'help' || args.some((a) => ['-h', '--help', '-V', '--version'].includes(a))) {
    process.chdir('/');
    cwd = '/';
  } else {
    const gone = noWorkingFolder((e as NodeJS.ErrnoException).code);
    process.stderr.write(errorLine(gone));
    process.exitCode = gone.exitCode;
  }
}
if (cwd !== undefined) await run();

async function run() {
  // A small young generation, which the main thread cannot be given without command-line flags:
  // see worker.ts.
  const worker = new Worker(new URL('./worker.js', import.meta.url), {
    // The first argument, usually the command: the worker loads it while the shell reads the rest.
    // The rest, for a guess at the export (see worker.ts).
    workerData: { command: process.argv[2], args: process.argv.slice(3) },
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  });
  worker.unref();
  // How it stops, watched from now on: should that be before it has its task (our bug), the shell
  // must hear of it, not wait for it. An uncaught error comes before the exit.
  const stopped = new Promise<WorkerEnd>((resolve) => {
    worker.once('error', (error) => resolve({ error }));
    worker.once('exit', () => resolve({}));
  });
  const { shell } = await import('./shell.js');
  await shell(worker, stopped);
}
