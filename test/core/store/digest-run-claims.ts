import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../../src/core/store/async-store.js';
import type { ChannelRef, NewDigestRun } from '../../../src/core/store/store.js';

/** What claiming a digest run needs of a store. */
export type ClaimingStore = Pick<
  AsyncStore,
  | 'createDigestRun'
  | 'close'
  | 'claimDigestRun'
  | 'renewDigestRun'
  | 'releaseDigestRun'
  | 'updateDigestRun'
  | 'completeDigestPart'
  | 'recentDigestRuns'
>;

/**
 * Lets `ms` pass for the store's leases. SQLite measures them on the `now` each call passes
 * (nothing to do); PostgreSQL on the server's clock, which a test moves by moving the
 * claims' ends back.
 */
export type LeaseTime = (store: ClaimingStore, ms: number) => Promise<void>;

const T0 = new Date('2025-01-02T08:00:00.000Z');
const LEASE = 60_000;

const CHANNEL: ChannelRef = { platform: 'discord', workspace: '111', channel: '222' };
const run = (id: string): NewDigestRun => ({
  id,
  channel: CHANNEL,
  digestDate: '2025-01-02',
  from: '2025-01-01T08:00:00.000Z',
  to: T0.toISOString(),
  paperIds: ['a'],
  note: null,
  state: 'planned',
  createdAt: T0.toISOString(),
  parts: [
    { deliveryId: `${id}-1`, part: 1, plan: '{}', messageId: null },
    { deliveryId: `${id}-2`, part: 2, plan: '{}', messageId: null },
  ],
});

