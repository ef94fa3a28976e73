import type { PaperRecord } from '../paper.js';

/** What every feed parser returns: the papers it could read, and why it skipped the rest. */
export interface ParseResult {
  papers: PaperRecord[];
  /** One line per skipped entry or ignored field, naming the entry (title or position). */
  warnings: string[];
  /** One line per element or key of items that no parser reads, for the whole input. */
  unknownFields?: string[];
}

/** Every warning of a parse, the fields not understood included (for a fetch's report). */
export function allWarnings(result: ParseResult): string[] {
  return result.unknownFields?.length
    ? [...result.warnings, ...result.unknownFields]
    : result.warnings;
}

/**
 * Fields of items that no parser reads, counted per name over a whole file: one warning per
 * name ("not understood, ignored, in 12 items, first item 3"), never one per item, never none.
 */
export class UnknownFields {
  private readonly seen: Map<string, { count: number; first: number }>;

  /** Optionally continuing the counts another reader took so far (`entries()`). */
  constructor(entries: [string, { count: number; first: number }][] = []) {
    this.seen = new Map(entries);
  }

  /** The counts so far, as plain data (to hand over to another thread). */
  entries(): [string, { count: number; first: number }][] {
    return [...this.seen];
  }

  /** Records the names not in `known` that an item at 1-based `position` has. */
  check(names: Iterable<string>, known: ReadonlySet<string>, position: number): void {
    const unknown: string[] = [];
    for (const name of names) if (!known.has(name)) unknown.push(name);
    if (unknown.length > 0) this.add(unknown, position);
  }

  /** Adds the counts another reader of the same input took (`entries()`). */
  merge(entries: [string, { count: number; first: number }][]): void {
    for (const [name, { count, first }] of entries) {
      const entry = this.seen.get(name);
      if (entry) {
        entry.count += count;
        entry.first = Math.min(entry.first, first);
      } else this.seen.set(name, { count, first });
    }
  }

  add(names: Iterable<string>, position: number): void {
    for (const name of names) {
      const entry = this.seen.get(name);
      if (entry) entry.count++;
      else this.seen.set(name, { count: 1, first: position });
    }
  }

  /** `{ unknownFields }` for a ParseResult, or `{}` when every field was understood. */
  fields(kind: string, describe: (name: string) => string): { unknownFields?: string[] } {
    return this.seen.size > 0 ? { unknownFields: this.warnings(kind, describe) } : {};
  }

  /** One warning per name: `<entry> element <foo> not understood, ignored (in 3 entries, first entry 1)`. */
  warnings(kind: string, describe: (name: string) => string): string[] {
    return [...this.seen].map(
      ([name, { count, first }]) =>
        `${describe(name)} not understood, ignored (in ${count} ${count === 1 ? kind : `${kind}s`}, first ${kind} ${first})`,
    );
  }
}

/** The element names of an XML item (attributes, text and namespace declarations are not fields). */
export function elementNames(node: Record<string, unknown>): string[] {
  return Object.keys(node).filter((key) => !key.startsWith('@_') && !key.startsWith('#'));
}

/** `<kind> <n>[ "<title>"]: skipped, …`: a warning about an entry not stored (the title may hold any word). */
const SKIP_WARNING = /^[\w-]+ \d+(?: ".*?")?: skipped,/;

/** Whether a parser's warning says an entry was skipped, not a field of a stored one. */
export function isSkipWarning(warning: string): boolean {
  return SKIP_WARNING.test(warning);
}

/** Names an entry in a warning: its title when it has one, else its 1-based position. */
export function entryLabel(kind: string, index: number, title?: string | null): string {
  const shown = title ? title.replace(/\s+/g, ' ').trim() : '';
  if (!shown) return `${kind} ${index + 1}`;
  return `${kind} ${index + 1} "${shown.length > 80 ? `${shown.slice(0, 77)}...` : shown}"`;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** Month number (1–12) of an English month name or its first three letters, else null. */
export function monthNumber(name: string): number | null {
  return MONTHS[name.slice(0, 3).toLowerCase()] ?? null;
}

/** `YYYY-MM-DD` when the parts make a real calendar day, else null. */
export function calendarDay(year: number, month: number, day: number): string | null {
  // Checked by arithmetic, not a Date: this runs for every line of a bulk import.
  if (!Number.isInteger(year) || year < 1 || year > 9999 || month < 1 || month > 12) return null;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (!Number.isInteger(day) || day < 1 || day > days) return null;
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** The calendar day of an ISO timestamp or day (`2024-10-16T02:20:57Z` → `2024-10-16`). */
export function isoDay(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(value.trim());
  if (!match) return null;
  return calendarDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * The day an RFC 822 date names as written (`Fri, 18 Oct 2024 00:00:00 -0400` → `2024-10-18`):
 * the listing day in arXiv's own time zone, not shifted into UTC. A two-digit year (RFC 822's
 * own form, allowed by RSS 2.0) is read as RFC 2822 reads it: 00–49 → 20xx, 50–99 → 19xx.
 */
export function rfc822Day(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /(\d{1,2})\s+([A-Za-z]{3,})\s+(\d{4}|\d{2})(?!\d)/.exec(value);
  if (!match) return null;
  const month = monthNumber(match[2]!);
  let year = Number(match[3]);
  if (match[3]!.length === 2) year += year < 50 ? 2000 : 1900;
  return month ? calendarDay(year, month, Number(match[1])) : null;
}

/** The day a feed item's date names: RFC 822 (RSS's own form) or ISO 8601 (common in saved feeds). */
export function feedDay(value: unknown): string | null {
  return rfc822Day(value) ?? isoDay(value);
}

/** An ISO timestamp for a date string any of the feeds use, or null. */
export function isoTimestamp(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** Non-empty values, first occurrence kept, in order. */
export function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => v.length > 0))];
}
