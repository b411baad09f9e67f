/**
 * Progress on stderr for large inputs at a terminal, through every phase of a run: reading (bytes
 * of total, rows a second, time left), building episodes, measuring, writing the report. Never on
 * stdout, never when stderr is piped (cron, CI), and off with --no-progress.
 * `show` replaces the progress line ('' clears it): the carriage return and the clearing are the
 * terminal gate's (output/terminal.ts), so no control character is written here.
 */
import { type Chunk } from '../output/fd.js';
const MIN_BYTES = 20 * 1024 * 1024;

export type Phase = 'building episodes' | 'measuring' | 'writing the report';

export interface Progress {
  /** Reading: bytes read so far. */
  report(bytes: number, total: number, rows: number): void;
  /** A later phase: `done` of `total` items (total 0: a running count of bytes). */
  phase(name: Phase, done: number, total: number): void;
  /** Clears the line; a later phase may draw it again. */
  done(): void;
}

export function progressReporter(
  totalBytes: number,
  stream: { isTTY: boolean; show(text: string): void },
): Progress | undefined {
  if (!stream.isTTY || totalBytes < MIN_BYTES) return undefined;
  const started = Date.now();
  let last = 0;
  let current = '';
  let drawn = false;
  const draw = (text: string) => {
    stream.show(text);
    drawn = true;
  };
  const due = (force: boolean) => {
    const now = Date.now();
    if (!force && now - last < 250) return false;
    last = now;
    return true;
  };
  const mb = (n: number) => (n / 1048576).toFixed(0);
  return {
    report(bytes, _total, rows) {
      if (!due(bytes >= totalBytes)) return;
      const secs = (Date.now() - started) / 1000 || 0.001;
      const left = bytes > 0 ? ((totalBytes - bytes) * secs) / bytes : 0;
      draw(
        `reading: ${mb(bytes)}/${mb(totalBytes)} MiB, ${Math.round(rows / secs).toLocaleString('en-GB')} rows/s, ${Math.ceil(left)} s left`,
      );
    },
    phase(name, done, total) {
      if (!due(name !== current)) return;
      current = name;
      draw(
        total > 0
          ? `${name}: ${Math.floor((100 * done) / total)}% of ${total.toLocaleString('en-GB')}`
          : `${name}: ${mb(done)} MiB`,
      );
    },
    done() {
      if (drawn) stream.show('');
      drawn = false;
    },
  };
}

/** Chunks passed through, counting what goes by for the writing phase. */
export function* countingChunks(chunks: Iterable<Chunk>, progress: Progress | undefined): Generator<Chunk> {
  if (!progress) return yield* chunks;
  let written = 0;
  let shown = -1;
  try {
    for (const c of chunks) {
      written += c.length;
      // The phase shows from the first chunk; then a million small chunks need not ask the clock
      // a million times.
      if (shown < 0 || written - shown >= 1 << 20) {
        shown = written;
        progress.phase('writing the report', written, 0);
      }
      yield c;
    }
  } finally {
    progress.done();
  }
}
