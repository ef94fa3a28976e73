import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../src/core/store/migrations.js';
import { storeFile } from '../src/core/store/sqlite-store.js';
import { type FakeDiscord, startFakeDiscord } from './fakes/discord/fake-discord.js';
import { type FakeSlack, startFakeSlack } from './fakes/slack/fake-slack.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DISCORD_TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.startup-secret-token-0123456789';
const SLACK_BOT_TOKEN = 'xoxb-startup-secret-bot-token';
const SLACK_SIGNING_SECRET = 'startup-signing-secret';
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-startup-'));
  dirs.push(dir);
  return dir;
}

/** No inherited platform or Paperboy variables; an offline config (no feed is polled). */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(DISCORD_|SLACK_|PAPERBOY_|PORT$)/.test(key)),
  );
  const dir = tempDir();
  const config = path.join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ sources: { huggingface: { enabled: false } } }));
  return { ...clean, PAPERBOY_CONFIG: config, PAPERBOY_DATA_DIR: path.join(dir, 'data'), ...extra };
}

interface Exit {
  code: number | null;
  stderr: string;
  stdout: string;
}

/** Starts `npm start`'s entry (node + tsx, as package.json does) and waits for it to exit. */
function start(childEnv: NodeJS.ProcessEnv, asUser?: number): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asUser === undefined ? {} : { uid: asUser, gid: asUser }),
    });
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, stdout }));
  });
}

/** Exit 1, and the message: the cause and the fix, no stack, no secret. */
function expectOneLine(exit: Exit, ...parts: RegExp[]): void {
  expect(exit.code).toBe(1);
  const lines = exit.stderr.trimEnd().split('\n');
  const last = lines.at(-1) ?? '';
  for (const part of parts) expect(last).toMatch(part);
  expect(exit.stderr).not.toMatch(/^\s+at /m);
  for (const secret of [DISCORD_TOKEN, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET])
    expect(exit.stderr + exit.stdout).not.toContain(secret);
}

