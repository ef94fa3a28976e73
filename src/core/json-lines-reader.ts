import {
  type JsonLinesOptions,
  type LastBatch,
  type LineBatch,
  type LineWarning,
  type ReaderState,
  unknownKeyWarnings,
} from './json-lines-batch.js';
import { parseJsonLine } from './sources/parse-corpus-jsonl.js';
import { UnknownFields } from './sources/parse-result.js';
import { badBytesAt, isValidUtf8 } from './sources/text-encoding.js';
import { type PreparedPaper, preparePaper } from './store/prepared-paper.js';

const NEWLINE = 0x0a;
/** The longest JSON Lines line read (the real snapshot's longest is well under 100 KB). */
export const LINE_CAP = 1024 * 1024;

const overlongText = () =>
  `skipped, longer than the ${LINE_CAP / 1024 / 1024} MB line cap (not read into memory)`;

/** Lines being collected unparsed for the writer, and what the reading owed before them. */
interface Handing {
  pieces: Buffer[];
  lines: number;
  lineNumber: number;
  warnings: LineWarning[];
}

/**
 * Cuts JSON Lines bytes into lines and lines into batches of prepared papers, with every
 * bad line named by its number. Lines are cut from the bytes and decoded one by one: an ASCII
 * line stays a one-byte string (JSON.parse reads those fastest) and no chunk-sized string is
 * ever built; a line is never held beyond LINE_CAP. The same on either thread.
 */
export class JsonLinesReader {
  private papers: PreparedPaper[] = [];
  private warnings: LineWarning[] = [];
  private readonly ready: LineBatch[] = [];
  private lineNumber = 0;
  private readonly unknownKeys: UnknownFields;
  /** Decompressed bytes pushed so far, and where the line being read starts. */
  private pushed = 0;
  private lineStart = 0;
  // The bytes of a line still open at the end of a chunk; past LINE_CAP they are dropped
  // and the line is only counted.
  private rest: Buffer[] = [];
  private restBytes = 0;
  private overlong = false;
  private lastBytesRead = 0;
  private handing: Handing | null = null;
  /**
   * Asked before each line (numbered from 1) is parsed: true ends the batch there and hands
   * the next lines (a quarter batch) to the writer unparsed. The parsing thread says yes when
   * the writer waits for a batch: parsing costs more than writing, and whole batches handed
   * over would leave the parsing thread waiting instead.
   */
  handOffWhen: ((lineNumber: number) => boolean) | null = null;
  /** Lines handed over at a time: a quarter of a batch. */
  private readonly handOffLines: number;
  /** Papers per batch handed on (`postEvery`, else the batch size). */
  private readonly postEvery: number;
  /**
   * Papers that end the current batch. Going on from another reader's part batch, the first
   * ends at the next whole multiple of `postEvery`: the parsing thread posts parts of the
   * writer's batches, and they must end where its transactions do.
   */
  private batchEnd: number;

  /** Reads from the file's start, or from where another reader stopped (`handOver`). */
  constructor(
    private readonly options: JsonLinesOptions,
    from?: ReaderState,
  ) {
    this.unknownKeys = new UnknownFields(from?.unknownKeys);
    this.handOffLines = Math.max(1, options.batchSize / 4);
    this.postEvery = options.postEvery ?? options.batchSize;
    const gathered = from?.papers.length ?? 0;
    this.batchEnd = (Math.floor(gathered / this.postEvery) + 1) * this.postEvery;
    if (from) {
      this.pushed = from.offset;
      this.lineStart = from.offset;
      this.lineNumber = from.lineNumber;
      this.papers = from.papers;
      this.warnings = from.warnings;
    }
  }

  /**
   * Stops reading after the last chunk pushed: what another reader needs to go on from the
   * start of the line this one had not read whole. Call between pushes, never after `end`.
   */
  handOver(): ReaderState {
    this.finishHanding();
    const state: ReaderState = {
      offset: this.lineStart,
      lineNumber: this.lineNumber,
      papers: this.papers,
      warnings: this.warnings,
      unknownKeys: this.unknownKeys.entries(),
    };
    this.papers = [];
    this.warnings = [];
    return state;
  }

  /** Reads a chunk; returns the batches it completed (usually none or one). */
  push(chunk: Buffer, bytesRead: number): LineBatch[] {
    const chunkStart = this.pushed;
    this.pushed += chunk.length;
    this.lastBytesRead = bytesRead;
    let start = 0;
    let end = chunk.indexOf(NEWLINE);
    if (this.restBytes > 0 || this.overlong) {
      if (end === -1) {
        this.keep(chunk);
        return this.takeReady();
      }
      this.keep(chunk.subarray(0, end));
      this.finishRest(false, bytesRead);
      start = end + 1;
      end = chunk.indexOf(NEWLINE, start);
    }
    for (; end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      if (end - start > LINE_CAP) {
        this.lineNumber++;
        this.warn(`line ${this.lineNumber}: ${overlongText()}`, true);
      } else this.readLine(chunk, start, end, false, bytesRead);
      start = end + 1;
    }
    if (start > 0) this.lineStart = chunkStart + start;
    if (start < chunk.length) this.keep(chunk.subarray(start));
    return this.takeReady();
  }

