import { randomUUID } from 'node:crypto';
import type { ChannelRef, Store } from '../../src/core/store/store.js';

/** Records a posted one-part digest of `paperIds` whose message is `messageId` (thread tests). */
export function recordPostedDigest(
  store: Store,
  channel: ChannelRef,
  paperIds: string[],
  messageId: string,
  at = '2025-12-12T09:00:00.000Z',
): void {
  const id = randomUUID();
  const deliveryId = randomUUID();
  store.createDigestRun({
    id,
    channel,
    digestDate: at.slice(0, 10),
    from: at,
    to: at,
    paperIds,
    note: null,
    createdAt: at,
    state: 'planned',
    parts: [{ deliveryId, part: 1, plan: '{}', messageId: null }],
  });
  store.completeDigestPart(deliveryId, messageId);
  store.updateDigestRun(id, { state: 'posted' });
}
