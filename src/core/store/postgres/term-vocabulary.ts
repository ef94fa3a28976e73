import { editsOne, type ParsedQuery, type TermVocabulary } from '../../search/query-compiler.js';
import type { Db } from './db.js';

/** As the compiler's own (unexported) PREFIX_SCAN: how many index words it reads for a prefix. */
const PREFIX_SCAN = 200;
/** Typo candidates are looked up only for these words (as expandQuery does). */
const TYPO_WORD = /^[a-z]{4,}$/;

/** The end of the key range of words starting with `prefix` (bytewise, collation "C"). */
function rangeEnd(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

/**
 * The term list (`search_words`) as the query compiler reads it. The compiler asks
 * synchronously, so this loads, in three queries at most, every answer `expandQuery` can
 * ask for this parsed query (its words, the last word's completions, typo candidates of the
 * words the index lacks) and answers from that snapshot.
 */
export async function loadVocabulary(db: Db, parsed: ParsedQuery): Promise<TermVocabulary> {
  const docs = new Map<string, number>();
  const read = async (words: string[]) => {
    const wanted = words.filter((w) => !docs.has(w));
    if (wanted.length === 0) return;
    const rows = await db.rows<{ word: string; docs: number }>(
      'SELECT word, docs FROM search_words WHERE word = ANY($1) AND docs > 0',
      [wanted],
    );
    for (const row of rows) docs.set(row.word, row.docs);
  };
  await read(parsed.words);

  let prefixed: Array<{ word: string; docs: number }> = [];
  const last = parsed.words.at(-1);
  if (last && parsed.lastIsPrefix && last.length >= 3) {
    prefixed = await db.rows<{ word: string; docs: number }>(
      `SELECT word, docs FROM search_words WHERE word >= $1 AND word < $2 AND docs > 0
       ORDER BY word LIMIT $3`,
      [last, rangeEnd(last), PREFIX_SCAN],
    );
    for (const row of prefixed) docs.set(row.word, row.docs);
  }
  const unknown = parsed.words.filter((w) => !docs.has(w) && TYPO_WORD.test(w));
  await read(unknown.flatMap(editsOne));

  // Words outside the snapshot were never asked for by expandQuery: they count as absent.
  return {
    has: (word) => docs.has(word),
    docFreq: (words) => {
      const out = new Map<string, number>();
      for (const w of words) {
        const n = docs.get(w);
        if (n !== undefined) out.set(w, n);
      }
      return out;
    },
    withPrefix: (prefix, limit) =>
      prefix === last
        ? prefixed.slice(0, limit)
        : [...docs]
            .filter(([w]) => w.startsWith(prefix))
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .slice(0, limit)
            .map(([word, n]) => ({ word, docs: n })),
  };
}
