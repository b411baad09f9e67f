// Preloaded (NODE_OPTIONS=--import=...) into a run of the CLI by test/two-parts.test.ts: every
// thread but the main one is refused a thread of its own, as `new Worker` is under a limit on
// threads (EAGAIN). The thread that runs the command starts; the ones that share out a read cannot.
import { createRequire, syncBuiltinESMExports } from 'node:module';

const threads = createRequire(import.meta.url)('node:worker_threads');
if (!threads.isMainThread) {
  threads.Worker = class {
    constructor() {
      throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
    }
  };
  syncBuiltinESMExports();
}
