import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/core/store/migrations.js';
import { SqliteStore, storeFile } from '../../src/core/store/sqlite-store.js';
import { formatFindings, runDoctor } from '../../src/ops/doctor.js';
import { checkTokenShapes } from '../../src/ops/token-shapes.js';
import { FeedServer } from '../live/feed-server.js';
import { childEnv } from './fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const DISCORD_TOKEN = `${Buffer.from('123456789012345678').toString('base64url')}.GaBcDe.abcdefghijklmnopqrstuvwxyz012345`;
const SIGNING_SECRET = '0123456789abcdef0123456789abcdef';

describe('npm run doctor', () => {
  let dir: string;
  let feeds: FeedServer;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-doctor-'));
    feeds = await new FeedServer(() => Date.now()).start();
  });
  afterEach(async () => {
    await feeds.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A config file pointing every source at the fake feed server. */
  function env(
    over: Record<string, string> = {},
    arxiv = false,
    base = feeds.baseUrl,
  ): Record<string, string> {
    const config = path.join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        sources: {
          huggingface: { enabled: true, baseUrl: base, pollMinutes: 60 },
          arxiv: {
            enabled: arxiv,
            rssBaseUrl: `${base}/rss`,
            apiBaseUrl: `${base}/api/query`,
            categories: ['cs.RO'],
            pollMinutes: 180,
          },
        },
      }),
    );
    return { PAPERBOY_CONFIG: config, PAPERBOY_DATA_DIR: path.join(dir, 'data'), ...over };
  }

  it('finds no problem in a healthy installation (store open, feeds answering)', async () => {
    feeds.answer('/api/daily_papers', { status: 200, body: '[]' });
    feeds.answer('/rss/cs.RO', { status: 200, body: '<rss/>' });
    feeds.answer('/api/query', { status: 200, body: '<feed/>' });
    SqliteStore.open(storeFile(path.join(dir, 'data'))).close();
    const findings = await runDoctor({ env: env({}, true), rootDir: ROOT });
    expect(findings.filter((f) => f.level !== 'ok')).toEqual([]);
    expect(findings.map((f) => f.check)).toEqual([
      'config',
      'data dir',
      'store',
      'source huggingface',
      'source arxiv-rss',
      'source arxiv-api',
    ]);
    expect(findings.find((f) => f.check === 'store')?.message).toContain(
      `schema version ${SCHEMA_VERSION}`,
    );
  });

  it('names an unreachable feed, one answering 404 and one that never answers', async () => {
    feeds.answer('/api/daily_papers', { status: 404, body: 'nope' });
    feeds.answer('/rss/cs.RO', { hang: true });
    feeds.answer('/api/query', { status: 200 });
    const findings = await runDoctor({ env: env({}, true), rootDir: ROOT, timeoutMs: 300 });
    const problems = Object.fromEntries(
      findings.filter((f) => f.level === 'problem').map((f) => [f.check, f.message]),
    );
    expect(problems['source huggingface']).toMatch(/answers HTTP 404: check the source's base URL/);
    expect(problems['source arxiv-rss']).toMatch(/did not answer within 0.3 s/);
    expect(Object.keys(problems)).toHaveLength(2);

    // A port nothing listens on any more (never connected to, so no pooled socket).
    const gone = await new FeedServer(() => Date.now()).start();
    await gone.close();
    const offline = await runDoctor({
      env: env({}, false, gone.baseUrl),
      rootDir: ROOT,
      timeoutMs: 2000,
    });
    expect(offline.find((f) => f.check === 'source huggingface')?.message).toMatch(
      /cannot be reached \(connection refused\)/,
    );
  });

  it('refuses a store from a newer Paperboy, a damaged file and a data dir that is a file', async () => {
    feeds.answer('/api/daily_papers', { status: 200, body: '[]' });
    const data = path.join(dir, 'data');
    SqliteStore.open(storeFile(data)).close();
    const db = new BetterSqlite3(storeFile(data));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    let store = (await runDoctor({ env: env(), rootDir: ROOT })).find((f) => f.check === 'store');
    expect(store).toMatchObject({ level: 'problem' });
    expect(store?.message).toContain('newer than this Paperboy understands');

    rmSync(data, { recursive: true });
    SqliteStore.open(storeFile(data)).close();
    writeFileSync(
      storeFile(data),
      'this is not a database, only text long enough to look like one',
    );
    store = (await runDoctor({ env: env(), rootDir: ROOT })).find((f) => f.check === 'store');
    expect(store).toMatchObject({ level: 'problem' });
    expect(store?.message).toMatch(/cannot be read as a database/);

    const file = path.join(dir, 'plain-file');
    writeFileSync(file, '');
    const findings = await runDoctor({ env: env({ PAPERBOY_DATA_DIR: file }), rootDir: ROOT });
    expect(findings.find((f) => f.check === 'data dir')?.message).toMatch(
      /is a file, not a folder/,
    );
  });

  it('checks token shapes without ever printing a token', () => {
    const good = checkTokenShapes({
      DISCORD_TOKEN,
      DISCORD_APPLICATION_ID: '123456789012345678',
      SLACK_BOT_TOKEN: 'xoxb-1111-2222-abcdef',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_APP_TOKEN: 'xapp-1-A111-222-abc',
    });
    expect(good.map((f) => f.level)).toEqual(['ok', 'ok', 'ok', 'ok']);

    const secrets = {
      DISCORD_TOKEN: `Bot ${DISCORD_TOKEN}`,
      SLACK_BOT_TOKEN: 'xoxp-9999-secret-user-token',
      SLACK_SIGNING_SECRET: 'not-a-signing-secret-value',
      SLACK_APP_TOKEN: ' xapp-1-A111-222-abc',
    };
    const bad = checkTokenShapes(secrets);
    const text = formatFindings(bad);
    expect(bad.map((f) => f.level)).toEqual(['problem', 'problem', 'problem', 'problem']);
    expect(text).toContain('DISCORD_TOKEN starts with "Bot "');
    expect(text).toContain('it is a user token (xoxp-)');
    expect(text).toContain('SLACK_APP_TOKEN starts or ends with whitespace');
    for (const value of Object.values(secrets)) expect(text).not.toContain(value.trim());

    const other = checkTokenShapes({ DISCORD_TOKEN, DISCORD_APPLICATION_ID: '999999999999999999' });
    expect(other[1]).toMatchObject({ level: 'warning' });
  });

  it('exits 1 with the invalid keys named in plain words, secrets left out', () => {
    const config = path.join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ digest: { time: '25:00' } }));
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/doctor.ts'], {
      cwd: ROOT,
      env: childEnv({
        PAPERBOY_CONFIG: config,
        PAPERBOY_DATA_DIR: path.join(dir, 'data'),
        SLACK_BOT_TOKEN: 'xoxb-secret-value-1234',
        SLACK_SIGNING_SECRET: 'wrong-secret-value',
      }),
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('PROBLEM  config: Invalid configuration:');
    expect(result.stdout).toContain('digest.time: must be a time HH:MM');
    expect(result.stdout).toContain('SLACK_SIGNING_SECRET does not look like');
    expect(result.stdout).toMatch(/\d problems? found\.\n$/);
    expect(result.stdout + result.stderr).not.toContain('secret-value');
  });
});
