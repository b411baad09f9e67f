// Preloaded (NODE_OPTIONS=--import=...) into a run of the CLI by test/cli.test.ts: the main thread
// removes the folder it runs from just as it starts the thread that runs the command, after
// cli.ts has found it there: the race of a cron job's folder tidied away as the run starts.
import { rmdirSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const threads = createRequire(import.meta.url)('node:worker_threads');
if (threads.isMainThread) {
  const Real = threads.Worker;
  threads.Worker = class extends Real {
    constructor(...args) {
      rmdirSync(process.cwd());
      super(...args);
    }
  };
  syncBuiltinESMExports();
}
