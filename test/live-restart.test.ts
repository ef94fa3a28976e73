import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArxivRss } from '../src/core/sources/parse-arxiv-rss.js';
import { parseHfDailyPapers } from '../src/core/sources/parse-hf-daily-papers.js';
import { SqliteStore, storeFile } from '../src/core/store/sqlite-store.js';
import type { ChannelRef } from '../src/core/store/store.js';
import type { TickSummary } from '../src/runtime/live.js';
import type { FakeMessage } from './fakes/platform-poster.js';
import { childEnv, watch } from './live/child-process.js';
import { fixture, ROOT } from './live/harness.js';

const CHANNELS: ChannelRef[] = ['alpha', 'beta', 'gamma', 'delta'].map((channel) => ({
  platform: 'fake',
  workspace: 'w1',
  channel,
}));

describe('crash and restart while posting digests', () => {
  let dir = '';
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function spawnBot(extra: Record<string, string>) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/live/child-entry.ts'], {
      cwd: ROOT,
      env: childEnv({
        CHILD_DATA_DIR: dir,
        CHILD_MESSAGES: path.join(dir, 'messages.jsonl'),
        CHILD_NOW: '2026-06-10T09:30:00Z',
        ...extra,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    return { child, out: watch(child) };
  }

  it('is SIGKILLed mid-posting, restarts, and every channel ends up with exactly one digest', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-restart-'));
    const store = SqliteStore.open(storeFile(dir));
    const seenAt = new Date('2026-06-10T04:00:00Z');
    store.upsertPapers(
      parseHfDailyPapers(fixture('hf-day1.json'), { fetchedAt: seenAt.toISOString() }).papers,
      seenAt,
    );
    store.upsertPapers(
      parseArxivRss(fixture('arxiv-rss-wed.xml'), { fetchedAt: seenAt.toISOString() }).papers,
      seenAt,
    );
    for (const ref of CHANNELS) {
      store.setSchedule(
        ref,
        { time: '09:00', timeZone: 'UTC', days: 'every', size: 10 },
        new Date('2026-06-09T09:00:00Z'),
      );
      store.setLastDigestAt(ref, new Date('2026-06-09T09:00:00Z'));
    }
    store.addSubscription({
      channel: CHANNELS[1]!,
      topic: 'robot grasping',
      addedBy: 'u',
      addedAt: '2026-06-09T00:00:00Z',
    });
    store.close();

    // First run: digests are due at start (catch-up); it hangs inside the 3rd post and is killed.
    const first = spawnBot({ CHILD_HANG_AFTER: '3' });
    await first.out.until((l) => l === 'HUNG');
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const before = readFileSync(path.join(dir, 'messages.jsonl'), 'utf8').trim().split('\n');
    expect(before).toHaveLength(3);

    /** A run of the bot at `now`: one tick, then a clean shutdown on SIGTERM. */
    async function tickOnce(now: string) {
      const bot = spawnBot({ CHILD_NOW: now });
      const done = await bot.out.until((l) => l.startsWith('TICK-DONE'));
      const exit = new Promise<number | null>((resolve) =>
        bot.child.once('exit', (code) => resolve(code)),
      );
      bot.child.kill('SIGTERM');
      expect(await exit).toBe(0);
      const summary = JSON.parse(done.slice('TICK-DONE '.length)) as TickSummary;
      return { lines: bot.out.lines, outcomes: summary.digests.map((d) => d.outcome.kind) };
    }

    // Restarted at once: the killed process's claim on the hung run is live for 2 minutes,
    // so that run is left alone (busy); the untouched channel is posted.
    const second = await tickOnce('2026-06-10T09:30:00Z');
    expect(second.outcomes).toContain('busy');
    // After the lease: the run is taken over, reconciled and completed.
    const third = await tickOnce('2026-06-10T09:32:00Z');
    expect(third.outcomes).toEqual(['posted']);

    // The hung post was found by reconciliation, not re-posted: only the untouched channel got a post.
    const postedBefore = new Set(before.map((line) => (JSON.parse(line) as FakeMessage).channel));
    const postedAfter = [...second.lines, ...third.lines]
      .filter((l) => l.startsWith('POSTED '))
      .map((l) => l.slice(7));
    expect(postedAfter).toHaveLength(1);
    expect(postedBefore.has(postedAfter[0]!)).toBe(false);

    const messages: FakeMessage[] = readFileSync(path.join(dir, 'messages.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    for (const ref of CHANNELS) {
      const mine = messages.filter((m) => m.channel === `fake:w1:${ref.channel}`);
      expect(mine, ref.channel).toHaveLength(1);
      expect(mine[0]?.date).toBe('2026-06-10');
    }
    const check = SqliteStore.open(storeFile(dir));
    expect(check.openDigestRuns()).toEqual([]);
    for (const ref of CHANNELS) {
      const runs = check.recentDigestRuns(ref, 5);
      expect(runs.map((r) => [r.digestDate, r.state])).toEqual([['2026-06-10', 'posted']]);
      expect(check.getChannel(ref)?.lastDigestAt).toBe('2026-06-10T09:30:00.000Z');
    }
    check.close();
  });
});
