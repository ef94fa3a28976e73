import fc from 'fast-check';
import { describe, it } from 'vitest';
import { arrive, type Cmd, channel, cmd, name } from './sim-commands.js';
import {
  type ChannelModel,
  channelOf,
  checkDelivered,
  checkInvariants,
  type Model,
  newModel,
  START,
  scheduled,
  setMode,
  subscribe,
  TOPICS,
  tell,
  tick,
  unsubscribe,
} from './sim-model.js';
import { CHANNELS, type Mode, SimWorld } from './sim-world.js';

/**
 * Model-based, simulated time (notes/testing-stateful-flows.md): the real bot in memory,
 * a fake platform with outages and refusals, reschedules across a DST change, channels
 * subscribing, unsubscribing and turning their digest off and on, imports and replace
 * items, restarts, and a crash at any store write or platform call. The model
 * (sim-model.ts) is only what a user sees: which papers each channel may and must get.
 */

const RUNS = Number(process.env.DIGEST_FUZZ_RUNS ?? 200);
const SEED = Number(process.env.DIGEST_FUZZ_SEED ?? 20261203);
const DAY_MS = 86_400_000;

const advance = fc.integer({ min: 10, max: 48 * 60 }).map((minutes) =>
  cmd(`advance ${minutes} min`, async (m) => {
    m.world.clock.advance(minutes * 60_000);
    await tick(m);
  }),
);

const platform = fc
  .record({ channel, mode: fc.constantFrom<Mode>('up', 'up', '5xx', '429', 'refuse') })
  .map(({ channel: i, mode }) =>
    cmd(`${name(i)} ${mode}`, (m) => {
      setMode(m, channelOf(m, i), mode);
      const says = {
        up: 'up',
        '5xx': 'answering 503',
        '429': 'answering 429 (Retry-After 90 s)',
        refuse: 'refusing (missing access)',
      };
      tell(m, `the platform is ${says[mode]} for ${name(i)}`);
    }),
  );

const reschedule = fc
  .record({
    channel,
    time: fc.constantFrom('07:00', '09:30', '18:00', '02:30'),
    zone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'),
    days: fc.constantFrom<'every' | 'weekdays'>('every', 'every', 'weekdays'),
  })
  .map(({ channel: i, time, zone, days }) =>
    cmd(`reschedule ${name(i)} ${time} ${zone} ${days}`, async (m) => {
      await m.world.command(CHANNELS[i]!.ref, 'schedule', { time, timezone: zone, days, size: 50 });
      scheduled(m, channelOf(m, i), { time, zone, days });
      tell(m, `${name(i)} moves its digest to ${time} ${zone}, ${days}`);
    }),
  );

/** Turns the digest off, or back on with the schedule it had. */
const toggle = channel.map((i) =>
  cmd(`toggle ${name(i)}`, async (m) => {
    const c = channelOf(m, i);
    if (c.on) {
      await m.world.command(c.ref, 'schedule', { time: 'off' });
      scheduled(m, c, 'off');
      tell(m, `${name(i)} turns its digest off`);
      return;
    }
    const { time, zone, days } = c.schedule;
    await m.world.command(c.ref, 'schedule', { time, timezone: zone, days, size: 50 });
    scheduled(m, c, c.schedule);
    tell(m, `${name(i)} turns its digest back on (${time} ${zone}, ${days})`);
  }),
);

const follows = (m: Model, i: number, topic: string) => channelOf(m, i).topics.has(topic);
const subscription = fc
  .record({ channel, topic: fc.constantFrom(...TOPICS), add: fc.boolean() })
  .map(({ channel: i, topic, add }) =>
    add
      ? cmd(
          `${name(i)} subscribes to ${topic}`,
          async (m) => {
            await m.world.command(CHANNELS[i]!.ref, 'subscribe', { topic });
            subscribe(m, channelOf(m, i), topic);
            tell(m, `${name(i)} subscribes to "${topic}"${describeTopics(channelOf(m, i))}`);
          },
          (m) => !follows(m, i, topic),
        )
      : cmd(
          `${name(i)} unsubscribes from ${topic}`,
          async (m) => {
            await m.world.command(CHANNELS[i]!.ref, 'unsubscribe', { topic });
            unsubscribe(m, channelOf(m, i), topic);
            tell(m, `${name(i)} unsubscribes from "${topic}"${describeTopics(channelOf(m, i))}`);
          },
          (m) => follows(m, i, topic),
        ),
  );

