import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { DueDigest } from '../core/scheduler.js';
import type { PaperSearch } from '../core/search/types.js';
import type { Channel, ChannelRef, Store } from '../core/store/store.js';
import { DigestRunCache, selectChannelDigest } from './digest-candidates.js';
import { planKey, planParts, toReply } from './digest-parts.js';
import { type ChannelOutcome, postPending } from './digest-posting.js';
import type { DigestReply, Reply } from './reply.js';

// The status subcommand labels channels the way delivery logs them.
export { channelLabel } from './digest-posting.js';

/** What delivery needs of an adapter (structurally the Adapter contract's `post` + `findDelivery`). */
export interface DigestPoster {
  post(target: ChannelRef, reply: Reply): Promise<{ messageIds: string[] }>;
  findDelivery(target: ChannelRef, deliveryId: string): Promise<string | null>;
}

export type Posters = ReadonlyMap<ChannelRef['platform'], DigestPoster>;

export interface DeliveryDeps {
  store: Store;
  search: Pick<PaperSearch, 'matchTopic'>;
  config: Pick<Config, 'digest'>;
  clock: Clock;
  logger: Logger;
  posters: Posters;
  /** Waits between post retries; injected so tests never wait. */
  sleep: (ms: number) => Promise<void>;
  /** Papers per message part (Discord: 10 embeds a message). */
  partSize?: number;
  /** Set when Paperboy is stopping: no new post starts. */
  signal?: AbortSignal;
}

const EMPTY_TEXT = 'Nothing new today.';

/**
 * Delivers one channel's due digest exactly once: ledger rows (with the plan) are written
 * before anything is posted, each completed with the platform message id after.
 */
export async function deliverDigest(
  channel: Channel,
  due: DueDigest,
  deps: DeliveryDeps,
  cache = new DigestRunCache(),
): Promise<ChannelOutcome> {
  const { store, clock } = deps;
  const ref = channel.ref;
  const poster = deps.posters.get(ref.platform);
  if (!poster) return { kind: 'no-poster' };

  const rows = store.listDeliveries(ref, due.digestDate).sort((a, b) => a.part - b.part);
  // Rows written in this run cannot have been posted yet: no need to look for them first,
  // and their messages are at hand (no need to read the plan back).
  const fresh = new Map<string, DigestReply>();
  if (rows.length === 0) {
    const window = cache.papersSince(store, due.since);
    const selection = selectChannelDigest({
      search: deps.search,
      cache,
      since: due.since,
      window,
      topics: store.listSubscriptions(ref).map((s) => s.topic),
      alreadyDelivered: store.deliveredPaperIds(ref),
      size: due.schedule.size,
      perTopic: deps.config.digest.perTopic,
    });
    let plans = planParts(selection, due.digestDate, deps.partSize ?? 10);
    if (plans.length === 0) {
      if (!deps.config.digest.postWhenEmpty) {
        store.setLastDigestAt(ref, clock.now());
        return { kind: 'quiet' };
      }
      const title = `Paper digest ${due.digestDate}`;
      plans = [{ title, date: due.digestDate, part: 1, sections: [], emptyText: EMPTY_TEXT }];
    }
    const createdAt = clock.now();
    for (const plan of plans) {
      const paperIds = plan.sections.flatMap((s) => s.items.map((i) => i.id));
      const row = store.createDelivery({
        channel: ref,
        digestDate: due.digestDate,
        part: plan.part,
        paperIds,
        createdAt: createdAt.toISOString(),
      });
      store.putState(planKey(row.id), JSON.stringify(plan), createdAt);
      rows.push(row);
      fresh.set(row.id, toReply(plan, row.id, window.byId));
    }
  }

  const outcome = await postPending(rows, poster, deps, fresh);
  // Every part failed for good earlier: this digest is over; do not reconsider it each tick.
  if (outcome.kind === 'already-delivered') store.setLastDigestAt(ref, clock.now());
  if (outcome.kind !== 'posted') return outcome;
  store.setLastDigestAt(ref, clock.now());
  return {
    kind: 'posted',
    parts: rows.length,
    papers: rows.reduce((n, r) => n + r.paperIds.length, 0),
  };
}
