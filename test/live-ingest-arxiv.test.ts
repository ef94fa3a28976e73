import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore, storeFile } from '../src/core/store/sqlite-store.js';
import { FeedServer } from './live/feed-server.js';
import { fixture, ROOT } from './live/harness.js';

function run(args: string[], env: NodeJS.ProcessEnv) {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(DISCORD|SLACK)_/.test(k)) clean[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/ingest.ts', ...args], {
    cwd: ROOT,
    env: { ...clean, PAPERBOY_LOG_LEVEL: 'silent', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr })),
  );
}

describe('npm run ingest -- --arxiv', () => {
  let dir = '';
  let server: FeedServer | null = null;
  afterEach(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('backfills from the configured query API into the store and records the run', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-backfill-'));
    server = await new FeedServer(() => Date.now()).start();
    server.answer('/api/query', { body: fixture('arxiv-api-page1.xml') });
    const configFile = path.join(dir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({ sources: { arxiv: { apiBaseUrl: `${server.baseUrl}/api/query` } } }),
    );
    const result = await run(['--arxiv', 'cat:cs.RO', '--since', '2024-06-01', '--max', '3'], {
      PAPERBOY_CONFIG: configFile,
      PAPERBOY_DATA_DIR: dir,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /arXiv "cat:cs\.RO" since 2024-06-01: new 3, updated 0, fetched 3 in 1 pages/,
    );
    const [request] = server.requests('/api/query');
    expect(new URL(request!.path, server.baseUrl).searchParams.get('search_query')).toBe(
      'cat:cs.RO',
    );
    expect(request?.headers['user-agent']).toMatch(
      /^Paperboy\/\d+\.\d+\.\d+ \(\+\S+; research paper bot\)$/,
    );
    const store = SqliteStore.open(storeFile(dir));
    expect(store.getPaper('2406.00003')?.authors).toEqual(['Author 3', 'Zoë Co-Author']);
    expect(store.recentSourceRuns('arxiv-api', 1)[0]).toMatchObject({ ok: true, added: 3 });
    store.close();
  });

  it('explains a bad --since without touching the store', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-backfill-'));
    const result = await run(['--arxiv', 'cat:cs.RO', '--since', 'last week'], {
      PAPERBOY_DATA_DIR: dir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--since must be a day YYYY-MM-DD/);
    expect(result.stderr).toContain('not "last week"');
    expect(existsSync(storeFile(dir))).toBe(false);
  });

  it('says --since is required when it is missing, not that it is malformed', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-backfill-'));
    const result = await run(['--arxiv', 'cat:cs.RO'], { PAPERBOY_DATA_DIR: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^--arxiv needs --since YYYY-MM-DD/);
    expect(result.stderr).not.toMatch(/must be a day/);
    expect(result.stderr).toContain('Usage: npm run ingest');
    expect(existsSync(storeFile(dir))).toBe(false);
  });
});
