import { isPaperboyError } from '../core/errors.js';
import type { ChannelRef, Delivery } from '../core/store/store.js';
import type { DeliveryDeps, DigestPoster } from './digest-delivery.js';
import { rebuildReply } from './digest-parts.js';
import type { DigestReply } from './reply.js';

/** Post attempts per ledger row across runs before it is marked failed. */
const MAX_ATTEMPTS = 5;
/** Retries within one run for a POST_FAILED. */
const RUN_RETRIES = 3;

const attemptsKey = (deliveryId: string) => `delivery-attempts:${deliveryId}`;

export type ChannelOutcome =
  | { kind: 'posted'; parts: number; papers: number }
  | { kind: 'quiet' }
  | { kind: 'already-delivered' }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'retry-later'; reason: string }
  | { kind: 'no-poster' };

export function channelLabel(ref: ChannelRef): string {
  return `${ref.platform}:${ref.workspace}:${ref.channel}`;
}

/** Posts (or, after a crash, finds) every pending row of one channel, in part order. */
export async function postPending(
  rows: Delivery[],
  poster: DigestPoster,
  deps: DeliveryDeps,
  /** Rows written in this run, with their messages: never posted yet, so not looked for. */
  fresh: ReadonlyMap<string, DigestReply> = new Map(),
): Promise<ChannelOutcome> {
  const pending = rows.filter((r) => r.state === 'pending');
  if (pending.length === 0) {
    return rows.some((r) => r.state === 'sent')
      ? { kind: 'posted', parts: 0, papers: 0 }
      : { kind: 'already-delivered' };
  }
  for (const row of pending) {
    const result = await settleRow(row, poster, deps, fresh.get(row.id) ?? null);
    if (result.kind !== 'posted') return result;
  }
  return { kind: 'posted', parts: pending.length, papers: 0 };
}

async function settleRow(
  row: Delivery,
  poster: DigestPoster,
  deps: DeliveryDeps,
  fresh: DigestReply | null,
): Promise<ChannelOutcome> {
  const { store, clock, logger } = deps;
  const label = channelLabel(row.channel);
  for (let attempt = 1; ; attempt++) {
    if (deps.signal?.aborted) return { kind: 'retry-later', reason: 'stopping' };
    try {
      // Reconciliation first: a crash (or a post that failed after reaching the platform)
      // may have come between posting and completing.
      const found =
        fresh !== null && attempt === 1 ? null : await poster.findDelivery(row.channel, row.id);
      if (found) {
        store.completeDelivery(row.id, found);
        logger.info({ channel: label, deliveryId: row.id }, 'digest part found already posted');
        return { kind: 'posted', parts: 1, papers: row.paperIds.length };
      }
      if (deps.signal?.aborted) return { kind: 'retry-later', reason: 'stopping' };
      const reply = fresh ?? rebuildReply(row, store);
      const posted = await poster.post(row.channel, reply);
      // Completed at once, nothing awaited in between: the terminal cannot find a printed
      // digest again, so this is all that stands between a crash and a second print.
      store.completeDelivery(row.id, posted.messageIds[0] ?? '');
      return { kind: 'posted', parts: 1, papers: row.paperIds.length };
    } catch (error) {
      if (isPaperboyError(error, 'CHANNEL_UNAVAILABLE')) {
        markUnavailable(row.channel, error.message, deps);
        return { kind: 'unavailable', reason: error.message };
      }
      const reason = isPaperboyError(error)
        ? error.message
        : `unexpected: ${(error as Error)?.message}`;
      const total = Number(store.getState(attemptsKey(row.id)) ?? '0') + 1;
      store.putState(attemptsKey(row.id), String(total), clock.now());
      logger.warn(
        { channel: label, deliveryId: row.id, attempt: total, err: error },
        'digest post failed',
      );
      if (total >= MAX_ATTEMPTS) {
        store.failDelivery(row.id, reason);
        return { kind: 'retry-later', reason: `gave up after ${total} attempts: ${reason}` };
      }
      if (attempt >= RUN_RETRIES) return { kind: 'retry-later', reason };
      await deps.sleep(1_000 * 2 ** attempt);
    }
  }
}

/** The channel refuses for good: remember why, stop its pending parts, never retry forever. */
function markUnavailable(ref: ChannelRef, reason: string, deps: DeliveryDeps): void {
  const now = deps.clock.now();
  deps.store.setChannelFailure(ref, reason, now);
  for (const row of deps.store.listDeliveries(ref)) {
    if (row.state === 'pending') deps.store.failDelivery(row.id, reason);
  }
  deps.logger.warn(
    { channel: channelLabel(ref), reason },
    'channel unavailable; digests skipped until fixed',
  );
}
