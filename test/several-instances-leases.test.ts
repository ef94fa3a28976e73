import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Heartbeat } from '../src/core/digest/lease.js';
import { TEAM } from './core/digest/situation-bot.js';
import { twoInstances } from './review15/two-instances-pg.js';
import { leaseTimePasses } from './support/lease-time.js';
import { startPostgres, type TestPostgres } from './support/postgres.js';

// Several instances on one PostgreSQL store: the holder of a digest run keeps its lease while
// a part is on the wire for longer than the lease (finding 1 of review 15), and the other
// instance leaves the run alone meanwhile.

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

/** A heartbeat the test beats by hand (the instances' timers would beat every lease/3). */
function manualHeartbeat() {
  const beats = new Set<() => Promise<void>>();
  const heartbeat: Heartbeat = (beat) => {
    beats.add(beat);
    return () => beats.delete(beat);
  };
  return { heartbeat, beat: () => Promise.all([...beats].map((beat) => beat())), beats };
}

describe('a post on the wire for longer than the lease', () => {
  it('keeps its holder’s claim while the post is in flight: the channel gets its digest once', async () => {
    const url = await server.createDatabase(`heartbeat_${++databases}`);
    const manual = manualHeartbeat();
    const { a, b, digests, close } = await twoInstances(
      url,
      undefined,
      {},
      {
        heartbeat: manual.heartbeat,
      },
    );
    cleanup = close;
    for (const { time } of [a, b]) time.clock.set('2026-03-02T09:00:00Z');
    a.poster.hold();
    const aTick = a.live.tick();
    await a.poster.started;
    expect(manual.beats.size).toBe(1);
    // 2 min 40 s pass with A's request on the wire (a rate-limit wait), a beat every 40 s.
    for (let beat = 1; beat <= 4; beat++) {
      await leaseTimePasses(server, url, 40_000);
      await manual.beat();
    }
    for (const { time } of [a, b]) time.clock.set('2026-03-02T09:02:40Z');
    await b.live.tick();
    expect(b.summaries.at(-1)?.[0]?.outcome).toMatchObject({ kind: 'busy' });
    a.poster.release();
    await aTick;
    expect(digests().map((m) => m.part)).toEqual([1, 2]);
    // The heartbeat stopped with the post; the run is settled and released.
    expect(manual.beats.size).toBe(0);
    const [run] = await a.bot.store.recentDigestRuns(TEAM, 1);
    expect(run?.state).toBe('posted');
  });

  it('without its beats the lease runs out, and the other instance takes the run over', async () => {
    // The same story with no beat: what the heartbeat prevents (and what makes the test above
    // able to fail).
    const url = await server.createDatabase(`heartbeat_${++databases}`);
    const manual = manualHeartbeat();
    const { a, b, close } = await twoInstances(
      url,
      undefined,
      {},
      {
        heartbeat: manual.heartbeat,
      },
    );
    cleanup = close;
    for (const { time } of [a, b]) time.clock.set('2026-03-02T09:00:00Z');
    a.poster.hold();
    const aTick = a.live.tick();
    await a.poster.started;
    await leaseTimePasses(server, url, 160_000);
    await b.live.tick();
    expect(b.summaries.at(-1)?.[0]?.outcome).toMatchObject({ kind: 'posted' });
    a.poster.release();
    await aTick;
    // A's request lands late (a duplicate of part 1 no store can prevent), but A posts no
    // more and leaves B's posted run as it is.
    expect((await b.bot.store.recentDigestRuns(TEAM, 1))[0]?.state).toBe('posted');
    expect(a.summaries.at(-1)?.[0]?.outcome).toMatchObject({ kind: 'busy' });
  });
});
