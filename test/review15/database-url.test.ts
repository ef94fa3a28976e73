import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { isPaperboyError } from '../../src/core/errors.js';
import { PostgresStore } from '../../src/core/store/postgres/postgres-store.js';
import { storeFile } from '../../src/core/store/sqlite-store.js';
import { childEnv } from '../live/child-process.js';
import { ROOT } from '../live/harness.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

// Review 15: PAPERBOY_DATABASE_URL as users write it. The config check (WHATWG URL) and the
// driver (pg-connection-string) must agree on what the value means, or the bot connects to
// something other than what the operator wrote, or says nothing useful.

let server: TestPostgres;
let url = '';
beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('urls');
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

/** The URL as loadConfig accepts it, or null when the config refuses it (CONFIG_INVALID). */
function accepted(value: string): string | null {
  try {
    return loadConfig({ env: { PAPERBOY_DATABASE_URL: value }, rootDir: ROOT }).databaseUrl;
  } catch (error) {
    expect(isPaperboyError(error, 'CONFIG_INVALID')).toBe(true);
    return null;
  }
}

describe('PAPERBOY_DATABASE_URL as written by people', () => {
  it('a URL without a database name is refused, not silently read as "the user\'s database"', async () => {
    // postgres://USER:PW@host:port — pg then connects to the database named after the user
    // (here the server's own "postgres" database) and creates Paperboy's schema in it.
    const noDatabase = url.replace(/\/urls$/, '');
    if (accepted(noDatabase) === null) return;
    const store = await PostgresStore.open(noDatabase).catch((error: unknown) => error);
    if (store instanceof PostgresStore) await store.close();
    // The server's maintenance database must not have received Paperboy's tables.
    const tables = await server.admin(
      `${noDatabase}/postgres`,
      "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'paperboy_schema'",
    );
    expect(tables.rows[0]?.n).toBe(0);
  });

  it('a URL with a stray leading space (a copied .env line) reaches the server it names, or is refused', async () => {
    const value = ` ${url}`;
    const databaseUrl = accepted(value);
    if (databaseUrl === null) return;
    // The config check (new URL trims it) accepted it; pg parses " postgres://…" as a
    // database name on a host called "base".
    const store = await PostgresStore.open(databaseUrl, { connectTimeoutMs: 2_000 });
    await store.close();
  });

  it('a password with characters that need percent-encoding gets a message saying so', () => {
    let message = '';
    try {
      loadConfig({
        env: { PAPERBOY_DATABASE_URL: 'postgres://paperboy:hunter#2/x@db-host:5432/paperboy' },
        rootDir: ROOT,
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('PAPERBOY_DATABASE_URL');
    expect(message).not.toContain('hunter');
    expect(message).toMatch(/percent-encod|URL-encod|%23/i);
  });
});

describe('npm run ingest with PAPERBOY_DATABASE_URL set', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-r15-ingest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('does not write the papers into a SQLite file the bot never reads and report success', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/ingest.ts', 'samples/daily-papers-page.txt'],
      {
        cwd: ROOT,
        env: childEnv({ PAPERBOY_DATA_DIR: dir, PAPERBOY_DATABASE_URL: url }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // Either the papers are in PostgreSQL (where the bot reads), or ingest refuses, naming the
    // variable. Today it exits 0 with "new 48" and a fresh data/paperboy.db.
    const inPostgres = (
      await server
        .admin(url, 'SELECT count(*)::int AS n FROM papers')
        .catch(() => ({ rows: [{ n: 0 }] }))
    ).rows[0]?.n as number;
    if (inPostgres > 0) return;
    expect(code, out).not.toBe(0);
    expect(out).toContain('PAPERBOY_DATABASE_URL');
    expect(existsSync(storeFile(dir))).toBe(false);
  }, 60_000);
});
