import { randomUUID } from 'node:crypto';
import type { AsyncStore } from '../../src/core/store/async-store.js';
import type { ChannelRef } from '../../src/core/store/store.js';

/** Records a posted one-part digest of `paperIds` whose message is `messageId` (thread tests). */
export async function recordPostedDigest(
  store: AsyncStore,
  channel: ChannelRef,
  paperIds: string[],
  messageId: string,
  at = '2025-12-12T09:00:00.000Z',
): Promise<void> {
  const id = randomUUID();
  const deliveryId = randomUUID();
  await store.createDigestRun({
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
  await store.completeDigestPart(deliveryId, messageId);
  await store.updateDigestRun(id, { state: 'posted' });
}
