// The batches of a JSON Lines file for the writer: read here until the parsing thread is ready,
// then from the thread, which takes the reading over where this reader stopped.
import { GZIP_CUT_OFF } from './file-bytes.js';
import type { JsonLinesOptions, LastBatch, LineBatch, ReaderState } from './json-lines-batch.js';
import type { JsonLinesReader } from './json-lines-reader.js';
import { type HandOff, ParsingThread } from './json-lines-thread.js';

export interface JsonLinesInput {
  file: string;
  /** The open file `chunks` reads; the thread reads on from it (see `JsonLinesJob.fd`). */
  fd: number;
  gzip: boolean;
  options: JsonLinesOptions;
  /** The chunks already read (the head, for detection), then the rest of the file. */
  head: Buffer[];
  chunks: AsyncGenerator<Buffer>;
  /** Bytes of the file read so far, as counted by whoever reads `chunks`. */
  bytesRead: () => number;
  /** Reads the chunks here (its warnings go where the caller's cut-off warning goes). */
  reader: JsonLinesReader;
  /** Start a parsing thread that takes the reading over. */
  thread: boolean;
  /**
   * Read here until this many bytes, then wait for the thread and hand over (default: hand
   * over whenever it is ready). 0 makes the thread read the whole file; tests fix the point.
   */
  handOverAfter?: number;
  /** When the thread hands lines over unparsed (default: when the writer waits). */
  handOff?: HandOff;
  /**
   * The gzip data was cut off before the reading started (a small file read whole to detect
   * its format): said after the last whole line, when this thread reads to the end.
   */
  cutOffBeforeEnd?: () => boolean;
}

/**
 * The batches of a JSON Lines file, then its last batch. They are read here while the
 * parsing thread (if asked for) starts up; it takes the reading over at a chunk's end once it
 * is ready. The thread ends with the batches, or when the caller stops taking them.
 */
export async function* jsonLinesBatches(
  input: JsonLinesInput,
): AsyncGenerator<LineBatch, LastBatch> {
  const { reader } = input;
  const thread = input.thread
    ? new ParsingThread({
        file: input.file,
        fd: input.fd,
        gzip: input.gzip,
        ...input.options,
        ...(input.handOff ? { handOff: input.handOff } : {}),
      })
    : null;
  try {
    let from: ReaderState | null = null;
    const handOver = async () => {
      if (!thread) return false;
      const after = input.handOverAfter;
      if (after === undefined ? thread.ready : input.bytesRead() >= after) {
        await thread.whenReady();
        from = reader.handOver();
      }
      return from !== null;
    };
    if (!(await handOver())) {
      for (const chunk of input.head) {
        yield* reader.push(chunk, input.bytesRead());
        if (await handOver()) break;
      }
    }
    if (!from) {
      for await (const chunk of input.chunks) {
        yield* reader.push(chunk, input.bytesRead());
        if (await handOver()) break;
      }
    }
    if (thread && from) {
      await input.chunks.return(undefined);
      return yield* thread.batches(from);
    }
    if (input.cutOffBeforeEnd?.()) reader.warn(GZIP_CUT_OFF, false);
    const end = reader.end(input.bytesRead());
    yield* end.batches;
    return end.last;
  } finally {
    // Also when the caller stopped taking batches: the file is closed, and the thread (which
    // may still be starting up) ends.
    await input.chunks.return(undefined);
    await thread?.stop();
  }
}
