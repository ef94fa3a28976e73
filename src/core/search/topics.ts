import type { Database } from 'better-sqlite3';
import type { ArchiveQueries } from './archive-query.js';
import { matchPaper } from './paper-match.js';
import { papersWhere } from './paper-rows.js';
import {
  type CompiledQuery,
  expandQuery,
  ftsMatch,
  isEmptyQuery,
  parseQuery,
  type TermVocabulary,
} from './query-compiler.js';
import type { TopicMatch } from './types.js';

/** Topics are saved queries: no prefix guessing, every term required. */
export function compileTopic(topic: string, vocab: TermVocabulary): CompiledQuery {
  return expandQuery({ ...parseQuery(`${String(topic ?? '')} `), lastIsPrefix: false }, vocab);
}

/** Which of the given papers match the topic, evaluated in memory: same rules wherever they sit. */
export function matchTopicIn(
  db: Database,
  vocab: TermVocabulary,
  topic: string,
  paperIds: string[],
): TopicMatch[] {
  const q = compileTopic(topic, vocab);
  if (isEmptyQuery(q) || paperIds.length === 0) return [];
  const papers = papersWhere(
    db,
    'id IN (SELECT value FROM json_each(?))',
    JSON.stringify(paperIds),
  );
  return papers
    .map((p) => ({ p, m: matchPaper(p, q) }))
    .filter(({ m }) => m.all)
    .map(({ p, m }) => ({ paperId: p.id, score: m.score, matchedTerms: m.matchedTerms }))
    .sort((a, b) => b.score - a.score || a.paperId.localeCompare(b.paperId));
}

/** Papers first seen since `since` matching the topic, counted on the (caught-up) archive. */
export function countTopic(
  archive: ArchiveQueries,
  vocab: TermVocabulary,
  topic: string,
  since: Date,
): number {
  const match = ftsMatch(compileTopic(topic, vocab), 'all');
  if (!match || Number.isNaN(since.getTime())) return 0;
  const filters = { since: null, author: null, firstSeenSince: since.toISOString() };
  return archive.count(match, filters, false);
}