describe('start-up errors: one line with the cause and the fix, exit 1, no stack', () => {
  let discord: FakeDiscord | undefined;
  let slack: FakeSlack | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await discord?.close();
    await slack?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    discord = slack = server = undefined;
  });

  it('a malformed token', async () => {
    const exit = await start(
      env({ DISCORD_TOKEN: 'Bot not-a-token', DISCORD_APPLICATION_ID: '42' }),
    );
    expectOneLine(exit, /DISCORD_TOKEN: is not a Discord bot token/, /Reset Token/);
    expect(exit.stderr).not.toContain('not-a-token');
  }, 30_000);

  it('a missing token', async () => {
    const exit = await start(env({ SLACK_BOT_TOKEN }));
    expectOneLine(exit, /SLACK_SIGNING_SECRET or SLACK_APP_TOKEN: one is required/);
  }, 30_000);

  // Review 13 finding 3: these ran the terminal instead, exit 0, without a word.
  for (const [name, value, missing] of [
    ['SLACK_APP_TOKEN', 'xapp-1-A1-startup-app-token', 'SLACK_BOT_TOKEN'],
    ['SLACK_SIGNING_SECRET', SLACK_SIGNING_SECRET, 'SLACK_BOT_TOKEN'],
    ['DISCORD_APPLICATION_ID', '123456789012345678', 'DISCORD_TOKEN'],
  ] as const) {
    it(`${name} without ${missing}`, async () => {
      const exit = await start(env({ [name]: value }));
      expectOneLine(exit, new RegExp(`${missing}: is required when ${name} is set`));
      expect(exit.stderr).not.toContain(value === SLACK_SIGNING_SECRET ? value : 'startup-app');
    }, 30_000);
  }

  it('an LLM key without an llm section: a warning line, and the bot still starts', async () => {
    const key = 'sk-startup-llm-key-0123456789';
    const exit = await start(env({ PAPERBOY_LLM_API_KEY: key }));
    expect(exit.code).toBe(0);
    expect(exit.stderr).toMatch(
      /^Paperboy: warning: PAPERBOY_LLM_API_KEY is set but the config has no "llm" section/m,
    );
    expect(exit.stderr + exit.stdout).not.toContain(key);
  }, 30_000);

  it('Discord refuses the token', async () => {
    discord = await startFakeDiscord();
    discord.fail({ path: /\/commands$/, status: 401, times: Number.POSITIVE_INFINITY });
    const exit = await start(
      env({
        DISCORD_TOKEN,
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_API_URL: discord.apiUrl,
      }),
    );
    expectOneLine(exit, /^Discord refused DISCORD_TOKEN \(401 Unauthorized\)/, /Reset Token/);
  }, 30_000);

  it('a PAPERBOY_DISCORD_SHARDS id out of range', async () => {
    const exit = await start(
      env({ DISCORD_TOKEN, DISCORD_APPLICATION_ID: '42', PAPERBOY_DISCORD_SHARDS: '0,4/4' }),
    );
    expectOneLine(
      exit,
      /env PAPERBOY_DISCORD_SHARDS: shard id 4 is out of range: with 4 shards the ids are 0 to 3$/,
    );
  }, 30_000);

  it('Discord requires more shards than configured (gateway close 4011)', async () => {
    // Discord closes at 2,500 guilds a shard; this fake at 0, so its one guild is too many.
    discord = await startFakeDiscord({ maxGuildsPerShard: 0 });
    const exit = await start(
      env({
        DISCORD_TOKEN,
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_API_URL: discord.apiUrl,
      }),
    );
    expectOneLine(
      exit,
      /^Discord requires more shards \(close code 4011, Sharding required\)/,
      /PAPERBOY_DISCORD_SHARDS=auto/,
    );
  }, 30_000);

  it('Slack refuses the token', async () => {
    slack = await startFakeSlack();
    slack.fail('auth.test', { error: 'invalid_auth' });
    const exit = await start(
      env({ SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0' }),
    );
    expectOneLine(exit, /^Slack refused SLACK_BOT_TOKEN \(invalid_auth\)/, /OAuth & Permissions/);
  }, 30_000);

  it('the port is in use', async () => {
    slack = await startFakeSlack();
    const taken = createServer();
    server = taken;
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const port = (taken.address() as { port: number }).port;
    const exit = await start(
      env({
        SLACK_BOT_TOKEN,
        SLACK_SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: String(port),
      }),
    );
    expectOneLine(exit, new RegExp(`^Port ${port} is already in use`), /set PORT to a free port/);
  }, 30_000);

  it('a read-only data folder', async () => {
    const childEnv = env({});
    const dataDir = childEnv.PAPERBOY_DATA_DIR as string;
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o555);
    // Root may write anywhere: run the child as `nobody` then, as a self-hoster's service would.
    const asUser = process.getuid?.() === 0 ? 65534 : undefined;
    if (asUser !== undefined) chmodSync(path.dirname(dataDir), 0o755);
    const exit = await start(childEnv, asUser);
    expectOneLine(
      exit,
      new RegExp(`^The data folder ${dataDir} is not writable by this user \\(EACCES\\)`),
      /set PAPERBOY_DATA_DIR to a writable folder/,
    );
  }, 30_000);

  it('a database from a newer Paperboy', async () => {
    const childEnv = env({});
    const dataDir = childEnv.PAPERBOY_DATA_DIR as string;
    mkdirSync(dataDir);
    const db = new BetterSqlite3(storeFile(dataDir));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const exit = await start(childEnv);
    expectOneLine(
      exit,
      /written by a newer Paperboy/,
      /Upgrade Paperboy or point PAPERBOY_DATA_DIR/,
    );
  }, 30_000);

  it('a config with several errors: one plain line per problem, no zod wording', async () => {
    const childEnv = env({ PAPERBOY_METRICS_PORT: 'abc' });
    const file = path.join(path.dirname(childEnv.PAPERBOY_DATA_DIR as string), 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        digest: { time: null, days: 'sundays' },
        sources: { arxiv: { categories: 'cs.AI' } },
        llm: { baseUrl: 'http://127.0.0.1:9/v1' },
      }),
    );
    const exit = await start({ ...childEnv, PAPERBOY_CONFIG: file });
    expect(exit.code).toBe(1);
    const lines = exit.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines.slice(1).sort()).toEqual(
      [
        '  - env PAPERBOY_METRICS_PORT: must be a port number (0-65535)',
        '  - digest.time: must be a string in quotes, not null',
        '  - digest.days: must be one of "every", "weekdays"',
        '  - sources.arxiv.categories: must be a list [...], not a string in quotes',
        '  - llm.model: is required',
      ].sort(),
    );
    expect(exit.stderr).not.toMatch(/Invalid input|Invalid option|received|ZodError|^\s+at /m);
  }, 30_000);

  it('Discord unreachable (its server closed): one line naming the host, no token', async () => {
    const closed = await startFakeDiscord();
    const apiUrl = closed.apiUrl;
    const applicationId = closed.applicationId;
    await closed.close();
    const exit = await start(
      env({ DISCORD_TOKEN, DISCORD_APPLICATION_ID: applicationId, DISCORD_API_URL: apiUrl }),
    );
    expectOneLine(
      exit,
      new RegExp(
        `^Discord could not be reached at ${apiUrl.replace(/[.]/g, '\\.')} \\(ECONNREFUSED\\)`,
      ),
      /DISCORD_API_URL/,
    );
  }, 60_000);

  it('a malformed PAPERBOY_DATABASE_URL: one line, the URL and its password never shown', async () => {
    const exit = await start(env({ PAPERBOY_DATABASE_URL: 'mysql://paperboy:pw-s3cret-77@db/x' }));
    expectOneLine(exit, /PAPERBOY_DATABASE_URL: must be a PostgreSQL connection URL/);
    expect(exit.stderr + exit.stdout).not.toContain('pw-s3cret-77');
  }, 30_000);

  it('PostgreSQL unreachable (nothing listens): one line naming host and database, no password', async () => {
    // A port just freed: nothing listens there.
    const probe = createServer();
    const port = await new Promise<number>((resolve) =>
      probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)),
    );
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const url = `postgres://paperboy:pw-s3cret-77@127.0.0.1:${port}/paperboy`;
    const exit = await start(env({ PAPERBOY_DATABASE_URL: url }));
    expectOneLine(
      exit,
      new RegExp(
        `^Cannot open the PostgreSQL database 127\\.0\\.0\\.1:${port}/paperboy \\(ECONNREFUSED\\)`,
      ),
      /PAPERBOY_DATABASE_URL/,
    );
    expect(exit.stderr + exit.stdout).not.toContain('pw-s3cret-77');
  }, 60_000);

  it('Slack unreachable (its server closed): one line naming the host, no token', async () => {
    const closed = await startFakeSlack();
    const apiUrl = closed.apiUrl;
    await closed.close();
    const exit = await start(
      env({ SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL: apiUrl, PORT: '0' }),
    );
    expectOneLine(exit, /^Slack could not be reached at .* \(ECONNREFUSED\)/, /SLACK_API_URL/);
  }, 60_000);
});
