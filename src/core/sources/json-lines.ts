import type { PaperRecord } from '../paper.js';
import { parseJsonLine } from './parse-corpus-jsonl.js';

const NEWLINE = 0x0a;

/** A warning about one line; `skipped` when the line stored nothing. */
export interface LineWarning {
  text: string;
  skipped: boolean;
}

/** The records of up to one transaction's worth of lines, and the warnings met on the way. */
export interface LineBatch {
  records: PaperRecord[];
  /** Warnings of the lines read since the previous batch, in line order. */
  warnings: LineWarning[];
  /** Bytes of the file read when the batch was cut (compressed bytes for gzip). */
  bytesRead: number;
}

/**
 * Cuts byte chunks of JSON Lines (Paperboy's or the arXiv snapshot, mixed or not) into lines
 * and parses each, handing out a batch every `batchSize` records. Lines are cut from the
 * bytes and decoded one by one: an ASCII line stays a one-byte string (JSON.parse reads those
 * fastest) and no chunk-sized string is ever built.
 */
export class JsonLinesReader {
  private records: PaperRecord[] = [];
  private warnings: LineWarning[] = [];
  private lineNumber = 0;
  private rest: Buffer | null = null;
  private ready: LineBatch[] = [];

  constructor(
    private readonly fetchedAt: string,
    private readonly batchSize: number,
  ) {}

  /** Reads the complete lines of `chunk`; returns the batches they filled (usually none). */
  push(chunk: Buffer, bytesRead: number): LineBatch[] {
    let start = 0;
    let end = chunk.indexOf(NEWLINE);
    if (this.rest) {
      if (end === -1) {
        this.rest = Buffer.concat([this.rest, chunk]);
        return this.take();
      }
      this.readLine(Buffer.concat([this.rest, chunk.subarray(0, end)]).toString('utf8'), bytesRead);
      this.rest = null;
      start = end + 1;
      end = chunk.indexOf(NEWLINE, start);
    }
    for (; end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      this.readLine(chunk.toString('utf8', start, end), bytesRead);
      start = end + 1;
    }
    if (start < chunk.length) this.rest = Buffer.from(chunk.subarray(start));
    return this.take();
  }

  /** The last line (when the file does not end with a newline) and the last, partial batch. */
  end(bytesRead: number): LineBatch {
    if (this.rest) this.readLine(this.rest.toString('utf8'), bytesRead);
    this.rest = null;
    const last = { records: this.records, warnings: this.warnings, bytesRead };
    this.records = [];
    this.warnings = [];
    return last;
  }

  private take(): LineBatch[] {
    if (this.ready.length === 0) return this.ready;
    const ready = this.ready;
    this.ready = [];
    return ready;
  }

  private readLine(text: string, bytesRead: number): void {
    this.lineNumber++;
    const line = this.lineNumber === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) return;
    const parsed = parseJsonLine(line, this.lineNumber, this.fetchedAt);
    for (const text of parsed.warnings) {
      this.warnings.push({ text, skipped: parsed.record === null });
    }
    if (!parsed.record) return;
    this.records.push(parsed.record);
    if (this.records.length >= this.batchSize) {
      this.ready.push({ records: this.records, warnings: this.warnings, bytesRead });
      this.records = [];
      this.warnings = [];
    }
  }
}
