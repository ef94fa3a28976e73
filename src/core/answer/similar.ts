import type { Database, Statement } from 'better-sqlite3';
import type { Paper } from '../paper.js';
import { papersByRowid } from '../search/stored-papers.js';
import { STOP_WORDS, tokenise } from '../search/text.js';

/** Terms of the paper that define its neighbourhood (a "more like this" query). */
const PROFILE_TERMS = 30;
/** Of those, the most distinctive ones fetch candidates from the archive. */
const SEED_TERMS = 6;
/** A seed in more than this share of papers costs a long posting list and finds little. */
const SEED_MAX_SHARE = 0.003;
const CANDIDATES = 30;
/** Document frequencies are kept until the archive grows by this share (idf barely moves). */
const DF_STALE_SHARE = 0.01;
/** A word in more than this share of papers (and more than COMMON_MIN) is too common to count. */
const COMMON_SHARE = 0.02;
const COMMON_MIN = 50;

export interface SimilarPaper {
  paper: Paper;
  /** Cosine similarity (0–1) over the paper's profile terms. */
  score: number;
  /** The terms that contribute most, best first. */
  shared: string[];
}

function termCounts(paper: Pick<Paper, 'title' | 'abstract'>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of tokenise(`${paper.title} ${paper.abstract}`)) {
    if (w.length < 3 || STOP_WORDS.has(w) || /^\d+$/.test(w)) continue;
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts;
}

/**
 * Papers closest to one paper: tf-idf cosine over title + abstract, with document
 * frequencies counted in the FTS5 archive's own unstemmed word index (`papers_words`), restricted to
 * the paper's most distinctive terms; candidates come from an archive query on its rarest
 * ones. The paper itself is never among them.
 */
export class SimilarPapers {
  private readonly docFreq: Statement;
  private readonly total: Statement;
  private readonly candidates: Statement;
  private readonly rowidOf: Statement;
  private readonly texts: Statement;

  /** Document frequency per word: common words are read once, not on every request. */
  private readonly dfCache = new Map<string, number>();
  private dfCachedAt = -1;

  constructor(private readonly db: Database) {
    // Counting stops at the cap: a common word's whole posting list is never read.
    this.docFreq = db
      .prepare(
        'SELECT count(*) FROM (SELECT 1 FROM papers_words WHERE papers_words MATCH ? LIMIT ?)',
      )
      .pluck();
    this.total = db.prepare('SELECT count(*) FROM papers').pluck();
    this.candidates = db.prepare(
      `SELECT rowid FROM papers_words WHERE papers_words MATCH ? ORDER BY bm25(papers_words) LIMIT ?`,
    );
    this.rowidOf = db.prepare('SELECT rowid FROM papers WHERE id = ?').pluck();
    // Only what scoring reads: whole papers are read for the few shown.
    this.texts = db.prepare(
      'SELECT rowid, id, title, abstract FROM papers WHERE rowid IN (SELECT value FROM json_each(?))',
    );
  }

  /**
   * Words of the archive that can tell papers apart, with the number of papers holding each.
   * Absent words and words in more than `cap` papers (too common to say what a paper is
   * about, as Lucene's "more like this" leaves them out) are left out.
   */
  private documentFrequencies(words: string[], papers: number, cap: number): Map<string, number> {
    if (Math.abs(papers - this.dfCachedAt) > this.dfCachedAt * DF_STALE_SHARE) {
      this.dfCache.clear();
      this.dfCachedAt = papers;
    }
    const out = new Map<string, number>();
    for (const w of words) {
      let d = this.dfCache.get(w);
      if (d === undefined) {
        d = this.docFreq.get(`"${w.replace(/"/g, '""')}"`, cap + 1) as number;
        if (this.dfCache.size > 200_000) this.dfCache.clear();
        this.dfCache.set(w, d);
      }
      if (d > 0 && d <= cap) out.set(w, d);
    }
    return out;
  }

  /** The words among `words` that more than 2% of the papers hold (never in a small archive). */
  commonWords(words: string[]): Set<string> {
    const n = this.total.get() as number;
    const cap = Math.max(COMMON_MIN, Math.ceil(n * COMMON_SHARE));
    const counted = this.documentFrequencies(words, n, cap);
    return new Set(words.filter((w) => !counted.has(w) && (this.dfCache.get(w) ?? 0) > cap));
  }

  similar(paper: Paper, limit = 5): SimilarPaper[] {
    const counts = termCounts(paper);
    if (counts.size === 0) return [];
    const n = this.total.get() as number;
    const df = this.documentFrequencies(
      [...counts.keys()],
      n,
      Math.max(COMMON_MIN, Math.ceil(n * COMMON_SHARE)),
    );
    const idf = new Map([...df].map(([term, d]) => [term, Math.log((n + 1) / (d + 0.5))]));
    const shared = [...df].filter(([, d]) => d >= 2).map(([term]) => term);
    const profile = shared
      .map((term) => ({ term, weight: (counts.get(term) ?? 0) * (idf.get(term) ?? 0) }))
      .filter((t) => t.weight > 0)
      .sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term))
      .slice(0, PROFILE_TERMS);
    if (profile.length === 0) return [];
    const rare = profile.filter((t) => (df.get(t.term) ?? 0) <= Math.max(50, n * SEED_MAX_SHARE));
    const rarest = [...profile].sort((a, b) => (df.get(a.term) ?? 0) - (df.get(b.term) ?? 0));
    const seeds = (rare.length > 0 ? rare : rarest.slice(0, 1))
      .slice(0, SEED_TERMS)
      .map((t) => `"${t.term.replace(/"/g, '""')}"`);
    const self = this.rowidOf.get(paper.id) as number | undefined;
    const rowids = (
      this.candidates.pluck().all(seeds.join(' OR '), CANDIDATES + 1) as number[]
    ).filter((r) => r !== self);
    const texts = this.texts.all(JSON.stringify(rowids)) as Array<{
      rowid: number;
      id: string;
      title: string;
      abstract: string;
    }>;
    const qNorm = Math.hypot(...profile.map((t) => t.weight));
    const scored: Array<{ rowid: number; score: number; shared: string[] }> = [];
    for (const candidate of texts) {
      if (candidate.id === paper.id) continue;
      const theirs = termCounts(candidate);
      const parts = profile.map((t) => {
        const w = (theirs.get(t.term) ?? 0) * (idf.get(t.term) ?? 0);
        return { term: t.term, w, product: w * t.weight };
      });
      const cNorm = Math.hypot(...parts.map((p) => p.w));
      if (cNorm === 0) continue;
      const dot = parts.reduce((sum, p) => sum + p.product, 0);
      const top = parts
        .filter((p) => p.product > 0)
        .sort((a, b) => b.product - a.product)
        .slice(0, 4)
        .map((p) => p.term);
      scored.push({ rowid: candidate.rowid, score: dot / (qNorm * cNorm), shared: top });
    }
    scored.sort(
      (a, b) => b.score - a.score || b.shared.length - a.shared.length || a.rowid - b.rowid,
    );
    const best = scored.slice(0, limit);
    const papers = papersByRowid(
      this.db,
      best.map((b) => b.rowid),
    );
    return best.flatMap((b) => {
      const found = papers.get(b.rowid);
      return found ? [{ paper: found, score: b.score, shared: b.shared }] : [];
    });
  }
}
