import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPaperboyError } from '../../../src/core/errors.js';
import { PostgresStore } from '../../../src/core/store/postgres/postgres-store.js';
import { startPostgres, type TestPostgres } from '../../support/postgres.js';

// A failure to open the database says what to do for its kind (SQLSTATE class): a missing
// privilege or a wrong password is not "check that the server is running and reachable".

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

async function openError(url: string): Promise<Error> {
  const outcome = await PostgresStore.open(url).then(
    async (store) => {
      await store.close();
      return null;
    },
    (error: unknown) => error,
  );
  expect(isPaperboyError(outcome, 'STORE_FAILED')).toBe(true);
  return outcome as Error;
}

function as(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.toString();
}

describe('opening PostgreSQL fails with a hint for the kind of failure', () => {
  it('a role that may not create tables anywhere: names the privilege, not the network', async () => {
    const adminUrl = await server.createDatabase('no_create');
    await server.admin(adminUrl, "CREATE ROLE reader LOGIN PASSWORD 'reader-pw-1'");
    await server.admin(adminUrl, 'REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    const error = await openError(as(adminUrl, 'reader', 'reader-pw-1'));
    expect(error.message).toContain('/no_create');
    expect(error.message).toMatch(/lacks a privilege/);
    expect(error.message).not.toMatch(/reachable/);
    expect(error.message).not.toContain('reader-pw-1');
  });

  it('a wrong password: says to check the user name and password', async () => {
    const adminUrl = await server.createDatabase('wrong_pw');
    const error = await openError(as(adminUrl, 'postgres', 'not-the-password-9'));
    expect(error.message).toMatch(/check the user name and password/);
    expect(error.message).not.toContain('not-the-password-9');
  });

  it('a database that does not exist: says to create it', async () => {
    const adminUrl = await server.createDatabase('exists');
    const error = await openError(adminUrl.replace(/\/exists$/, '/missing_db'));
    expect(error.message).toContain('/missing_db');
    expect(error.message).toMatch(/create the database/);
  });
});
