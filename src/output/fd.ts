/**
 * Writes straight to a file descriptor (stdout, from the worker thread): blocking writes give
 * backpressure for free and nothing is copied between threads. A descriptor left non-blocking by
 * whoever started us answers EAGAIN when the pipe is full: wait a moment and go on. EPIPE means
 * the reader (`| head`) has all it wants: report it so writing stops quietly.
 */
import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Returns false once the reader has gone. */
export function writeAllSync(fd: number, text: string): boolean {
  let buf = Buffer.from(text, 'utf8');
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(fd, buf));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 2);
      else if (code === 'EPIPE') return false;
      else throw e;
    }
  }
  return true;
}

const CHUNK = 64 * 1024;

/** Writes a report's chunks in writes of about 64 KiB; false once the reader has gone. */
export function writeChunksSync(fd: number, chunks: Iterable<string>): boolean {
  let buffer = '';
  for (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length < CHUNK) continue;
    if (!writeAllSync(fd, buffer)) return false;
    buffer = '';
  }
  return buffer === '' || writeAllSync(fd, buffer);
}
