/**
 * Progress on stderr for large inputs at a terminal: bytes read of total, rows a second, time
 * left. Never on stdout, never when stderr is piped (cron, CI), and off with --no-progress.
 * `show` replaces the progress line ('' clears it): the carriage return and the clearing are the
 * terminal gate's (output/terminal.ts), so no control character is written here.
 */
const MIN_BYTES = 20 * 1024 * 1024;

export function progressReporter(totalBytes: number, stream: { isTTY: boolean; show(text: string): void }) {
  if (!stream.isTTY || totalBytes < MIN_BYTES) return undefined;
  const started = Date.now();
  let last = 0;
  const report = (bytes: number, _total: number, rows: number) => {
    const now = Date.now();
    if (now - last < 250 && bytes < totalBytes) return;
    last = now;
    const secs = (now - started) / 1000 || 0.001;
    const left = bytes > 0 ? ((totalBytes - bytes) * secs) / bytes : 0;
    const mb = (n: number) => (n / 1048576).toFixed(0);
    stream.show(`${mb(bytes)}/${mb(totalBytes)} MiB, ${Math.round(rows / secs).toLocaleString('en-GB')} rows/s, ${Math.ceil(left)} s left`);
  };
  const done = () => stream.show('');
  return { report, done };
}
