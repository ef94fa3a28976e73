import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPaperboyError } from '../../../src/core/errors.js';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from '../../../src/core/store/postgres/migrations.js';
import { PostgresStore } from '../../../src/core/store/postgres/postgres-store.js';
import { leaseTimePasses } from '../../support/lease-time.js';
import { startPostgres, type TestPostgres } from '../../support/postgres.js';
import { describeDigestRunClaims } from './digest-run-claims.js';
import { describeStore } from './store-conformance.js';

let server: TestPostgres;
let url: string;
let databases = 0;

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('conformance');
  // Migrate once; each test then starts from empty tables.
  await (await PostgresStore.open(url)).close();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

async function emptyStore(): Promise<PostgresStore> {
  await server.truncate(url);
  return PostgresStore.open(url);
}

describeStore('PostgresStore', emptyStore);
// Leases are measured on the server's clock: time passes for them by moving their ends back.
describeDigestRunClaims('PostgresStore', emptyStore, (_store, ms) =>
  leaseTimePasses(server, url, ms),
);

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('PostgresStore schema and connection', () => {
  const fresh = () => server.createDatabase(`fresh_${++databases}`);
  const version = async (db: string) =>
    (await server.admin(db, 'SELECT version FROM paperboy_schema')).rows[0]?.version as number;

  it('migrates an empty database to the current version, recorded in a table', async () => {
    const db = await fresh();
    const store = await PostgresStore.open(db);
    await store.close();
    expect(PG_SCHEMA_VERSION).toBe(PG_MIGRATIONS.length);
    expect(await version(db)).toBe(PG_SCHEMA_VERSION);
    // Opening again changes nothing.
    await (await PostgresStore.open(db)).close();
    expect(await version(db)).toBe(PG_SCHEMA_VERSION);
  });

  it('migrates once when several instances start together (advisory lock)', async () => {
    const db = await fresh();
    const stores = await Promise.all([1, 2, 3, 4].map(() => PostgresStore.open(db)));
    await Promise.all(stores.map((store) => store.close()));
    expect(await version(db)).toBe(PG_SCHEMA_VERSION);
  });

  it('refuses a database from a newer Paperboy and leaves it untouched', async () => {
    const db = await fresh();
    await server.admin(
      db,
      'CREATE TABLE paperboy_schema (only_row BOOLEAN PRIMARY KEY DEFAULT true, version INTEGER NOT NULL)',
    );
    await server.admin(db, 'INSERT INTO paperboy_schema (version) VALUES ($1)', [
      PG_SCHEMA_VERSION + 5,
    ]);
    const error = await rejection(PostgresStore.open(db));
    expect(isPaperboyError(error, 'STORE_TOO_NEW')).toBe(true);
    expect(error.message).toContain(`schema version ${PG_SCHEMA_VERSION + 5}`);
    expect(await version(db)).toBe(PG_SCHEMA_VERSION + 5);
    const tables = await server.admin(
      db,
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    expect(tables.rows.map((r) => r.tablename)).toEqual(['paperboy_schema']);
  });

  it('turns version-1 sent deliveries into posted runs (migration 2, as on SQLite)', async () => {
    const db = await fresh();
    await server.admin(db, PG_MIGRATIONS[0] as string);
    await server.admin(
      db,
      'CREATE TABLE paperboy_schema (only_row BOOLEAN PRIMARY KEY DEFAULT true, version INTEGER NOT NULL)',
    );
    await server.admin(db, 'INSERT INTO paperboy_schema (version) VALUES (1)');
    await server.admin(
      db,
      "INSERT INTO channels (platform, workspace, channel) VALUES ('discord', 'g', 'c')",
    );
    const delivery = (
      id: string,
      part: number,
      ids: string,
      state: string,
      message: string | null,
    ) =>
      server.admin(
        db,
        `INSERT INTO deliveries (id, platform, workspace, channel, digest_date, part, paper_ids,
           state, message_id, created_at)
         VALUES ($1, 'discord', 'g', 'c', '2025-01-02', $2, $3, $4, $5, '2025-01-02T08:00:00.000Z')`,
        [id, part, ids, state, message],
      );
    await delivery('d1', 1, '["a","b"]', 'sent', 'm1');
    await delivery('d2', 2, '["c"]', 'sent', 'm2');
    await delivery('d3', 3, '["x"]', 'pending', null);
    await server.admin(
      db,
      "INSERT INTO state (key, value, updated_at) VALUES ('delivery-plan:1', '{}', 'x'), ('page:1', '{}', 'x')",
    );
    const store = await PostgresStore.open(db);
    const ref = { platform: 'discord', workspace: 'g', channel: 'c' } as const;
    const [legacy] = await store.recentDigestRuns(ref, 5);
    expect(legacy).toMatchObject({ id: 'legacy:d1', state: 'posted', digestDate: '2025-01-02' });
    expect(legacy?.paperIds).toEqual(['a', 'b', 'c']);
    expect(legacy?.parts.map((p) => p.messageId)).toEqual(['m1', 'm2']);
    expect(await store.digestPaperIdsForMessage(ref, 'm2')).toEqual(['a', 'b', 'c']);
    // Migration 5 lists the papers of runs posted before it.
    expect(await store.digestPostings('c', ref, 5)).toEqual([
      { channel: ref, digestDate: '2025-01-02' },
    ]);
    expect(await store.digestPostings('x', ref, 5)).toEqual([]);
    expect(await store.getState('delivery-plan:1')).toBeNull();
    expect(await store.getState('page:1')).toBe('{}');
    await store.close();
    expect(await version(db)).toBe(PG_SCHEMA_VERSION);
  });

  it('compares text bytewise, as SQLite does, whatever the database collation', async () => {
    // A database whose default collation is a natural-language one (ICU en-US sorts
    // "_x" < "a" < "B"; bytewise it is "B" < "_x" < "a").
    await server.admin(
      url,
      `CREATE DATABASE icu_en TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'
       LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`,
    );
    const db = url.replace(/\/conformance$/, '/icu_en');
    const check = await server.admin(db, "SELECT 'a' < 'B' AS natural");
    expect(check.rows[0]?.natural).toBe(true);
    const store = await PostgresStore.open(db);
    for (const workspace of ['a', 'B', '_x'])
      await store.setPaused({ platform: 'slack', workspace, channel: 'c' }, false);
    expect((await store.listChannels()).map((c) => c.ref.workspace)).toEqual(['B', '_x', 'a']);
    await store.putState('page:a', '1', new Date('2025-01-01T00:00:00Z'));
    await store.putState('page;b', '2', new Date('2025-01-01T00:00:00Z'));
    await store.putState('page:Z', '3', new Date('2025-01-01T00:00:00Z'));
    expect(await store.pruneState('page:', new Date('2025-02-01T00:00:00Z'))).toBe(2);
    expect(await store.getState('page;b')).toBe('2');
    await store.close();
  });

  it('says which database it cannot open, never the password', async () => {
    const bad = url.replace(/:([^:@/]+)@/, ':not-the-password-s3cret@');
    const error = await rejection(PostgresStore.open(bad));
    expect(isPaperboyError(error, 'STORE_FAILED')).toBe(true);
    expect(error.message).toContain('127.0.0.1');
    expect(error.message).toContain('/conformance');
    expect(error.message).not.toContain('s3cret');
  });

  it('reports a claim of an unknown run as not found', async () => {
    const store = await emptyStore();
    const error = await rejection(store.claimDigestRun('missing', 'a', new Date(), 1000));
    expect(isPaperboyError(error, 'NOT_FOUND')).toBe(true);
    await store.close();
  });
});

describe('PostgresStore digest run leases', () => {
  it('are measured on the server’s clock: a claimant whose clock runs ahead takes no live lease', async () => {
    const store = await emptyStore();
    try {
      await store.createDigestRun({
        id: 'r1',
        channel: { platform: 'discord', workspace: '1', channel: '2' },
        digestDate: '2025-01-02',
        from: '2025-01-01T08:00:00.000Z',
        to: '2025-01-02T08:00:00.000Z',
        paperIds: [],
        note: null,
        state: 'planned',
        createdAt: '2025-01-02T08:00:00.000Z',
        parts: [],
      });
      const now = new Date();
      expect(await store.claimDigestRun('r1', 'a', now, 60_000)).toBe(true);
      // b's clock is 3 minutes ahead (or a's behind): by b's clock a's lease ended long ago.
      const ahead = new Date(now.getTime() + 3 * 60_000);
      expect(await store.claimDigestRun('r1', 'b', ahead, 60_000)).toBe(false);
      // a's clock behind does not shorten its renewed lease either.
      const behind = new Date(now.getTime() - 3 * 60_000);
      expect(await store.renewDigestRun('r1', 'a', behind, 60_000)).toBe(true);
      expect(await store.claimDigestRun('r1', 'b', ahead, 60_000)).toBe(false);
    } finally {
      await store.close();
    }
  });
});
