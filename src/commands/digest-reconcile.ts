import type { Delivery } from '../core/store/store.js';
import type { DeliveryDeps } from './digest-delivery.js';
import { channelLabel, postPending } from './digest-posting.js';

/**
 * On start (and each tick): every pending ledger row left by a crash or a failed post is
 * either found on the platform and completed, or posted. Channels are independent.
 */
export async function reconcilePending(deps: DeliveryDeps): Promise<number> {
  const byChannel = new Map<string, Delivery[]>();
  for (const row of deps.store.pendingDeliveries()) {
    const key = channelLabel(row.channel);
    byChannel.set(key, [...(byChannel.get(key) ?? []), row]);
  }
  let settled = 0;
  for (const rows of byChannel.values()) {
    const first = rows[0];
    if (!first || deps.signal?.aborted) continue;
    const poster = deps.posters.get(first.channel.platform);
    if (!poster) continue;
    try {
      const result = await postPending(
        rows.sort((a, b) => a.part - b.part),
        poster,
        deps,
      );
      if (result.kind === 'posted') settled += rows.length;
    } catch (error) {
      deps.logger.error(
        { channel: channelLabel(first.channel), err: error },
        'reconciliation failed',
      );
    }
  }
  return settled;
}
