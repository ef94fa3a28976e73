import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Bot, createBot } from '../../../src/app.js';
import { runCommand } from '../../../src/commands/dispatch.js';
import type { Config } from '../../../src/config.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { Live, TickSummary } from '../../../src/runtime/live.js';
import { FakePlatform } from '../../fakes/platform-poster.js';
import { startTestLive, testConfig, testTime } from '../../live/harness.js';
import { listed, TEAM } from './situation-bot.js';

// Two bot processes on one SQLite file (two instances, or the old and the new one of a
// rolling restart), ticking the same due minute against one platform: a claim with a lease
// on each digest run lets exactly one of them post it.

const START = '2026-03-02T06:00:00Z';
const label = `${TEAM.platform}:${TEAM.workspace}:${TEAM.channel}`;
let dir: string;
const opened: Array<{ bot: Bot; live: Live }> = [];
afterEach(async () => {
  for (const { bot, live } of opened.splice(0)) {
    await live.stop();
    await bot.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

function config(): Config {
  const base = testConfig('http://127.0.0.1:9');
  return {
    ...base,
    sources: {
      huggingface: { ...base.sources.huggingface, enabled: false },
      arxiv: { ...base.sources.arxiv, enabled: false },
    },
    digest: { ...base.digest, postWhenEmpty: false, perTopic: 20 },
  };
}

/** Two processes on one file, one platform, one clock; twelve papers make a two-part digest. */
async function twoProcesses() {
  dir = mkdtempSync(path.join(tmpdir(), 'paperboy-two-'));
  const time = testTime(START);
  const platform = new FakePlatform();
  const outcomes = new Map<Live, Array<TickSummary['digests']>>();
  const open = async () => {
    const cfg = config();
    const bot = await createBot({
      config: cfg,
      clock: time.clock,
      logger: silentLogger(),
      dataDir: dir,
      sampleFile: null,
    });
    // stopGraceMs 0: a process left hanging mid-post (as if killed) is not waited for.
    const summaries: Array<TickSummary['digests']> = [];
    const live = startTestLive(bot, cfg, time, new Map([['fake' as const, platform]]), {
      stopGraceMs: 0,
      onTickDone: (summary) => summaries.push(summary.digests),
    });
    outcomes.set(live, summaries);
    opened.push({ bot, live });
    return { bot, live };
  };
  const a = await open();
  const b = await open();
  const ctx = a.bot.contextFor(TEAM, { id: 'U1', canManageChannel: true }, 'Manage Channel');
  await runCommand(
    { name: 'schedule', options: { time: '09:00', timezone: 'UTC', size: 20 } },
    ctx,
  );
  await runCommand({ name: 'subscribe', options: { topic: 'robot grasping' } }, ctx);
  time.clock.set('2026-03-02T08:00:00Z');
  const papers = Array.from({ length: 12 }, (_, i) =>
    listed(`2603.${String(i + 1).padStart(5, '0')}`, `Grasping ${i + 1}`, '2026-03-02T08:00:00Z'),
  );
  await a.bot.store.upsertPapers(papers, time.clock.now());
  await a.bot.search.refresh();
  await b.bot.search.refresh();
  time.clock.set('2026-03-02T09:00:00Z');
  const digests = () => platform.in(TEAM).filter((m) => m.kind === 'digest');
  return { a, b, time, platform, digests, outcomes };
}

describe('two processes on one store', () => {
  it('both ticking the due minute post exactly one digest', async () => {
    const { a, b, digests } = await twoProcesses();
    await Promise.all([a.live.tick(), b.live.tick()]);
    await Promise.all([a.live.tick(), b.live.tick()]);
    expect(digests().map((m) => m.part)).toEqual([1, 2]);
    expect(new Set(digests().map((m) => m.deliveryId)).size).toBe(2);
    expect((await a.bot.store.recentDigestRuns(TEAM, 5)).map((r) => r.state)).toEqual(['posted']);
  });

  it('a process ticking while the other posts a part leaves the run to it (busy)', async () => {
    const { a, b, platform, digests, outcomes } = await twoProcesses();
    // While A's first part is on the wire, B ticks the same minute.
    platform.afterPost = async () => {
      platform.afterPost = () => {};
      await b.live.tick();
    };
    await a.live.tick();
    expect(outcomes.get(b.live)?.at(-1)).toEqual([
      { channel: label, outcome: { kind: 'busy', runId: expect.any(String) } },
    ]);
    expect(digests().map((m) => m.part)).toEqual([1, 2]);
    await b.live.tick();
    expect(digests()).toHaveLength(2);
  });

  it("takes over a dead process's run once its lease has expired, posting only what is missing", async () => {
    const { a, b, time, platform, digests, outcomes } = await twoProcesses();
    // A posts the first part and is killed before it records it (its tick never returns).
    let posted: () => void = () => {};
    const firstPost = new Promise<void>((resolve) => {
      posted = resolve;
    });
    platform.afterPost = () => {
      platform.afterPost = () => {};
      posted();
      return new Promise<void>(() => {});
    };
    void a.live.tick();
    await firstPost;
    time.clock.set('2026-03-02T09:01:00Z');
    await b.live.tick();
    expect(outcomes.get(b.live)?.at(-1)?.[0]?.outcome).toMatchObject({ kind: 'busy' });
    expect(digests()).toHaveLength(1);
    // Two minutes after A's claim: B takes the run, finds part 1 on the platform, posts part 2.
    time.clock.set('2026-03-02T09:02:00Z');
    await b.live.tick();
    expect(outcomes.get(b.live)?.at(-1)?.[0]?.outcome).toMatchObject({ kind: 'posted', parts: 2 });
    expect(digests().map((m) => m.part)).toEqual([1, 2]);
    const [run] = await b.bot.store.recentDigestRuns(TEAM, 5);
    expect(run?.state).toBe('posted');
    expect(run?.parts.map((p) => p.messageId)).toEqual(digests().map((m) => m.id));
  });
});
