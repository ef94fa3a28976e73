// What an import did, counted as it goes: papers new, updated, unchanged; warnings, the first
// ones kept; the fields no parser reads.
import { GZIP_CUT_OFF } from './file-bytes.js';
import type { FeedFormat } from './sources/detect-format.js';
import type { UpsertSummary } from './store/store.js';

/** Warnings kept word for word in the summary; the rest are counted. */
const WARNINGS_KEPT = 100;

export interface IngestSummary {
  format: FeedFormat;
  gzip: boolean;
  added: number;
  updated: number;
  unchanged: number;
  /** Entries not stored: unreadable ones and replacements of papers not stored. */
  skipped: number;
  /** `replace` entries of papers not stored (a new version of an unknown paper is not new). */
  skippedReplacements: number;
  /** Every warning: skipped entries and fields not understood. */
  warningCount: number;
  /** The first warnings, naming the entry or line. */
  warnings: string[];
  /** Warnings beyond those kept in `warnings`. */
  moreWarnings: number;
  /**
   * Elements or keys of items that no parser reads, one line per name for the whole file
   * (also counted in `warningCount`): always all of them, however many other warnings.
   */
  unknownFields: string[];
  /** The gzip data ended early (one of the warnings; what came before was read). */
  cutOff: boolean;
}

/** The counts of an import so far, and every warning passed on as it arises. */
export class IngestTally {
  readonly counts: Omit<IngestSummary, 'format' | 'gzip'> = {
    added: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    skippedReplacements: 0,
    warningCount: 0,
    warnings: [],
    moreWarnings: 0,
    unknownFields: [],
    cutOff: false,
  };

  constructor(private readonly onWarning?: (warning: string) => void) {}

  warn(warning: string, skipped: boolean): void {
    const c = this.counts;
    if (skipped) c.skipped++;
    if (warning === GZIP_CUT_OFF) c.cutOff = true;
    c.warningCount++;
    if (c.warnings.length < WARNINGS_KEPT) c.warnings.push(warning);
    else c.moreWarnings++;
    this.onWarning?.(warning);
  }

  /** A field no parser reads (one line per name for the whole file): always kept. */
  unknownField(warning: string): void {
    this.counts.unknownFields.push(warning);
    this.counts.warningCount++;
    this.onWarning?.(warning);
  }

  /** What one committed batch did. */
  count(result: UpsertSummary): void {
    this.counts.added += result.added.length;
    this.counts.updated += result.updated.length;
    this.counts.unchanged += result.unchanged;
    for (const id of result.skippedReplacements) {
      this.counts.skippedReplacements++;
      this.warn(`${id}: skipped, a replacement (new version) of a paper not stored`, true);
    }
  }
}
