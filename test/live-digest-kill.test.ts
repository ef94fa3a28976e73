import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../bench/corpus.js';
import { SqliteStore, storeFile } from '../src/core/store/sqlite-store.js';
import type { FakeMessage } from './fakes/platform-poster.js';
import { childEnv, watch } from './live/child-process.js';
import { ROOT } from './live/harness.js';

const RUNS = 50;
const RUNS_PER_DAY = 5;
const CHANNELS = 20;

describe('kill -9 at random moments of digest cycles (20 channels, 50 runs)', () => {
  let dir = '';
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Whether the child was killed before its tick finished. */
  async function runOnce(now: string, killAfterPosts: number | null): Promise<boolean> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/live/digest-kill-child.ts'], {
      cwd: ROOT,
      env: childEnv({
        CHILD_DATA_DIR: dir,
        CHILD_MESSAGES: path.join(dir, 'messages.jsonl'),
        CHILD_NOW: now,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const out = watch(child);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let posts = 0;
    await out.until((line) => {
      if (line.startsWith('POSTED ')) posts++;
      if (line === 'TICK-DONE') return true;
      return (
        killAfterPosts !== null &&
        (killAfterPosts === 0 ? line === 'STARTED' : posts >= killAfterPosts)
      );
    });
    child.kill('SIGKILL');
    await exited;
    return !out.lines.includes('TICK-DONE');
  }

  it('every channel ends with exactly one digest per due day; the database passes integrity_check', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-kill-'));
    const random = seededRandom(11);
    const days = RUNS / RUNS_PER_DAY;
    for (let run = 0; run < RUNS; run++) {
      const day = 10 + Math.floor(run / RUNS_PER_DAY);
      const minute = 30 + (run % RUNS_PER_DAY) * 5;
      // The last run of a day is killed only after its tick: the day is done before the next.
      const last = run % RUNS_PER_DAY === RUNS_PER_DAY - 1;
      await runOnce(`2026-06-${day}T09:${minute}:00Z`, last ? null : Math.floor(random() * 24));
    }

    const messages: FakeMessage[] = readFileSync(path.join(dir, 'messages.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    for (let c = 0; c < CHANNELS; c++) {
      const mine = messages.filter((m) => m.channel === `fake:w:c${c}`);
      expect(
        mine.map((m) => m.date),
        `c${c}`,
      ).toEqual(Array.from({ length: days }, (_, d) => `2026-06-${10 + d}`));
      const ids = mine.flatMap((m) => m.paperIds);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(3 * days);
    }
    const store = SqliteStore.open(storeFile(dir));
    try {
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(store.openDigestRuns()).toEqual([]);
    } finally {
      store.close();
    }
  }, 600_000);
});
