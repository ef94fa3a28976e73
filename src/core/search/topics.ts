import type { Database, Statement } from 'better-sqlite3';
import type { ArchiveQueries } from './archive-query.js';
import {
  type CompiledQuery,
  expandQuery,
  ftsMatch,
  isEmptyQuery,
  parseQuery,
  queryTerms,
  type TermVocabulary,
} from './query-compiler.js';
import { compareText } from './text.js';
import type { TopicMatch } from './types.js';

/** Topics are saved queries: no prefix guessing, every term required. */
export function compileTopic(topic: string, vocab: TermVocabulary): CompiledQuery {
  return expandQuery({ ...parseQuery(`${String(topic ?? '')} `), lastIsPrefix: false }, vocab);
}

/** Compiled topics kept between calls (a digest run asks for the same few hundred). */
const MAX_COMPILED = 2000;

/** A group found in the title counts more than one found only in the authors or abstract. */
const TITLE_SCORE = 3;
const BODY_SCORE = 1;
const PHRASE_SCORE = 3;

/**
 * Topic matching for the digest, on the FTS5 archive restricted to the candidate papers.
 * The archive already holds every stored paper's stems, so nothing is re-read or re-stemmed:
 * one MATCH for the topic, one title MATCH per word for the score. A digest run asks every
 * topic about the same candidate list, so that list is loaded once into a temp table.
 */
export class TopicMatcher {
  private readonly compiled = new Map<string, CompiledQuery>();
  /** Store change the caches belong to: a write can add words (typo guesses) or change ids. */
  private stamp = Number.NaN;
  private candidateIds: string[] = [];
  private idOfRowid = new Map<number, string>();
  private readonly lookupRows: Statement;
  private readonly fill: Statement;
  private readonly matching: Statement;
  private readonly matchingTitles: Statement;

  constructor(
    private readonly db: Database,
    private readonly archive: ArchiveQueries,
    private readonly vocab: TermVocabulary,
  ) {
    db.exec('CREATE TEMP TABLE IF NOT EXISTS search_topic_ids (rowid INTEGER PRIMARY KEY)');
    this.lookupRows = db.prepare(
      'SELECT rowid, id FROM papers WHERE id IN (SELECT value FROM json_each(?))',
    );
    this.fill = db.prepare(
      'INSERT OR IGNORE INTO temp.search_topic_ids(rowid) SELECT value FROM json_each(?)',
    );
    // Every match of the topic, kept only when a candidate: the candidate set is a small
    // ephemeral lookup, while probing FTS5 once per candidate would re-run the expression.
    this.matching = db
      .prepare(
        'SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? AND +rowid IN (SELECT rowid FROM temp.search_topic_ids)',
      )
      .pluck();
    this.matchingTitles = db
      .prepare(
        'SELECT rowid FROM papers_titles WHERE papers_titles MATCH ? AND +rowid IN (SELECT rowid FROM temp.search_topic_ids)',
      )
      .pluck();
  }

  /** `stamp` changes whenever the store's papers do (their last change_seq). */
  match(topic: string, paperIds: string[], stamp: number): TopicMatch[] {
    if (stamp !== this.stamp) {
      this.compiled.clear();
      this.candidateIds = [];
      this.idOfRowid.clear();
      this.db.exec('DELETE FROM temp.search_topic_ids');
      this.stamp = stamp;
    }
    const q = this.compile(topic);
    const match = ftsMatch(q, 'all');
    if (!match || isEmptyQuery(q) || paperIds.length === 0) return [];
    this.loadCandidates(paperIds);
    const rowids = this.matching.all(match) as number[];
    if (rowids.length === 0) return [];
    // Every returned paper has every group and phrase: the terms are the topic's own words.
    const matchedTerms = queryTerms(q);
    const scores = new Map<number, number>();
    const base = q.groups.length * BODY_SCORE + q.phrases.length * PHRASE_SCORE;
    for (const rowid of rowids) scores.set(rowid, base);
    for (const g of q.groups) {
      const inTitle = ftsMatch({ ...q, groups: [g], phrases: [], excluded: [] }, 'all');
      if (!inTitle) continue;
      for (const rowid of this.matchingTitles.all(inTitle) as number[]) {
        const s = scores.get(rowid);
        if (s !== undefined) scores.set(rowid, s + TITLE_SCORE - BODY_SCORE);
      }
    }
    const out: TopicMatch[] = [];
    for (const [rowid, score] of scores) {
      const paperId = this.idOfRowid.get(rowid);
      if (paperId !== undefined) out.push({ paperId, score, matchedTerms: [...matchedTerms] });
    }
    return out.sort((a, b) => b.score - a.score || compareText(a.paperId, b.paperId));
  }

  /** Papers first seen since `since` matching the topic, counted on the (caught-up) archive. */
  count(topic: string, since: Date): number {
    const match = ftsMatch(compileTopic(topic, this.vocab), 'all');
    if (!match || Number.isNaN(since.getTime())) return 0;
    const filters = { since: null, author: null, firstSeenSince: since.toISOString() };
    return this.archive.count(match, filters);
  }

  private compile(topic: string): CompiledQuery {
    const key = String(topic ?? '');
    let q = this.compiled.get(key);
    if (!q) {
      q = compileTopic(key, this.vocab);
      if (this.compiled.size >= MAX_COMPILED) this.compiled.clear();
      this.compiled.set(key, q);
    }
    return q;
  }

  /** Loads the candidates into the temp table unless it already holds exactly this list. */
  private loadCandidates(paperIds: string[]): void {
    const same =
      paperIds === this.candidateIds ||
      (paperIds.length === this.candidateIds.length &&
        paperIds.every((id, i) => id === this.candidateIds[i]));
    if (same) return;
    const ids = paperIds.map(String);
    const rows = this.lookupRows.all(JSON.stringify(ids)) as Array<{ rowid: number; id: string }>;
    this.idOfRowid = new Map(rows.map((r) => [r.rowid, r.id]));
    this.db.exec('DELETE FROM temp.search_topic_ids');
    this.fill.run(JSON.stringify(rows.map((r) => r.rowid)));
    this.candidateIds = ids;
  }
}
