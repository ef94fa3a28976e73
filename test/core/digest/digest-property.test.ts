import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../../src/core/store/store.js';
import { CHANNELS, Crash, label, type Mode, SimWorld } from './sim-world.js';
import { listed } from './situation-bot.js';

/**
 * Model-based, simulated time (notes/testing-stateful-flows.md): the real bot in memory,
 * a fake platform with outages and refusals, reschedules across a DST change, imports and
 * replace items, restarts, and a crash at any store write or platform call. The model is
 * only what a user sees: which papers each channel must get.
 */

const START = '2026-03-16T06:00:00Z'; // Europe moves its clocks on 2026-03-29
const RUNS = Number(process.env.DIGEST_FUZZ_RUNS ?? 200);
const SEED = Number(process.env.DIGEST_FUZZ_SEED ?? 20261203);
const TOPICS = ['grasping', 'reasoning'] as const;

interface Model {
  world: SimWorld;
  /** Papers a channel must get: live-listed, matching its topic. */
  eligible: Map<string, Set<string>>;
  /** Papers that must never be posted: imports, backfills, replaced old papers. */
  never: Set<string>;
  story: string[];
  next: number;
}

function day(model: Model): string {
  const now = model.world.clock.now();
  const d = Math.floor((now.getTime() - new Date(START).getTime()) / 86_400_000) + 1;
  return `day ${d} (${now.toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
}

function tell(model: Model, what: string): void {
  model.story.push(`${day(model)}: ${what}`);
}

/** A listed paper whose text names only its own topic. */
const news = (...[id, title, at, over]: Parameters<typeof listed>) =>
  listed(id, title, at, { abstract: `${title}.`, ...over });

/** Runs one tick; a crash ends the "process", which the next restart brings back. */
async function tick(model: Model): Promise<void> {
  try {
    await model.world.tick();
  } catch (error) {
    if (!(error instanceof Crash)) throw error;
  }
  if (model.world.crashed) {
    tell(model, 'the process is killed; it restarts');
    model.world.restart();
  }
}

/** No paper twice to a channel, nothing that is never news, the cursor behind nothing unposted. */
function checkInvariants(model: Model): void {
  const { world } = model;
  for (const { ref } of CHANNELS) {
    const got = world.posted.filter((m) => m.channel === label(ref)).flatMap((m) => m.paperIds);
    expect(new Set(got).size, `${label(ref)} got a paper twice`).toBe(got.length);
    for (const id of got) expect(model.never.has(id), `${label(ref)} got old ${id}`).toBe(false);
    const cursor = world.bot.store.getChannel(ref)?.lastDigestAt;
    if (!cursor) continue;
    const posted = new Set(got);
    for (const id of model.eligible.get(label(ref)) ?? []) {
      if (posted.has(id)) continue;
      const paper = world.bot.store.getPaper(id);
      if (paper && paper.firstSeenAt <= cursor && !skippedIn(model, ref).has(id))
        throw new Error(`${label(ref)}: the cursor ${cursor} passed unposted ${id}`);
    }
  }
}

/** Papers listed as skipped in runs of a channel paused for refusing past the horizon. */
function skippedIn(model: Model, ref: ChannelRef): Set<string> {
  return new Set(
    model.world.bot.store
      .recentDigestRuns(ref, 1000)
      .filter((r) => r.lastError?.startsWith('skipped'))
      .flatMap((r) => r.paperIds),
  );
}

type Cmd = fc.AsyncCommand<Model, Model>;
const cmd = (name: string, run: (m: Model) => Promise<void>): Cmd => ({
  check: () => true,
  async run(m) {
    await run(m);
    checkInvariants(m);
  },
  toString: () => name,
});

const advance = fc.integer({ min: 10, max: 36 * 60 }).map((minutes) =>
  cmd(`advance ${minutes} min`, async (m) => {
    m.world.clock.advance(minutes * 60_000);
    await tick(m);
  }),
);

const arrive = fc
  .record({
    kind: fc.constantFrom('live', 'live', 'import', 'backfill', 'replace'),
    topic: fc.constantFrom(...TOPICS),
  })
  .map(({ kind, topic }) =>
    cmd(`${kind} ${topic} paper`, async (m) => {
      // The runtime polls before it plans in a tick, so a paper never lands in the same
      // millisecond after a plan; a second later keeps the simulation to that order.
      m.world.clock.advance(1_000);
      const now = m.world.clock.now();
      const n = m.next++;
      const id = `2603.${String(10000 + n)}`;
      const title = `Robot ${topic} study number ${n}`;
      if (kind === 'live') {
        m.world.arrive([news(id, title, now.toISOString())]);
        for (const c of CHANNELS)
          if (c.topic === null || c.topic === topic) m.eligible.get(label(c.ref))?.add(id);
      } else if (kind === 'import' || kind === 'backfill') {
        const old = `1901.${String(10000 + n)}`;
        const source = kind === 'import' ? 'jsonl' : 'arxiv-api';
        const observedAt = kind === 'import' ? '2019-01-05T00:00:00.000Z' : now.toISOString();
        m.world.arrive([
          news(old, title, now.toISOString(), { source, publishedAt: '2019-01-05', observedAt }),
        ]);
        m.never.add(old);
      } else {
        // A replace item: a new version of a paper from last year (known or not).
        const old = `2501.${String(10000 + n)}`;
        if (n % 2 === 0)
          m.world.arrive([
            news(old, title, '2025-01-10T00:00:00.000Z', {
              announceType: 'new',
              source: 'jsonl',
            }),
          ]);
        m.world.arrive([
          news(old, title, now.toISOString(), { version: 2, announceType: 'replace' }),
        ]);
        m.never.add(old);
      }
      tell(m, `a ${kind} "${topic}" paper arrives`);
    }),
  );

const platform = fc
  .record({
    channel: fc.integer({ min: 0, max: CHANNELS.length - 1 }),
    mode: fc.constantFrom<Mode>('up', 'up', '5xx', '429', 'refuse'),
  })
  .map(({ channel, mode }) =>
    cmd(`${label(CHANNELS[channel]!.ref)} ${mode}`, async (m) => {
      m.world.modes.set(label(CHANNELS[channel]!.ref), mode);
      tell(m, `the platform is ${mode} for #${label(CHANNELS[channel]!.ref)}`);
    }),
  );

