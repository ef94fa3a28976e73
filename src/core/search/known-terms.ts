import type { Database, Statement } from 'better-sqlite3';
import { tokenise } from './text.js';

/** Time a slice may take: a common word's vocabulary row reads its whole doclist. */
const SLICE_MS = 8;

/**
 * Every word the archive holds, in memory once loaded in the background. A typo's ~600
 * candidate spellings are checked here (microseconds) before the few that exist meet SQLite
 * for their document counts; each probe of fts5vocab costs tens of µs, 600 of them ms.
 */
export class KnownTerms {
  private terms: Set<string> | null = null;
  private readonly loading = new Set<string>();
  private lastLoaded = '';
  /** Rows changed after this change_seq may hold words not absorbed yet. */
  private absorbedSeq: number;
  private readonly page: Statement;
  private readonly changed: Statement;
  private readonly top: Statement;

  constructor(db: Database) {
    this.page = db
      .prepare('SELECT term FROM papers_words_vocab WHERE term > ? ORDER BY term')
      .pluck();
    this.changed = db.prepare(
      'SELECT change_seq AS seq, title, authors, abstract FROM papers WHERE change_seq > ? ORDER BY change_seq',
    );
    this.top = db.prepare('SELECT coalesce(max(change_seq), -1) FROM papers').pluck();
    // Words of rows written from here on are absorbed from the rows themselves.
    this.absorbedSeq = this.top.get() as number;
  }

  /** Loaded and holding the words of every row written so far: safe to rule words out. */
  get ready(): boolean {
    return this.terms !== null && this.absorbedSeq >= (this.top.get() as number);
  }

  /** Whether background work (loading, absorbing) is left. */
  get behind(): boolean {
    return !this.ready;
  }

  has(word: string): boolean {
    return this.terms?.has(word) ?? false;
  }

  /** Loads the vocabulary for about SLICE_MS; true once every term is in. */
  loadSlice(): boolean {
    if (this.terms) return true;
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

  /** Adds the words of rows written since the last call, for about SLICE_MS; returns rows read. */
  absorb(): number {
    const until = performance.now() + SLICE_MS;
    let read = 0;
    for (const r of this.changed.iterate(this.absorbedSeq) as IterableIterator<{
      seq: number;
      title: string;
      authors: string;
      abstract: string;
    }>) {
      for (const word of tokenise(`${r.title} ${r.authors} ${r.abstract}`)) this.loading.add(word);
      this.absorbedSeq = r.seq;
      read++;
      if (performance.now() > until) break;
    }
    return read;
  }
}
