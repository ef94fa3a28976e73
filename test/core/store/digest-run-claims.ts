import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../../src/core/store/async-store.js';
import type { NewDigestRun } from '../../../src/core/store/store.js';

/**
 * What claiming a digest run needs of a store. Structural, so this suite compiles before
 * `claimDigestRun`/`releaseDigestRun` are on the Store interface and applies to any store
 * that has them (PostgresStore now; SQLite through `asyncStore` once migration 4 lands).
 */
export type ClaimingStore = Pick<AsyncStore, 'createDigestRun' | 'close'> & {
  claimDigestRun(id: string, owner: string, now: Date, leaseMs: number): Promise<boolean>;
  releaseDigestRun(id: string, owner: string): Promise<void>;
};

const T0 = new Date('2025-01-02T08:00:00.000Z');
const LEASE = 60_000;
const later = (ms: number) => new Date(T0.getTime() + ms);

const run = (id: string): NewDigestRun => ({
  id,
  channel: { platform: 'discord', workspace: '111', channel: '222' },
  digestDate: '2025-01-02',
  from: '2025-01-01T08:00:00.000Z',
  to: T0.toISOString(),
  paperIds: ['a'],
  note: null,
  state: 'planned',
  createdAt: T0.toISOString(),
  parts: [],
});

/** One instance at a time posts a run: claims with a lease, taken over when it runs out. */
export function describeDigestRunClaims(
  name: string,
  makeStore: () => ClaimingStore | Promise<ClaimingStore>,
): void {
  describe(`${name} digest run claims`, () => {
    let store: ClaimingStore;
    beforeEach(async () => {
      store = await makeStore();
      await store.createDigestRun(run('r1'));
    });
    afterEach(async () => {
      await store.close();
    });

    it('gives a free run to the first claimant and refuses others while its lease lives', async () => {
      expect(await store.claimDigestRun('r1', 'a', T0, LEASE)).toBe(true);
      expect(await store.claimDigestRun('r1', 'b', later(1_000), LEASE)).toBe(false);
      expect(await store.claimDigestRun('r1', 'b', later(LEASE - 1), LEASE)).toBe(false);
    });

    it('renews the holder’s own claim, which moves the lease on', async () => {
      expect(await store.claimDigestRun('r1', 'a', T0, LEASE)).toBe(true);
      expect(await store.claimDigestRun('r1', 'a', later(50_000), LEASE)).toBe(true);
      // Past the first lease, within the renewed one: still a's.
      expect(await store.claimDigestRun('r1', 'b', later(LEASE + 1_000), LEASE)).toBe(false);
    });

    it('lets another owner take over a claim whose lease ran out (a dead instance)', async () => {
      expect(await store.claimDigestRun('r1', 'a', T0, LEASE)).toBe(true);
      expect(await store.claimDigestRun('r1', 'b', later(LEASE + 1), LEASE)).toBe(true);
      expect(await store.claimDigestRun('r1', 'a', later(LEASE + 2), LEASE)).toBe(false);
    });

    it('frees a run on release by its holder only', async () => {
      expect(await store.claimDigestRun('r1', 'a', T0, LEASE)).toBe(true);
      await store.releaseDigestRun('r1', 'b');
      expect(await store.claimDigestRun('r1', 'b', later(1), LEASE)).toBe(false);
      await store.releaseDigestRun('r1', 'a');
      expect(await store.claimDigestRun('r1', 'b', later(2), LEASE)).toBe(true);
    });

    it('keeps claims per run', async () => {
      await store.createDigestRun(run('r2'));
      expect(await store.claimDigestRun('r1', 'a', T0, LEASE)).toBe(true);
      expect(await store.claimDigestRun('r2', 'b', T0, LEASE)).toBe(true);
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