const reschedule = fc
  .record({
    channel: fc.integer({ min: 0, max: CHANNELS.length - 1 }),
    time: fc.constantFrom('07:00', '09:30', '18:00', '02:30'),
    zone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'),
    days: fc.constantFrom('every', 'every', 'weekdays'),
  })
  .map(({ channel, time, zone, days }) =>
    cmd(`reschedule ${label(CHANNELS[channel]!.ref)} ${time} ${zone} ${days}`, async (m) => {
      await m.world.command(CHANNELS[channel]!.ref, 'schedule', {
        time,
        timezone: zone,
        days,
        size: 50,
      });
      tell(m, `#${label(CHANNELS[channel]!.ref)} moves its digest to ${time} ${zone}, ${days}`);
    }),
  );

const crash = fc.integer({ min: 0, max: 12 }).map((n) =>
  cmd(`crash after ${n} writes/calls`, async (m) => {
    m.world.crashAfter(n);
    tell(m, `the process will be killed at its write or call number ${n + 1}`);
    await tick(m);
    m.world.restart();
  }),
);

const restart = fc.constant(
  cmd('restart', async (m) => {
    m.world.restart();
    tell(m, 'restart');
    await tick(m);
  }),
);

async function runCase(commands: Iterable<Cmd>): Promise<void> {
  const world = await SimWorld.open(START);
  const model: Model = {
    world,
    eligible: new Map(CHANNELS.map((c) => [label(c.ref), new Set()])),
    never: new Set(),
    story: [],
    next: 0,
  };
  try {
    for (const c of CHANNELS) {
      await world.command(c.ref, 'schedule', { time: '09:00', timezone: 'UTC', size: 50 });
      if (c.topic) await world.command(c.ref, 'subscribe', { topic: c.topic });
    }
    await fc.asyncModelRun(() => ({ model, real: model }), commands);
    // Recovery: the platform comes back, refusals are fixed, a week passes with ticks.
    for (const c of CHANNELS) world.modes.set(label(c.ref), 'up');
    tell(model, 'the platform recovers; a week passes');
    for (let hour = 0; hour < 7 * 24; hour += 8) {
      world.clock.advance(8 * 3_600_000);
      await tick(model);
    }
    checkInvariants(model);
    for (const c of CHANNELS) {
      const ref = c.ref;
      const got = new Set(
        world.posted.filter((m) => m.channel === label(ref)).flatMap((m) => m.paperIds),
      );
      const skipped = skippedIn(model, ref);
      for (const id of model.eligible.get(label(ref)) ?? [])
        if (!got.has(id) && !skipped.has(id)) throw new Error(`#${label(ref)} never got ${id}`);
    }
  } catch (error) {
    const story = model.story.join('\n  ');
    throw new Error(`${(error as Error).message}\nThe story:\n  ${story}`);
  } finally {
    await world.close();
  }
}

const digestCommands = fc.commands(
  [advance, advance, advance, arrive, arrive, platform, reschedule, crash, restart],
  {
    maxCommands: 30,
  },
);

describe('digest over simulated weeks (model-based)', () => {
  it('every eligible paper reaches its channel exactly once; nothing old, nothing twice, no cursor past an unposted paper', async () => {
    await fc.assert(
      fc.asyncProperty(digestCommands, (commands) => runCase(commands)),
      { numRuns: RUNS, seed: SEED, endOnFailure: process.env.DIGEST_FUZZ_RUNS === undefined },
    );
  }, 600_000);
});