function describeTopics(c: ChannelModel): string {
  const digest = c.on ? '' : ', digest off';
  return c.topics.size === 0
    ? ` (now no topics: every new paper${digest})`
    : ` (now ${[...c.topics].join(', ')}${digest})`;
}

/** Arms a kill at a later store write or platform call; the ticks that follow reach it. */
const crash = fc.integer({ min: 0, max: 12 }).map((n) =>
  cmd(`crash after ${n} writes/calls`, (m) => {
    m.world.crashAfter(n);
    tell(
      m,
      `the process will be killed at its store write or platform call number ${n + 1} from now`,
    );
  }),
);

/** The next few topic matches fail: planning throws, the channel's run waits and retries. */
const searchFault = fc.integer({ min: 1, max: 3 }).map((n) =>
  cmd(`search fails ${n} times`, (m) => {
    m.world.searchFaults = n;
    tell(m, `the next ${n} topic searches fail (a store fault while planning)`);
  }),
);

/** The next few catch-ups of the search index fail (another writer holds the lock). */
const indexFault = fc.integer({ min: 1, max: 3 }).map((n) =>
  cmd(`index catch-up fails ${n} times`, (m) => {
    m.world.indexFaults = n;
    tell(m, `the next ${n} catch-ups of the search index fail (another writer holds the lock)`);
  }),
);

const restart = fc.constant(
  cmd('restart', async (m) => {
    m.world.restart();
    tell(m, 'restart');
    await tick(m);
  }),
);

async function runCase(weeks: number, commands: Iterable<Cmd>): Promise<void> {
  const world = await SimWorld.open(START);
  const model = newModel(world, world.config.digest.disableAfterDays);
  try {
    for (const c of CHANNELS) {
      await world.command(c.ref, 'schedule', { time: '09:00', timezone: 'UTC', size: 50 });
      if (c.topic) await world.command(c.ref, 'subscribe', { topic: c.topic });
    }
    tell(
      model,
      `#grasp follows "grasping", #reason "reasoning", #all every paper; digests at 09:00 UTC; ${weeks} weeks`,
    );
    await fc.asyncModelRun(() => ({ model, real: model }), commands);
    // Recovery: the platform comes back and refusals are fixed; ticks every 8 hours for at
    // least a week, until the case has lasted its weeks.
    for (const c of model.channels.values()) setMode(model, c, 'up');
    world.searchFaults = 0;
    world.indexFaults = 0;
    const end = Math.max(
      world.clock.now().getTime() + 7 * DAY_MS,
      new Date(START).getTime() + weeks * 7 * DAY_MS,
    );
    tell(model, `the platform recovers; time runs to ${new Date(end).toISOString().slice(0, 10)}`);
    while (world.clock.now().getTime() < end) {
      world.clock.advance(8 * 3_600_000);
      await tick(model);
      await checkInvariants(model);
    }
    await checkDelivered(model);
  } catch (error) {
    const story = model.story.join('\n  ');
    throw new Error(`${(error as Error).message}\nThe story:\n  ${story}`);
  } finally {
    await world.close();
  }
}

const digestCases = fc.tuple(
  fc.integer({ min: 3, max: 6 }),
  fc.commands(
    [
      advance,
      advance,
      advance,
      advance,
      arrive,
      arrive,
      arrive,
      platform,
      reschedule,
      toggle,
      subscription,
      subscription,
      crash,
      restart,
      searchFault,
      indexFault,
    ],
    { maxCommands: 40, size: '+1' },
  ),
);

describe('digest over simulated weeks (model-based)', () => {
  it(
    'every eligible paper reaches its channel exactly once; nothing old, nothing twice, no cursor past an unposted paper',
    async () => {
      await fc.assert(
        fc.asyncProperty(digestCases, ([weeks, commands]) => runCase(weeks, commands)),
        { numRuns: RUNS, seed: SEED, endOnFailure: process.env.DIGEST_FUZZ_RUNS === undefined },
      );
      // A case takes 0.1-0.2 s (more on a busy machine): 10,000 of them need more than 10 min.
    },
    Math.max(600_000, RUNS * 400),
  );
});
