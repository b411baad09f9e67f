/**
 * Writes straight to a file descriptor (stdout, from the worker thread): blocking writes give
 * backpressure for free and nothing is copied between threads. A descriptor left non-blocking by
 * whoever started us answers EAGAIN when the pipe is full: wait a moment and go on. EPIPE means
 * the reader (`| head`) has all it wants: report it so writing stops quietly.
 */
import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** A piece of a report: text, or bytes already encoded as UTF-8 (report/json-bytes.ts). */
export type Chunk = string | Uint8Array;

/** Returns false once the reader has gone. */
export function writeAllSync(fd: number, text: string): boolean {
  return writeBufferSync(fd, Buffer.from(text, 'utf8'));
}

function writeBufferSync(fd: number, bytes: Uint8Array): boolean {
  let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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

/**
 * Writes a report's chunks in writes of about 64 KiB; false once the reader has gone. Each chunk
 * is encoded straight into one reused buffer: joining them into a string first cost a copy more.
 */
export function writeChunksSync(fd: number, chunks: Iterable<Chunk>): boolean {
  const buf = Buffer.allocUnsafe(CHUNK);
  let used = 0;
  for (const chunk of chunks) {
    if (typeof chunk !== 'string') {
      // Bytes are written as they are, after whatever text came before them.
      if (used > 0 && !writeBufferSync(fd, buf.subarray(0, used))) return false;
      used = 0;
      if (!writeBufferSync(fd, chunk)) return false;
      continue;
    }
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (used + chunk.length * 3 > CHUNK) {
      if (used > 0 && !writeBufferSync(fd, buf.subarray(0, used))) return false;
      used = 0;
      if (chunk.length * 3 > CHUNK) {
        if (!writeAllSync(fd, chunk)) return false;
        continue;
      }
    }
    used += buf.write(chunk, used, 'utf8');
  }
  return used === 0 || writeBufferSync(fd, buf.subarray(0, used));
}
