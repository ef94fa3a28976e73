import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SearchFilters } from '../../../src/core/search/archive-query.js';
import {
  type CompiledQuery,
  expandQuery,
  type MatchMode,
  parseQuery,
  type TermVocabulary,
} from '../../../src/core/search/query-compiler.js';
import { PoolDb } from '../../../src/core/store/postgres/db.js';
import { buildTsQuery, PgArchive } from '../../../src/core/store/postgres/full-text.js';
import { ensurePgArchive } from '../../../src/core/store/postgres/full-text-build.js';
import { PostgresStore } from '../../../src/core/store/postgres/postgres-store.js';
import { loadVocabulary } from '../../../src/core/store/postgres/term-vocabulary.js';
import { startPostgres, type TestPostgres } from '../../support/postgres.js';
import { record } from './records.js';

/** Every word is known: the compiled query holds exactly the typed words. */
const ALL_KNOWN: TermVocabulary = {
  has: () => true,
  docFreq: () => new Map(),
  withPrefix: () => [],
};
const compile = (text: string): CompiledQuery => expandQuery(parseQuery(`${text} `), ALL_KNOWN);
const NO_FILTERS: SearchFilters = { since: null, author: null };
const T0 = new Date('2025-01-10T00:00:00.000Z');

let server: TestPostgres;
let url: string;
let pool: pg.Pool;
let db: PoolDb;
let archive: PgArchive;
let store: PostgresStore;

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('search');
  store = await PostgresStore.open(url);
  pool = server.pool(url);
  db = new PoolDb(pool);
  await ensurePgArchive(db);
  archive = new PgArchive(db);
}, 60_000);
afterAll(async () => {
  await store?.close();
  await server?.stop();
});

const paper = (arxivId: string, over: Parameters<typeof record>[0] = {}) =>
  record({ arxivId, authors: ['Ann Author'], abstract: 'Nothing of note.', ...over });

beforeEach(async () => {
  await server.truncate(url);
  await store.upsertPapers(
    [
      paper('2501.00001', { title: 'Quokka models for grasping', publishedAt: '2025-01-09' }),
      paper('2501.00002', {
        title: 'Grasping in clutter',
        authors: ['Ann Quokka', 'José García'],
        publishedAt: '2024-06-01',
      }),
      paper('2501.00003', {
        title: 'Large language models',
        abstract: 'A quokka and a zebra meet large language models.',
        publishedAt: '2025-01-08',
      }),
      paper('2501.00004', {
        title: 'Language of large zebra herds',
        abstract: 'Large herds, and the language they use.',
        publishedAt: null,
      }),
    ],
    T0,
  );
});

async function ids(text: string, mode: MatchMode = 'all', filters = NO_FILTERS) {
  const hits = await archive.top(compile(text), mode, filters, 10);
  const { rows } = await pool.query<{ rowid: string; id: string }>(
    'SELECT rowid, id FROM papers WHERE rowid = ANY($1)',
    [hits.map((h) => h.rowid)],
  );
  const byRowid = new Map(rows.map((r) => [Number(r.rowid), r.id]));
  return hits.map((h) => byRowid.get(h.rowid));
}

