import type { Reply } from '../commands/reply.js';
import type { ChannelRef } from '../core/store/store.js';

export interface PostResult {
  messageIds: string[];
}

/**
 * The contract every platform adapter implements: one way in (commands through
 * the shared dispatcher), one way out (`post`).
 */
export interface Adapter {
  readonly platform: ChannelRef['platform'];
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Posts a reply (usually a digest part) to a channel. Throws a PaperboyError
   * `CHANNEL_UNAVAILABLE` when the channel refuses for good (gone, no permission),
   * `POST_REJECTED` when this message will never be accepted (too long, invalid blocks),
   * `POST_FAILED` when a retry may help.
   */
  post(target: ChannelRef, reply: Reply): Promise<PostResult>;
  /**
   * Reads the bot's own recent messages in the channel and returns the id of the
   * message carrying this delivery id, or `null`: the exactly-once reconciliation.
   */
  findDelivery(target: ChannelRef, deliveryId: string): Promise<string | null>;
}
