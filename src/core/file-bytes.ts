import { createReadStream, read, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { PaperboyError } from './errors.js';

/** Said, among the line warnings, where a gzip download was cut off. */
export const GZIP_CUT_OFF =
  'the gzip data ends early (the download was cut off?): what came before was read';

/** Whether the open file starts with gzip's magic bytes (whatever it is called). */
export function isGzip(fd: number): boolean {
  const magic = Buffer.alloc(2);
  return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
}

/** Reads an open file by position and leaves closing it to whoever opened it. */
const KEEP_OPEN = { read, close: (_fd: number, done: (error: null) => void) => done(null) };

/**
 * Byte chunks of `file`, open as `fd` (gunzipped when it is gzip), counting raw bytes read,
 * from byte `start` of the content (of the gunzipped data for gzip, which is read from its
 * start). Reads by position, never closes `fd`, and has no read pending once it ends: the
 * opener may close it then, and threads may read the same open file side by side.
 */
export async function* byteChunks(
  file: string,
  fd: number,
  gzip: boolean,
  onBytes: (n: number) => void,
  onCutOff: () => void,
  start = 0,
): AsyncGenerator<Buffer> {
  const raw = createReadStream(file, {
    fd,
    fs: KEEP_OPEN,
    highWaterMark: 256 * 1024,
    start: gzip ? 0 : start,
  });
  if (!gzip) onBytes(start);
  let skip = gzip ? start : 0;
  let stream: Readable = raw;
  if (gzip) {
    const gunzip = createGunzip();
    raw.on('data', (chunk) => onBytes(chunk.length));
    raw.on('error', (error) => gunzip.destroy(error));
    stream = raw.pipe(gunzip);
  }
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (!gzip) onBytes(chunk.length);
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      yield skip > 0 ? chunk.subarray(skip) : chunk;
      skip = 0;
    }
  } catch (error) {
    // A download that stopped half-way: what was decompressed is read, as for a cut-off
    // plain file (the caller warns about the last, partial line), and the cut is said.
    if ((error as { code?: string }).code === 'Z_BUF_ERROR') {
      onCutOff();
      return;
    }
    if ((error as { code?: string }).code?.startsWith('Z_')) {
      throw new PaperboyError(
        'FEED_MALFORMED',
        `${file}: the gzip data is damaged (${(error as Error).message})`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    raw.destroy();
    // A read still pending ends first (the stream says `close` then).
    if (!raw.closed) await new Promise<void>((resolve) => raw.once('close', () => resolve()));
  }
}