/** One instance at a time posts a run: claims with a lease, taken over when it runs out. */
export function describeDigestRunClaims(
  name: string,
  makeStore: () => ClaimingStore | Promise<ClaimingStore>,
  leaseTime: LeaseTime = async () => {},
): void {
  describe(`${name} digest run claims`, () => {
    let store: ClaimingStore;
    let elapsed = 0;
    /** The time `ms` after T0, once the store's lease clock got there too. */
    const later = async (ms: number) => {
      await leaseTime(store, ms - elapsed);
      elapsed = ms;
      return new Date(T0.getTime() + ms);
    };
    beforeEach(async () => {
      store = await makeStore();
      elapsed = 0;
      await store.createDigestRun(run('r1'));
    });
    afterEach(async () => {
      await store.close();
    });

    it('gives a free run to the first claimant and refuses others while its lease lives', async () => {
      expect(await store.claimDigestRun('r1', 'a', T0, LEASE)).toBe(true);
      expect(await store.claimDigestRun('r1', 'b', await later(1_000), LEASE)).toBe(false);
      // (A second short of the end: PostgreSQL's lease clock also runs while the test runs.)
      expect(await store.claimDigestRun('r1', 'b', await later(LEASE - 1_000), LEASE)).toBe(false);
    });

    it('renews the holder’s own claim, which moves the lease on', async () => {
      expect(await store.claimDigestRun('r1', 'a', T0, LEASE)).toBe(true);
      expect(await store.claimDigestRun('r1', 'a', await later(50_000), LEASE)).toBe(true);
      // Past the first lease, within the renewed one: still a's.
      expect(await store.claimDigestRun('r1', 'b', await later(LEASE + 1_000), LEASE)).toBe(false);
    });

    it('lets another owner take over a claim whose lease ran out (a dead instance)', async () => {
      expect(await store.claimDigestRun('r1', 'a', T0, LEASE)).toBe(true);
      expect(await store.claimDigestRun('r1', 'b', await later(LEASE + 1), LEASE)).toBe(true);
      expect(await store.claimDigestRun('r1', 'a', await later(LEASE + 2), LEASE)).toBe(false);
    });

    it('frees a run on release by its holder only', async () => {
      expect(await store.claimDigestRun('r1', 'a', T0, LEASE)).toBe(true);
      await store.releaseDigestRun('r1', 'b');
      expect(await store.claimDigestRun('r1', 'b', await later(1), LEASE)).toBe(false);
      await store.releaseDigestRun('r1', 'a');
      expect(await store.claimDigestRun('r1', 'b', await later(2), LEASE)).toBe(true);
    });

    it('keeps claims per run', async () => {
      await store.createDigestRun(run('r2'));
      expect(await store.claimDigestRun('r1', 'a', T0, LEASE)).toBe(true);
      expect(await store.claimDigestRun('r2', 'b', T0, LEASE)).toBe(true);
    });

    it('renews only its holder’s claim, never a run nobody holds (a process that lost it)', async () => {
      expect(await store.renewDigestRun('r1', 'a', T0, LEASE)).toBe(false);
      expect(await store.claimDigestRun('r1', 'a', T0, LEASE)).toBe(true);
      expect(await store.renewDigestRun('r1', 'b', T0, LEASE)).toBe(false);
      expect(await store.renewDigestRun('r1', 'a', await later(50_000), LEASE)).toBe(true);
      expect(await store.claimDigestRun('r1', 'b', await later(LEASE + 1_000), LEASE)).toBe(false);
      // a stalls past its lease; b takes the run over, settles and releases it.
      expect(await store.claimDigestRun('r1', 'b', await later(2 * LEASE + 1_000), LEASE)).toBe(
        true,
      );
      expect(await store.renewDigestRun('r1', 'a', await later(2 * LEASE + 2_000), LEASE)).toBe(
        false,
      );
      await store.releaseDigestRun('r1', 'b');
      expect(await store.renewDigestRun('r1', 'a', await later(2 * LEASE + 3_000), LEASE)).toBe(
        false,
      );
    });

    it('renews a claim only for a part still unposted and a run still open', async () => {
      expect(await store.claimDigestRun('r1', 'a', T0, LEASE)).toBe(true);
      expect(await store.renewDigestRun('r1', 'a', T0, LEASE, 'r1-1')).toBe(true);
      expect(await store.completeDigestPart('r1-1', 'm-1')).toBe(true);
      expect(await store.renewDigestRun('r1', 'a', T0, LEASE, 'r1-1')).toBe(false);
      expect(await store.renewDigestRun('r1', 'a', T0, LEASE, 'r1-2')).toBe(true);
      expect(await store.updateDigestRun('r1', { state: 'posted' }, 'a')).toBe(true);
      expect(await store.renewDigestRun('r1', 'a', T0, LEASE)).toBe(false);
    });

    it('changes a run under a claim only for its holder', async () => {
      expect(await store.claimDigestRun('r1', 'a', T0, LEASE)).toBe(true);
      expect(await store.updateDigestRun('r1', { state: 'posting', attempts: 1 }, 'b')).toBe(false);
      expect(await store.updateDigestRun('r1', { state: 'posting', attempts: 1 }, 'a')).toBe(true);
      // b takes the run over once a's lease ran out: a's late failure changes nothing.
      expect(await store.claimDigestRun('r1', 'b', await later(LEASE + 1), LEASE)).toBe(true);
      expect(await store.updateDigestRun('r1', { state: 'retrying', lastError: 'late' }, 'a')).toBe(
        false,
      );
      const [row] = await store.recentDigestRuns(CHANNEL, 1);
      expect(row).toMatchObject({ state: 'posting', attempts: 1, lastError: null });
    });

    it('never changes an ended run again, whoever asks', async () => {
      expect(await store.claimDigestRun('r1', 'a', T0, LEASE)).toBe(true);
      expect(await store.updateDigestRun('r1', { state: 'posted' }, 'a')).toBe(true);
      for (const owner of ['a', undefined])
        expect(await store.updateDigestRun('r1', { state: 'retrying' }, owner)).toBe(false);
      expect((await store.recentDigestRuns(CHANNEL, 1))[0]?.state).toBe('posted');
      await expect(store.updateDigestRun('nope', { state: 'posted' })).rejects.toThrow(/nope/);
    });

    it('keeps the first message recorded for a part (a late duplicate does not replace it)', async () => {
      expect(await store.completeDigestPart('r1-1', 'm-first')).toBe(true);
      expect(await store.completeDigestPart('r1-1', 'm-late')).toBe(false);
      const [row] = await store.recentDigestRuns(CHANNEL, 1);
      expect(row?.parts.map((p) => p.messageId)).toEqual(['m-first', null]);
      await expect(store.completeDigestPart('nope', 'm')).rejects.toThrow(/nope/);
    });

    it('gives a run claimed by many at once to exactly one', async () => {
      const owners = Array.from({ length: 8 }, (_, i) => `instance-${i}`);
      const results = await Promise.all(
        owners.map((owner) => store.claimDigestRun('r1', owner, T0, LEASE)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}
