import { PaperboyError } from '../errors.js';
import type { PaperRecord } from '../paper.js';
import { cleanFeedText } from '../text/clean-text.js';
import { calendarDay, entryLabel, monthNumber, type ParseResult } from './parse-result.js';

export interface DailyPapersPageOptions {
  /** The day the page was captured (`YYYY-MM-DD`); year-less dates are resolved against it. */
  referenceDate: string;
}

// Lines of a paper's metadata block: `  • 9 authors`, `·`, `Feb 20, 2024` or `Mar 27`, each
// date optionally followed by the upvote count (`Sep 29, 2024 2`).
const AUTHORS_LINE = /^\s*•\s*(\d+)\s+authors?\s*$/i;
const DOT_LINE = /^\s*·\s*$/;
const DATE_LINE =
  /^\s*((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*)\.?\s+(\d{1,2})(?:,\s*(\d{4}))?(?:\s+(\d+))?\s*$/;
const PAGE_TITLE = 'Daily Papers';
// How many paragraphs to search for the header: a browser also copies the banner above it.
const HEADER_SCAN = 12;

/**
 * Reads the text a browser copies from a Hugging Face Daily Papers page: a header, then per
 * paper a title line, a blank line, the abstract, and usually a metadata block (author count,
 * `·`, date and upvotes). The page has no ids, links or author names.
 */
export function parseDailyPapersPage(text: string, options: DailyPapersPageOptions): ParseResult {
  const reference = readReferenceDate(options.referenceDate);
  const blocks = paragraphsOf(text);
  const start = listStart(blocks);
  if (/^\uFEFF?\s*[<[{]/.test(text)) {
    throw new PaperboyError(
      'FEED_NOT_RECOGNISED',
      'Not a Daily Papers page: the input is XML or JSON',
    );
  }
  if (start === 0 && !blocks.some(isMetadata)) {
    throw new PaperboyError(
      'FEED_NOT_RECOGNISED',
      'Not a Daily Papers page: no "Daily Papers" header and no "• N authors" lines',
    );
  }
  const observedAt = `${options.referenceDate}T00:00:00.000Z`;
  const papers: PaperRecord[] = [];
  const warnings: string[] = [];

  let i = start;
  while (i < blocks.length) {
    const index = papers.length;
    const titleBlock = blocks[i]!;
    if (isMetadata(titleBlock)) {
      warnings.push(
        `${entryLabel('block', i)}: skipped, metadata lines without a title before them`,
      );
      i += 1;
      continue;
    }
    const title = cleanFeedText(titleBlock.join(' '));
    i += 1;
    let abstract = '';
    const next = blocks[i];
    if (next && !isMetadata(next)) {
      abstract = cleanFeedText(next.join(' '));
      i += 1;
    }
    const record = emptyRecord(title, abstract, observedAt);
    const meta = blocks[i];
    if (meta && isMetadata(meta)) {
      i += 1;
      const problem = readMetadata(meta, record, reference);
      if (problem) warnings.push(`${entryLabel('paper', index, title)}: ${problem}`);
    }
    papers.push(record);
  }
  return { papers, warnings };
}

function readReferenceDate(value: string): { year: number; day: string } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const day = match ? calendarDay(Number(match[1]), Number(match[2]), Number(match[3])) : null;
  if (!match || !day) {
    throw new PaperboyError(
      'INPUT_INVALID',
      `referenceDate must be a day YYYY-MM-DD, got "${value}"`,
    );
  }
  return { year: Number(match[1]), day };
}

/** Non-blank lines grouped by the blank lines between them. */
function paragraphsOf(text: string): string[][] {
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (line.trim() === '') {
      if (current.length > 0) blocks.push(current);
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

/**
 * Index of the first paper: after the "Daily Papers" header, its byline and the page date.
 * Without a header (a copy of the list alone) the list starts at once.
 */
function listStart(blocks: string[][]): number {
  const limit = Math.min(blocks.length, HEADER_SCAN);
  for (let i = 0; i < limit; i += 1) {
    if (isMetadata(blocks[i]!)) return 0;
    if (blocks[i]!.length === 1 && blocks[i]![0]!.trim() === PAGE_TITLE) {
      let next = i + 1;
      if (/^by\s*AK\b/i.test(blocks[next]?.[0]?.trim() ?? '')) next += 1;
      if (blocks[next]?.length === 1 && DATE_LINE.test(blocks[next]![0]!)) next += 1;
      return next;
    }
  }
  return 0;
}

/** A block of metadata lines; a lone date line is not one (it could be a short title). */
function isMetadata(block: string[]): boolean {
  const allMetadata = block.every(
    (line) => AUTHORS_LINE.test(line) || DOT_LINE.test(line) || DATE_LINE.test(line),
  );
  return allMetadata && block.some((line) => AUTHORS_LINE.test(line) || DOT_LINE.test(line));
}

function emptyRecord(title: string, abstract: string, observedAt: string): PaperRecord {
  return {
    arxivId: null,
    version: null,
    title,
    abstract,
    authors: [],
    authorCount: null,
    publishedAt: null,
    source: 'hf-page',
    links: {},
    upvotes: null,
    comments: null,
    keywords: [],
    categories: [],
    comment: null,
    observedAt,
  };
}

/** Fills the record from its metadata block; returns what could not be read, if anything. */
function readMetadata(
  block: string[],
  record: PaperRecord,
  reference: { year: number; day: string },
): string | null {
  for (const line of block) {
    const authors = AUTHORS_LINE.exec(line);
    if (authors) {
      record.authorCount = Number(authors[1]);
      continue;
    }
    const date = DATE_LINE.exec(line);
    if (!date) continue;
    const day = resolveDay(date[1]!, Number(date[2]), date[3], reference);
    if (!day) return `date "${line.trim()}" is not a calendar day, left unknown`;
    record.publishedAt = day;
    if (date[4] !== undefined) record.upvotes = Number(date[4]);
  }
  return null;
}

/** A year-less date is the reference year's, unless that would be after the reference day. */
function resolveDay(
  monthName: string,
  day: number,
  yearText: string | undefined,
  reference: { year: number; day: string },
): string | null {
  const month = monthNumber(monthName);
  if (!month) return null;
  if (yearText) return calendarDay(Number(yearText), month, day);
  const sameYear = calendarDay(reference.year, month, day);
  if (sameYear && sameYear <= reference.day) return sameYear;
  return calendarDay(reference.year - 1, month, day);
}
