// The built program (dist/program.js) run in a thread of the test process: what cli() in
// helpers.ts uses instead of starting a process for each run. It does what the real CLI's worker
// does around a command (dist/run-task.js) with stdout and stderr kept in memory; the exit code
// is main()'s, the one place that decides it. The test thread waits on `signal` for each answer,
// so cli() stays synchronous, like the spawnSync it replaces.
import { parentPort, workerData } from 'node:worker_threads';
import { newTemporaryToken } from '../dist/output/file.js';
import { main } from '../dist/program.js';
import { runTask } from '../dist/run-task.js';

const { signal, answers } = workerData;

parentPort.on('message', async ({ args, env, key }) => {
  // This thread's own copy of process.env (worker_threads), where commands/runtime.ts looks.
  if (key === undefined) delete process.env.PACE_AUDIT_KEY;
  else process.env.PACE_AUDIT_KEY = key;
  // stdout as bytes, decoded once at the end as a pipe's reader would: JSON comes as UTF-8 bytes
  // (report/json-bytes.ts), text as strings.
  const stdout = [];
  let stderr = '';
  let answer;
  try {
    const code = await main(['node', 'pace-audit', ...args], {
      stderrColour: false,
      writeOut: (text) => {
        stdout.push(Buffer.from(text, 'utf8'));
      },
      writeErr: (text) => {
        stderr += text;
      },
      run: (command, file, flags, relay) =>
        runTask(
          { command, file, flags, stdoutIsTTY: false, stderrIsTTY: false, env, temporaryToken: newTemporaryToken() },
          {
            // Memory is no descriptor: nothing to find closed or equal to the input.
            checkStdout: () => {},
            writeStdout: (chunks) => {
              for (const chunk of chunks)
                stdout.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
              return true;
            },
            post: (m) => (m.t === 'err' ? relay.err(m.data) : relay.progress(m.data)),
          },
        ),
    });
    answer = { stdout: Buffer.concat(stdout).toString('utf8'), stderr, code };
  } catch (e) {
    answer = { error: e?.stack ?? String(e) };
  }
  answers.postMessage(answer);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