describe('PostgreSQL full-text archive', () => {
  it('ranks a word in the title above the authors, and the authors above the abstract', async () => {
    expect(await ids('quokka')).toEqual(['2501.00001', '2501.00002', '2501.00003']);
    const hits = await archive.top(compile('quokka'), 'all', NO_FILTERS, 10);
    expect(hits.map((h) => h.bm25)).toEqual([...hits.map((h) => h.bm25)].sort((a, b) => a - b));
    expect(await archive.count(compile('quokka'), 'all', NO_FILTERS)).toBe(3);
  });

  it('stems both sides and folds diacritics (models = model, José = Jose)', async () => {
    expect(await ids('model')).toEqual(expect.arrayContaining(['2501.00001', '2501.00003']));
    expect(await ids('jose garcia')).toEqual(['2501.00002']);
  });

  it('requires every word, or any of them when asked', async () => {
    expect(await ids('quokka zebra')).toEqual(['2501.00003']);
    expect((await ids('quokka zebra', 'any')).sort()).toEqual([
      '2501.00001',
      '2501.00002',
      '2501.00003',
      '2501.00004',
    ]);
  });

  it('matches a quoted phrase only with its words together, and drops -excluded words', async () => {
    expect((await ids('"large language"')).sort()).toEqual(['2501.00003']);
    expect(await ids('language -zebra')).toEqual([]);
    expect(await ids('grasping -quokka')).toEqual([]);
    expect(await ids('models -zebra')).toEqual(['2501.00001']);
  });

  it('restricts to titles holding every word, excluded words still checked everywhere', async () => {
    const title = async (text: string) =>
      (await archive.top(compile(text), 'all', NO_FILTERS, 10, { column: 'title' })).length;
    expect(await title('quokka')).toBe(1);
    expect(await title('large language')).toBe(2);
    expect(await title('large language -quokka')).toBe(1);
  });

  it('filters by date, author (folded) and first-seen time', async () => {
    expect(await ids('grasping', 'all', { since: '2025-01-01', author: null })).toEqual([
      '2501.00001',
    ]);
    expect(await ids('grasping', 'all', { since: null, author: 'garcia' })).toEqual(['2501.00002']);
    const later = { since: null, author: null, firstSeenSince: '2025-02-01T00:00:00.000Z' };
    expect(await ids('grasping', 'all', later)).toEqual([]);
  });

  it('splits words at ASCII punctuation as the query side does (3D/4D, 13+1, Fusion:A)', async () => {
    await store.upsertPapers(
      [paper('2501.00009', { title: 'Fusion:A 3D/4D view of GX 13+1', abstract: 'x_y' })],
      T0,
    );
    for (const text of ['3d 4d', 'gx 13 1', 'fusion a', 'x y'])
      expect(await ids(text), text).toEqual(['2501.00009']);
  });

  it('finds stop words too, as FTS5 does, when they are all the query has', async () => {
    expect(await ids('the')).toEqual(['2501.00004']);
  });

  it('follows writes at once: a new version’s text replaces the old in the index', async () => {
    await store.upsertPapers(
      [paper('2501.00001', { version: 2, title: 'Wombat models', publishedAt: '2025-01-09' })],
      T0,
    );
    expect(await ids('quokka')).toEqual(['2501.00002', '2501.00003']);
    expect(await ids('wombat')).toEqual(['2501.00001']);
  });

  it('orders a broad match newest first when asked', async () => {
    const hits = await archive.top(compile('models'), 'all', NO_FILTERS, 10, { newestFirst: true });
    expect(hits.map((h) => h.rowid)).toEqual([...hits.map((h) => h.rowid)].sort((a, b) => b - a));
    expect(hits.every((h) => h.bm25 === 0)).toBe(true);
  });

  it('passes user text only as parameters: tsquery syntax in it is plain text', async () => {
    const q = buildTsQuery(compile("quokka:* & !zebra | ('x' <-> y)"), 'all');
    expect(q?.params.every((p) => /^[\p{L}\p{N} ]+$/u.test(p))).toBe(true);
    expect(q?.positive).not.toMatch(/quokka|zebra/);
    for (const text of ["quokka:*'", '!!quokka', 'quokka & |', "o'reilly", '\\', '(((', 'a:A']) {
      await expect(archive.count(compile(text), 'all', NO_FILTERS)).resolves.toBeTypeOf('number');
    }
    expect(await ids('quokka:* &')).toEqual(['2501.00001', '2501.00002', '2501.00003']);
  });

  it('never throws on any input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), async (text) => {
        const q = compile(text);
        await archive.count(q, 'all', NO_FILTERS);
        await archive.top(q, 'any', NO_FILTERS, 5);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps the unstemmed term list with document counts as papers change', async () => {
    const docs = async (word: string) =>
      (await loadVocabulary(db, parseQuery(`${word} `))).docFreq([word]).get(word);
    expect(await docs('quokka')).toBe(3);
    expect(await docs('garcia')).toBe(1);
    expect(await docs('models')).toBe(2);
    await store.upsertPapers(
      [paper('2501.00001', { version: 2, title: 'Wombat models', publishedAt: '2025-01-09' })],
      T0,
    );
    expect(await docs('quokka')).toBe(2);
    expect(await docs('wombat')).toBe(1);
    expect(await docs('grasping')).toBe(1);
  });

  it('completes the word being typed and corrects a typo from the term list', async () => {
    const search = async (text: string) => {
      const parsed = parseQuery(text);
      const q = expandQuery(parsed, await loadVocabulary(db, parsed));
      return { q, count: await archive.count(q, 'all', NO_FILTERS) };
    };
    const typing = await search('quok');
    expect(typing.q.groups[0]?.alternatives).toContain('quokka');
    expect(typing.count).toBe(3);
    const typo = await search('quokak ');
    expect(typo.q.groups[0]).toMatchObject({ corrected: true, alternatives: ['quokka'] });
    expect(typo.count).toBe(3);
    expect((await search('zzzzqx ')).count).toBe(0);
  });

  it('builds the archive once, also when instances start together', async () => {
    await Promise.all([ensurePgArchive(db), ensurePgArchive(db)]);
    const { rows } = await pool.query("SELECT value FROM search_meta WHERE key = 'version'");
    expect(rows).toHaveLength(1);
    expect(await ids('wombat')).toEqual([]);
    expect(await ids('quokka')).toHaveLength(3);
  });
});
