import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_SCHEMA_VERSION } from '../../src/core/store/postgres/migrations.js';
import { PostgresStore } from '../../src/core/store/postgres/postgres-store.js';
import { storeFile } from '../../src/core/store/sqlite-store.js';
import { checkPostgres } from '../../src/ops/doctor.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { childEnv } from './fixtures.js';

// The command-line tools on a PostgreSQL deployment (PAPERBOY_DATABASE_URL set): ingest
// writes where the bots read, backup says to use pg_dump, doctor checks the database.

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const PASSWORD = 's3cret-pw-77';

let server: TestPostgres;
const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-pg-tools-'));
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

describe('npm run ingest -- <file> with PAPERBOY_DATABASE_URL set', () => {
  it('refuses with one line instead of filling a SQLite file the bots never read', async () => {
    const url = await server.createDatabase('ingest');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/ingest.ts', 'samples/daily-papers-page.txt'],
      {
        cwd: ROOT,
        env: childEnv({
          PAPERBOY_DATA_DIR: dir,
          PAPERBOY_DATABASE_URL: withPassword(url, PASSWORD),
        }),
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
    expect(code, out).toBe(1);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toContain('PAPERBOY_DATABASE_URL is set');
    expect(out).toContain('nothing was stored');
    expect(out).not.toContain(PASSWORD);
    expect(existsSync(storeFile(dir))).toBe(false);
  }, 60_000);
});

describe('npm run backup with PAPERBOY_DATABASE_URL set', () => {
  it('refuses with one line naming the database and pg_dump, never the password', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/backup.ts', path.join(dir, 'copy.db')],
      {
        cwd: ROOT,
        env: childEnv({
          PAPERBOY_DATA_DIR: dir,
          PAPERBOY_DATABASE_URL: `postgres://paperboy:${PASSWORD}@db-host:5432/paperboy`,
        }),
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('pg_dump');
    expect(result.stderr).toContain('db-host:5432/paperboy');
    expect(result.stderr).not.toContain(PASSWORD);
  }, 30_000);
});

describe('npm run doctor on PostgreSQL', () => {
  it('reports a new database, then its schema version once Paperboy migrated it', async () => {
    const url = await server.createDatabase('doctor');
    const fresh = await checkPostgres(url, 5_000);
    expect(fresh.level).toBe('ok');
    expect(fresh.message).toMatch(/creates its tables there on first start/);
    await (await PostgresStore.open(url)).close();
    const migrated = await checkPostgres(url, 5_000);
    expect(migrated).toMatchObject({ level: 'ok' });
    expect(migrated.message).toContain(`schema version ${PG_SCHEMA_VERSION}.`);
  });

  it('names a wrong password as such, without the password', async () => {
    const url = withPassword(await server.createDatabase('doctor_auth'), PASSWORD);
    const finding = await checkPostgres(url, 5_000);
    expect(finding.level).toBe('problem');
    expect(finding.message).toMatch(/check the user name and password/);
    expect(finding.message).not.toContain(PASSWORD);
  });

  it('names an unreachable server with its address and the network cause', async () => {
    const finding = await checkPostgres(
      `postgres://paperboy:${PASSWORD}@127.0.0.1:9/paperboy`,
      2_000,
    );
    expect(finding.level).toBe('problem');
    expect(finding.message).toContain('127.0.0.1:9/paperboy (ECONNREFUSED)');
    expect(finding.message).toContain('running and reachable');
    expect(finding.message).not.toContain(PASSWORD);
  });
});
