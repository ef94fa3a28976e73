import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../../src/core/paper.js';
import { PostgresPaperSearch } from '../../../src/core/store/postgres/paper-search.js';
import { PostgresStore } from '../../../src/core/store/postgres/postgres-store.js';
import { startPostgres, type TestPostgres } from '../../support/postgres.js';
import { pageRecord, record } from './records.js';

// The term list behind typo and prefix candidates is kept by statement-level triggers over
// each statement's rows: whatever mix of batches, merges and deletes, it must equal the
// list counted from scratch.
let server: TestPostgres;
let url: string;
let store: PostgresStore;

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('words');
  store = await PostgresStore.open(url);
  await PostgresPaperSearch.open(store.db);
}, 60_000);
afterAll(async () => {
  await store?.close();
  await server?.stop();
});

const WORDS = ['robot', 'grasp', 'tactile', 'diffusion', 'graph', 'neural', 'José', 'vision'];

const words = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 });
const paperArb = fc.record({
  n: fc.integer({ min: 1, max: 12 }),
  title: words,
  abstract: words,
  titleOnly: fc.boolean(),
  // A newer version replaces the stored text: the words of an UPDATE.
  version: fc.integer({ min: 1, max: 3 }),
  authors: fc.subarray(['Ann Author', 'Bo Builder', 'José Núñez']),
});
type PaperInput = typeof paperArb extends fc.Arbitrary<infer T> ? T : never;
type Op = { kind: 'upsert'; papers: PaperInput[] } | { kind: 'delete'; n: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('upsert' as const),
    papers: fc.array(paperArb, { minLength: 1, maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), n: fc.integer({ min: 1, max: 12 }) }),
);

function toRecord(p: PaperInput): PaperRecord {
  const text = {
    title: `${p.title.join(' ')} paper ${p.n}`,
    abstract: p.abstract.join(' '),
    authors: p.authors,
    authorCount: p.authors.length,
  };
  return p.titleOnly
    ? pageRecord(text)
    : record({ arxivId: `2601.${String(p.n).padStart(5, '0')}`, version: p.version, ...text });
}

async function counted(sql: string): Promise<Record<string, number>> {
  const { rows } = await server.admin(url, sql);
  return Object.fromEntries(
    rows.map((r: { word: string; docs: number }) => [r.word, Number(r.docs)]),
  );
}

describe('the PostgreSQL term list', () => {
  it('equals the words counted from scratch after any batches of inserts, merges and deletes', async () => {
    let day = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 6 }), async (ops) => {
        await server.truncate(url);
        for (const op of ops) {
          if (op.kind === 'delete')
            await server.admin(url, 'DELETE FROM papers WHERE id = $1', [
              `2601.${String(op.n).padStart(5, '0')}`,
            ]);
          else
            await store.upsertPapers(
              op.papers.map(toRecord),
              new Date(Date.UTC(2026, 0, 1 + ++day)),
            );
        }
        const kept = await counted('SELECT word, docs FROM search_words WHERE docs <> 0');
        const fromScratch = await counted(
          `SELECT w AS word, count(*) AS docs FROM papers,
             unnest(paperboy_words_of(title, authors, abstract)) AS w GROUP BY w`,
        );
        expect(kept).toEqual(fromScratch);
      }),
      { numRuns: 40, seed: 16 },
    );
  }, 120_000);
});
