import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/core/errors.js';
import { TEAM } from '../core/digest/situation-bot.js';
import { leaseTimePasses } from '../support/lease-time.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { twoInstances } from './two-instances-pg.js';

// Review 15: a digest run's claim is a lease, checked only before each part is posted. What
// happens when the lease runs out while the holder is still posting (a slow platform call, a
// frozen process, or another instance whose clock is ahead)?

let server: TestPostgres;
let databases = 0;
let cleanup: (() => Promise<void>) | null = null;

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});
afterAll(async () => {
  await server?.stop();
});

async function setUp() {
  const url = await server.createDatabase(`lease_${++databases}`);
  const world = await twoInstances(url);
  cleanup = world.close;
  for (const { time } of [world.a, world.b]) time.clock.set('2026-03-02T09:00:00Z');
  // (fence) Leases are measured on the database server's clock (finding 3), which the
  // instances' test clocks do not move: the server's minutes pass by moving the claims' ends.
  const serverMinutesPass = (minutes: number) => leaseTimePasses(server, url, minutes * 60_000);
  return { ...world, serverMinutesPass };
}

describe('a digest run whose lease runs out while its holder is still posting', () => {
  it('a post still on the wire when the lease expires: the channel gets its digest once', async () => {
    const { a, b, digests } = await setUp();
    // A plans, claims until 09:02 and sends part 1; the request is slow (the platform client
    // waiting out a rate limit, a stalled network, a paused VM).
    a.poster.hold();
    const aTick = a.live.tick();
    await a.poster.started;
    // 09:02:30: A's lease has run out; B ticks, takes the run over, finds nothing of it on the
    // platform (A's part 1 has not landed) and posts both parts.
    for (const { time } of [a, b]) time.clock.set('2026-03-02T09:02:30Z');
    await b.live.tick();
    // A's request now lands, and A carries on with the run it no longer holds.
    a.poster.release();
    await aTick;
    expect(digests().map((m) => m.part)).toEqual([1, 2]);
  });

  it('an instance that lost its run does not post the run’s later parts after the new holder released it', async () => {
    const { a, b, digests, serverMinutesPass } = await setUp();
    a.poster.hold();
    const aTick = a.live.tick();
    await a.poster.started;
    for (const { time } of [a, b]) time.clock.set('2026-03-02T09:02:30Z');
    // (fence) A froze (no heartbeat renewed its lease): 2½ minutes pass on the server too.
    await serverMinutesPass(2.5);
    await b.live.tick();
    expect((await b.bot.store.recentDigestRuns(TEAM, 1))[0]?.state).toBe('posted');
    a.poster.release();
    await aTick;
    // Part 1 of A was already on the wire (no store can call it back). Part 2 is a new post
    // A decided to make after B had posted and released the run: the renewal before it took a
    // claim nobody held (claimed_by NULL) as A's own.
    expect(digests().filter((m) => m.part === 2)).toHaveLength(1);
  });

  it('an instance whose clock runs 3 minutes ahead leaves alone a run another instance is posting now', async () => {
    const { a, b, digests } = await setUp();
    // Same instant, clocks 3 minutes apart (NTP not running on one host): B reads A's fresh
    // lease (until 09:02 by A's clock) as expired by its own clock (09:03).
    b.time.clock.set('2026-03-02T09:03:00Z');
    a.poster.hold();
    const aTick = a.live.tick();
    await a.poster.started;
    await b.live.tick();
    expect(b.summaries.at(-1)?.[0]?.outcome).toMatchObject({ kind: 'busy' });
    a.poster.release();
    await aTick;
    expect(digests().map((m) => m.part)).toEqual([1, 2]);
  });

  it('a stale instance’s late failure does not reopen a run another instance posted', async () => {
    const { a, b, serverMinutesPass } = await setUp();
    a.poster.hold();
    const aTick = a.live.tick();
    await a.poster.started;
    for (const { time } of [a, b]) time.clock.set('2026-03-02T09:02:30Z');
    // (fence) A froze (no heartbeat renewed its lease): 2½ minutes pass on the server too.
    await serverMinutesPass(2.5);
    await b.live.tick();
    expect((await b.bot.store.recentDigestRuns(TEAM, 1))[0]?.state).toBe('posted');
    // A's slow request finally fails (a 5xx after its retries): A records a failed attempt
    // on a run that B has posted and closed.
    a.poster.release(new PaperboyError('POST_FAILED', 'the platform answered 502'));
    await aTick;
    const [run] = await b.bot.store.recentDigestRuns(TEAM, 1);
    expect(run?.state).toBe('posted');
    expect(await b.bot.store.openDigestRuns(TEAM)).toEqual([]);
  });
});
