import type { Database, Statement } from 'better-sqlite3';
import { lastChangeSeq } from './archive.js';
import { tokenise } from './text.js';

/** Time a slice may take: a common word's vocabulary row reads its whole doclist. */
const SLICE_MS = 8;

interface PaperText {
  seq: number;
  title: string;
  authors: string;
  abstract: string;
}

const CHANGED_SQL =
  'SELECT change_seq AS seq, title, authors, abstract FROM papers WHERE change_seq > ? ORDER BY change_seq';

/**
 * The distinct words of rows changed in (from, to]: run by the archive worker after it
 * indexes them, so the event loop only merges the result (tokenising 500 abstracts took
 * ~90 ms of the main thread's CPU).
 */
export function wordsOfRows(db: Database, from: number, to: number): string[] {
  const words = new Set<string>();
  for (const r of db.prepare(CHANGED_SQL).iterate(from) as IterableIterator<PaperText>) {
    if (r.seq > to) break;
    for (const word of tokenise(`${r.title} ${r.authors} ${r.abstract}`)) words.add(word);
  }
  return [...words];
}

/**
 * Every word the archive holds, in memory once loaded in the background. A typo's ~600
 * candidate spellings are checked here (microseconds) before the few that exist meet SQLite
 * for their document counts; each probe of fts5vocab costs tens of µs, 600 of them ms.
 */
export class KnownTerms {
  private terms: Set<string> | null = null;
  private loading = new Set<string>();
  private lastLoaded: string | null = null;
  /** Rows changed after this change_seq may hold words not absorbed yet. */
  private absorbedSeq: number;
  private readonly page: Statement;
  private readonly changed: Statement;

  /** `indexedSeq`: the archive's sync point; rows at or below it are in the vocabulary. */
  constructor(
    private readonly db: Database,
    private readonly indexedSeq: () => number,
  ) {
    this.page = db
      .prepare('SELECT term FROM papers_words_vocab WHERE term > ? ORDER BY term')
      .pluck();
    this.changed = db.prepare(CHANGED_SQL);
    // Words of rows written from here on are absorbed from the rows themselves.
    this.absorbedSeq = lastChangeSeq(this.db);
  }

  /** Loaded and holding the words of every row written so far: safe to rule words out. */
  get ready(): boolean {
    return this.terms !== null && this.absorbedSeq >= lastChangeSeq(this.db);
  }

  has(word: string): boolean {
    return this.terms?.has(word) ?? false;
  }

  /** Loads the vocabulary for about SLICE_MS; true once every term is in. */
  loadSlice(): boolean {
    if (this.terms) return true;
    if (this.lastLoaded === null) {
      // Every row indexed when the reading starts is in what it reads: none is re-tokenised.
      this.absorbedSeq = Math.max(this.absorbedSeq, this.indexedSeq());
      this.lastLoaded = '';
    }
    const until = performance.now() + SLICE_MS;
    let done = true;
    for (const term of this.page.iterate(this.lastLoaded) as IterableIterator<string>) {
      this.loading.add(term);
      this.lastLoaded = term;
      if (performance.now() > until) {
        done = false;
        break;
      }
    }
    if (done) this.terms = this.loading;
    return done;
  }

  /**
   * Takes the words of rows in (from, to], tokenised elsewhere (`wordsOfRows`). Rows before
   * `from` not absorbed yet are still read by `absorb`.
   */
  addWords(words: string[], from: number, to: number): void {
    for (const word of words) this.loading.add(word);
    if (this.absorbedSeq >= from) this.absorbedSeq = Math.max(this.absorbedSeq, to);
  }

  /** Forgets every word, to read them again from the vocabulary: cheaper after a bulk import. */
  reload(): void {
    this.terms = null;
    this.loading = new Set();
    this.lastLoaded = null;
  }

  /** Adds the words of rows written since the last call, for about SLICE_MS; returns rows read. */
  absorb(): number {
    const until = performance.now() + SLICE_MS;
    let read = 0;
    for (const r of this.changed.iterate(this.absorbedSeq) as IterableIterator<PaperText>) {
      for (const word of tokenise(`${r.title} ${r.authors} ${r.abstract}`)) this.loading.add(word);
      this.absorbedSeq = r.seq;
      read++;
      if (performance.now() > until) break;
    }
    return read;
  }
}
