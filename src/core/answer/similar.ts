import type { Database, Statement } from 'better-sqlite3';
import type { Paper } from '../paper.js';
import { BM25_WEIGHTS } from '../search/archive.js';
import { papersByRowid } from '../search/stored-papers.js';
import { STOP_WORDS, tokenise } from '../search/text.js';

/** Terms of the paper that define its neighbourhood (a "more like this" query). */
const PROFILE_TERMS = 30;
/** Of those, the most distinctive ones fetch candidates from the archive. */
const SEED_TERMS = 8;
const CANDIDATES = 60;

export interface SimilarPaper {
  paper: Paper;
  /** Cosine similarity (0–1) over the paper's profile terms. */
  score: number;
  /** The terms that contribute most, best first. */
  shared: string[];
}

function termCounts(paper: Paper): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of tokenise(`${paper.title} ${paper.abstract}`)) {
    if (w.length < 3 || STOP_WORDS.has(w) || /^\d+$/.test(w)) continue;
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts;
}

/**
 * Papers closest to one paper: tf-idf cosine over title + abstract, with document
 * frequencies from the FTS5 archive's own term list (`papers_words_vocab`), restricted to
 * the paper's most distinctive terms; candidates come from an archive query on its rarest
 * ones. The paper itself is never among them.
 */
export class SimilarPapers {
  private readonly docFreq: Statement;
  private readonly total: Statement;
  private readonly candidates: Statement;
  private readonly rowidOf: Statement;

  constructor(private readonly db: Database) {
    this.docFreq = db.prepare(
      'SELECT term, doc FROM papers_words_vocab WHERE term IN (SELECT value FROM json_each(?))',
    );
    this.total = db.prepare('SELECT count(*) FROM papers').pluck();
    this.candidates = db.prepare(
      `SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY bm25(papers_fts, ${BM25_WEIGHTS}) LIMIT ?`,
    );
    this.rowidOf = db.prepare('SELECT rowid FROM papers WHERE id = ?').pluck();
  }

  similar(paper: Paper, limit = 5): SimilarPaper[] {
    const counts = termCounts(paper);
    if (counts.size === 0) return [];
    const n = this.total.get() as number;
    const rows = this.docFreq.all(JSON.stringify([...counts.keys()])) as Array<{
      term: string;
      doc: number;
    }>;
    const idf = new Map(rows.map((r) => [r.term, Math.log((n + 1) / (r.doc + 0.5))]));
    const shared = rows.filter((r) => r.doc >= 2).map((r) => r.term);
    const profile = shared
      .map((term) => ({ term, weight: (counts.get(term) ?? 0) * (idf.get(term) ?? 0) }))
      .filter((t) => t.weight > 0)
      .sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term))
      .slice(0, PROFILE_TERMS);
    if (profile.length === 0) return [];
    const seeds = profile.slice(0, SEED_TERMS).map((t) => `"${t.term.replace(/"/g, '""')}"`);
    const self = this.rowidOf.get(paper.id) as number | undefined;
    const rowids = (
      this.candidates.pluck().all(seeds.join(' OR '), CANDIDATES + 1) as number[]
    ).filter((r) => r !== self);
    const papers = papersByRowid(this.db, rowids);
    const qNorm = Math.hypot(...profile.map((t) => t.weight));
    const out: SimilarPaper[] = [];
    for (const candidate of papers.values()) {
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
      out.push({ paper: candidate, score: dot / (qNorm * cNorm), shared: top });
    }
    out.sort(
      (a, b) =>
        b.score - a.score ||
        b.shared.length - a.shared.length ||
        a.paper.id.localeCompare(b.paper.id),
    );
    return out.slice(0, limit);
  }
}