  /** A warning that belongs between the lines read so far and the next (a cut-off gzip). */
  warn(text: string, skipped: boolean): void {
    // Said after the lines handed over so far, as it arose.
    this.finishHanding();
    this.warnings.push([text, skipped, this.papers.length]);
  }

  /** The file ended: the last line (maybe without a newline), the last batch, unknown keys. */
  end(bytesRead: number): { batches: LineBatch[]; last: LastBatch } {
    this.lastBytesRead = bytesRead;
    this.finishHanding();
    this.finishRest(true, bytesRead);
    const unknownKeys = this.unknownKeys.entries();
    const last: LastBatch = {
      papers: this.papers,
      warnings: this.warnings,
      bytesRead,
      unknownFields: unknownKeyWarnings(unknownKeys),
      unknownKeys,
    };
    this.papers = [];
    this.warnings = [];
    return { batches: this.takeReady(), last };
  }

  private takeReady(): LineBatch[] {
    return this.ready.length === 0 ? [] : this.ready.splice(0);
  }

  private keep(piece: Buffer): void {
    if (this.overlong || piece.length === 0) return;
    if (this.restBytes + piece.length > LINE_CAP) {
      this.overlong = true;
      this.rest = [];
      this.restBytes = 0;
      return;
    }
    this.rest.push(Buffer.from(piece));
    this.restBytes += piece.length;
  }

  private finishRest(last: boolean, bytesRead: number): void {
    if (this.overlong) {
      this.lineNumber++;
      this.warn(`line ${this.lineNumber}: ${overlongText()}`, true);
      this.overlong = false;
    } else if (this.rest.length > 0) {
      const bytes = this.rest.length === 1 ? (this.rest[0] as Buffer) : Buffer.concat(this.rest);
      this.readLine(bytes, 0, bytes.length, last, bytesRead);
    }
    this.rest = [];
    this.restBytes = 0;
  }

  private readLine(bytes: Buffer, start: number, end: number, last: boolean, bytesRead: number) {
    // The last line (maybe cut off) is always read here: only this reader knows it is last.
    if (!last && this.handsOff()) {
      this.handLine(bytes.subarray(start, end));
      return;
    }
    const lineNumber = ++this.lineNumber;
    const text = bytes.toString('utf8', start, end);
    const line = lineNumber === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) return;
    // U+FFFD is how bad bytes decode; only then is the line checked (a real U+FFFD is fine).
    if (line.includes('\uFFFD') && !isValidUtf8(bytes.subarray(start, end))) {
      const { detail } = badBytesAt(bytes.subarray(start, end));
      this.warn(`line ${lineNumber}: skipped, it is not valid UTF-8 (${detail})`, true);
      return;
    }
    const parsed = parseJsonLine(line, lineNumber, this.options.fetchedAt);
    if (last && parsed.kind === null) {
      // The last line, with no newline after it, that is not JSON: the file was cut off.
      this.warn(
        `line ${lineNumber}: skipped, the file ends in the middle of this line (cut off?); ` +
          `the ${lineNumber - 1} lines before it were read`,
        true,
      );
      return;
    }
    for (const warning of parsed.warnings) this.warn(warning, parsed.record === null);
    if (parsed.unknownKeys) this.unknownKeys.add(parsed.unknownKeys, lineNumber);
    if (!parsed.record) return;
    if (this.options.sample) parsed.record.sample = true;
    this.papers.push(preparePaper(parsed.record));
    if (this.papers.length >= this.batchEnd) {
      this.ready.push({ papers: this.papers, warnings: this.warnings, bytesRead });
      this.papers = [];
      this.warnings = [];
      this.batchEnd = this.postEvery;
    }
  }

  /** Whether this line goes to the writer unparsed (`handOffWhen`). */
  private handsOff(): boolean {
    if (this.handing) return true;
    if (!this.handOffWhen?.(this.lineNumber + 1)) return false;
    if (this.papers.length > 0) {
      this.ready.push({
        papers: this.papers,
        warnings: this.warnings,
        bytesRead: this.lastBytesRead,
      });
      this.papers = [];
      this.warnings = [];
      this.batchEnd = this.postEvery;
    }
    this.handing = { pieces: [], lines: 0, lineNumber: this.lineNumber, warnings: this.warnings };
    this.warnings = [];
    return true;
  }

  private handLine(line: Buffer): void {
    const handing = this.handing as Handing;
    this.lineNumber++;
    handing.pieces.push(line, NEWLINE_BYTE);
    if (++handing.lines >= this.handOffLines) this.finishHanding();
  }

  /** The lines collected for the writer, as a batch in line order (none when there are none). */
  private finishHanding(): void {
    const handing = this.handing;
    if (!handing) return;
    this.handing = null;
    const unparsed = { bytes: Buffer.concat(handing.pieces), lineNumber: handing.lineNumber };
    const bytesRead = this.lastBytesRead;
    this.ready.push({ papers: [], warnings: handing.warnings, bytesRead, unparsed });
  }
}

const NEWLINE_BYTE = Buffer.from('\n');
