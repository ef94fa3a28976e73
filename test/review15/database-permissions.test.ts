import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { isPaperboyError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { openStore } from '../../src/open-store.js';
import { startupMessage } from '../../src/startup.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

// Review 15: a managed PostgreSQL gives the application a role that owns its schema but is
// not the database owner or a superuser (PostgreSQL 15+: no CREATE on public for PUBLIC).
// Migrations work there; the full-text archive's CREATE EXTENSION unaccent does not.

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe('a role that may not create extensions', () => {
  it('gets a start-up line that names the database and the step to take, not "an unexpected error"', async () => {
    const adminUrl = await server.createDatabase('managed');
    await server.admin(adminUrl, "CREATE ROLE app LOGIN PASSWORD 'app-pw-123'");
    await server.admin(adminUrl, 'CREATE SCHEMA app AUTHORIZATION app');
    await server.admin(adminUrl, 'REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    const url = new URL(adminUrl);
    url.username = 'app';
    url.password = 'app-pw-123';
    const error = await openStore({
      dataDir: ':memory:',
      databaseUrl: url.toString(),
      clock: manualClock('2026-01-01T00:00:00Z'),
      logger: silentLogger(),
    }).then(
      async (opened) => {
        await opened.store.close();
        return null;
      },
      (failure: unknown) => failure,
    );
    // Today: "Paperboy stopped on an unexpected error: permission denied to create extension
    // "unaccent"" — no database named, no hint that an administrator can run
    // CREATE EXTENSION unaccent once (after which Paperboy starts).
    expect(isPaperboyError(error, 'STORE_FAILED')).toBe(true);
    const line = startupMessage(error);
    expect(line).toContain('managed');
    expect(line).toMatch(/CREATE EXTENSION/i);
  });
});
