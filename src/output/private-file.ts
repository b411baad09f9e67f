/**
 * The one place --out writes a file: created new (never over an existing file or through a
 * link), mode 0600 because reports are about children, and hashed as it is written so the
 * manifest can say what each file holds. When output-trust's safe writer lands, it goes here.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { type Chunk, writeChunksSync } from './fd.js';

export interface Written {
  bytes: number;
  sha256: string;
}

export function writePrivateFile(path: string, chunks: Iterable<Chunk>): Written {
  const hash = createHash('sha256');
  let bytes = 0;
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeChunksSync(
      fd,
      (function* () {
        for (const c of chunks) {
          if (typeof c === 'string') hash.update(c, 'utf8');
          else hash.update(c);
          bytes += typeof c === 'string' ? Buffer.byteLength(c, 'utf8') : c.byteLength;
          yield c;
        }
      })(),
    );
  } finally {
    closeSync(fd);
  }
  return { bytes, sha256: hash.digest('hex') };
}
