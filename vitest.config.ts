import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Dates are calendar dates: no time zone may move one. The whole suite runs in UTC; the tests
// that turn text into dates and dates into figures run again in a zone behind UTC and in one
// with summer time. (Running everything three times tripled the suite for no extra cover: the
// end-to-end tests already spawn the CLI under five zones in cli.test.ts.)
const ZONED = [
  'test/dates.test.ts',
  'test/measures.test.ts',
  'test/stages.test.ts',
  'test/validate-row.test.ts',
  'test/time-zone.test.ts',
];

// Generous: this machine is shared, and a timeout must never be what fails a correct test.
const testTimeout = 60_000;
// The files a worker runs share one module graph (isolate: false): src/ and the cli() thread
// are loaded once per worker, not once per file (that loading took longer than the tests). Safe
// because no test mocks a module or changes the process (cwd, env, umask); test/setup.ts gives
// each file its own temporary folder and reads the zone its project set.
const shared = { testTimeout, setupFiles: ['test/setup.ts'], isolate: false };

export default defineConfig({
  test: {
    // vitest's default is one worker fewer than the cores: one on a 2-core machine, which ran the
    // files one at a time. Many tests wait on a child process (its start, a signal, a pipe), so
    // one worker more than the cores keeps both busy: on 2 cores, 3 workers took the suite from
    // 55 s to 42 s.
    maxWorkers: Math.max(2, availableParallelism() + 1),
    projects: [
      { test: { name: 'UTC', include: ['test/**/*.test.ts'], env: { TZ: 'UTC' }, ...shared } },
      { test: { name: 'America/New_York', include: ZONED, env: { TZ: 'America/New_York' }, ...shared } },
      { test: { name: 'Europe/London', include: ZONED, env: { TZ: 'Europe/London' }, ...shared } },
    ],
  },
});
