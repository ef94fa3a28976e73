import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/core/clock.js';
import {
  DIGEST_POST_DEADLINE_MS,
  type Heartbeat,
  keepClaimWhile,
  type LeaseDeps,
} from '../../../src/core/digest/lease.js';
import { silentLogger } from '../../../src/core/logger.js';
import { type AsyncStore, asyncStore } from '../../../src/core/store/async-store.js';
import { SqliteStore } from '../../../src/core/store/sqlite-store.js';

const LEASE = 120_000;
const T0 = '2026-03-02T09:00:00.000Z';

let store: AsyncStore;
beforeEach(async () => {
  store = asyncStore(SqliteStore.open(':memory:'));
  await store.createDigestRun({
    id: 'r1',
    channel: { platform: 'fake', workspace: 'w', channel: 'c' },
    digestDate: '2026-03-02',
    from: '2026-03-01T09:00:00.000Z',
    to: T0,
    paperIds: [],
    note: null,
    state: 'planned',
    createdAt: T0,
    parts: [],
  });
});
afterEach(async () => {
  await store.close();
});

/** A post that settles when the test says, a heartbeat the test beats, one process's lease. */
function setUp() {
  const clock = manualClock(T0);
  let beat: (() => Promise<void>) | null = null;
  let everyMs = 0;
  const heartbeat: Heartbeat = (b, every) => {
    beat = b;
    everyMs = every;
    return () => {
      beat = null;
    };
  };
  const deps: LeaseDeps = {
    store,
    clock,
    logger: silentLogger(),
    owner: 'a',
    leaseMs: LEASE,
    heartbeat,
  };
  let land: (value: string) => void = () => {};
  const post = () =>
    new Promise<string>((resolve) => {
      land = resolve;
    });
  return {
    clock,
    deps,
    post,
    land: (value: string) => land(value),
    beat: async () => beat?.(),
    beating: () => beat !== null,
    everyMs: () => everyMs,
  };
}

const takenByB = (at: Date) => store.claimDigestRun('r1', 'b', at, LEASE);

describe('keepClaimWhile (a part on the wire)', () => {
  it('renews the holder’s claim every third of the lease until the post settles', async () => {
    const world = setUp();
    expect(await store.claimDigestRun('r1', 'a', world.clock.now(), LEASE)).toBe(true);
    const posting = keepClaimWhile({ id: 'r1' }, world.deps, world.post);
    expect(world.everyMs()).toBe(LEASE / 3);
    for (let i = 0; i < 6; i++) {
      world.clock.advance(LEASE / 3);
      await world.beat();
    }
    // Four minutes on the wire: the claim lives on (the last beat was just now).
    expect(await takenByB(world.clock.now())).toBe(false);
    world.land('m-1');
    expect(await posting).toBe('m-1');
    expect(world.beating()).toBe(false);
    // Nothing renews it any more: it lapses a lease after the last beat.
    world.clock.advance(LEASE);
    expect(await takenByB(world.clock.now())).toBe(true);
  });

  it('never takes back a run another process took over meanwhile', async () => {
    const world = setUp();
    expect(await store.claimDigestRun('r1', 'a', world.clock.now(), LEASE)).toBe(true);
    const posting = keepClaimWhile({ id: 'r1' }, world.deps, world.post);
    // The process froze: no beat for longer than the lease; b took the run and released it.
    world.clock.advance(LEASE + 1);
    expect(await takenByB(world.clock.now())).toBe(true);
    await store.releaseDigestRun('r1', 'b');
    await world.beat();
    world.land('m-1');
    await posting;
    expect(await store.claimDigestRun('r1', 'c', world.clock.now(), LEASE)).toBe(true);
  });

  it('stops renewing after the post deadline, so a stuck request cannot hold the run for ever', async () => {
    const world = setUp();
    expect(await store.claimDigestRun('r1', 'a', world.clock.now(), LEASE)).toBe(true);
    const posting = keepClaimWhile({ id: 'r1' }, world.deps, world.post);
    const beats = DIGEST_POST_DEADLINE_MS / (LEASE / 3);
    for (let i = 0; i < beats; i++) {
      world.clock.advance(LEASE / 3);
      await world.beat();
    }
    expect(world.beating()).toBe(false);
    world.clock.advance(LEASE + 1);
    expect(await takenByB(world.clock.now())).toBe(true);
    world.land('late');
    await posting;
  });
});
