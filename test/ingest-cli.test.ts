import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKER_MIN_BYTES } from '../src/core/ingest.js';
import { SqliteStore, storeFile } from '../src/core/store/sqlite-store.js';
import { finished } from './live/child-process.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-ingest-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function childEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(DISCORD_|SLACK_|PAPERBOY_)/.test(key)) env[key] = value;
  }
  env.PAPERBOY_DATA_DIR = dataDir;
  return env;
}

function runIngest(args: string[], dataDir: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/ingest.ts', ...args], {
    env: childEnv(dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function writeCorpus(name: string, lines: number, abstractRepeat = 8): string {
  const file = path.join(dir, name);
  const rows: string[] = [];
  for (let i = 0; i < lines; i++) {
    rows.push(
      JSON.stringify({
        id: `2502.${String(i).padStart(5, '0')}`,
        title: `Learned locomotion policy number ${i}`,
        authors: ['A. Author', 'B. Author'],
        abstract: `We train policy ${i} in simulation and transfer it to hardware. `.repeat(
          abstractRepeat,
        ),
        categories: ['cs.RO', 'cs.LG'],
        date: '2026-01-02',
        comment: null,
      }),
    );
  }
  writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

describe('npm run ingest (src/ingest.ts)', () => {
  it('prints a committed line per batch and a summary; a second run changes nothing', async () => {
    const dataDir = path.join(dir, 'twice');
    const file = writeCorpus('small.jsonl', 30);
    const first = await finished(runIngest([file, '--batch-size', '10'], dataDir));
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('committed 10\ncommitted 20\ncommitted 30\n');
    expect(first.stdout).toMatch(/new 30, updated 0, unchanged 0, skipped 0/);
    const second = await finished(runIngest([file], dataDir));
    expect(second.stdout).toMatch(/new 0, updated 0, unchanged 30, skipped 0/);
  });

  it('fails on a bad file with a clear message, exit code 1 and no stack trace', async () => {
    const dataDir = path.join(dir, 'bad');
    const file = path.join(dir, 'garbage.bin');
    writeFileSync(file, Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff, 0xfe]));
    const bad = await finished(runIngest([file], dataDir));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${file} is not in a format Paperboy reads`);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const missing = await finished(runIngest([path.join(dir, 'missing.jsonl')], dataDir));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('missing.jsonl: no such file');
  });

  // A file of WORKER_MIN_BYTES or more is parsed on a worker thread: both ways are killed.
  it.each([
    ['one thread', 1],
    ['a parsing thread', 8],
  ])(
    'survives SIGKILL mid-ingest (%s): the database opens, is intact and holds every reported batch',
    async (name, abstractRepeat) => {
      const dataDir = path.join(dir, `killed-${abstractRepeat}`);
      const total = 20_000;
      const file = writeCorpus(`large-${abstractRepeat}.jsonl`, total, abstractRepeat);
      expect(statSync(file).size >= WORKER_MIN_BYTES, name).toBe(abstractRepeat > 1);
      // One paper per batch, so one "committed N" line per paper. The child writes stdout to
      // the pipe synchronously: once we stop reading, the pipe fills (≤ 64 KiB kernel + our
      // stream buffer, a few thousand lines) and the child blocks before the last batch. So
      // the kill lands mid-way however late the signal is delivered.
      const child = runIngest([file, '--batch-size', '1'], dataDir);
      let killed = false;
      const outcome = await finished(child, (stdout) => {
        if (killed || !/committed \d+\n/.test(stdout)) return;
        killed = true;
        child.stdout?.pause();
        child.kill('SIGKILL');
        // Read what the child wrote before it died: every line is a batch it reported committed.
        child.once('exit', () => child.stdout?.resume());
      });
      expect(outcome.signal).toBe('SIGKILL');
      const reported = [...outcome.stdout.matchAll(/committed (\d+)\n/g)].map((m) => Number(m[1]));
      expect(reported.length).toBeGreaterThan(0);
      // Killed mid-way: the last batch was never reported, and no summary was printed.
      expect(Math.max(...reported)).toBeLessThan(total);
      expect(outcome.stdout).not.toMatch(/new \d+, updated/);

      const db = new BetterSqlite3(storeFile(dataDir));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
      const store = SqliteStore.open(storeFile(dataDir));
      expect(store.countPapers()).toBeGreaterThanOrEqual(Math.max(...reported));
      store.close();
    },
  );

  it('reads a large file on its parsing thread: bad lines named by number, in order', async () => {
    const dataDir = path.join(dir, 'threaded');
    const file = writeCorpus('threaded.jsonl', 20_000, 8);
    appendFileSync(file, 'not json\n{"id": "2502.99999", "title": "cut off');
    expect(statSync(file).size).toBeGreaterThanOrEqual(WORKER_MIN_BYTES);
    const outcome = await finished(runIngest([file, '--batch-size', '5000'], dataDir));
    expect(outcome.code).toBe(0);
    // Batches of at most 5,000, some shorter: where the writer waited, it parsed lines itself.
    const committed = [...outcome.stdout.matchAll(/^committed (\d+)$/gm)].map((m) => Number(m[1]));
    expect(committed.at(-1)).toBe(20000);
    for (const [i, n] of committed.entries()) {
      expect(n - (committed[i - 1] ?? 0)).toBeGreaterThan(0);
      expect(n - (committed[i - 1] ?? 0)).toBeLessThanOrEqual(5000);
    }
    expect(outcome.stdout).toMatch(/new 20000, updated 0, unchanged 0, skipped 2, warnings 2\n$/);
    expect(outcome.stderr).toBe(
      'warning: line 20001: skipped, not valid JSON\n' +
        'warning: line 20002: skipped, the file ends in the middle of this line (cut off?); ' +
        'the 20001 lines before it were read\n' +
        '2 warnings (2 items skipped)\n',
    );
  });
});
