import type { webApi } from '@slack/bolt';
import type { Reply } from '../../commands/reply.js';
import type { Clock } from '../../core/clock.js';
import { PaperboyError } from '../../core/errors.js';
import { EXPIRING_STATE } from '../../core/expiring-state.js';
import type { Logger } from '../../core/logger.js';
import type { AsyncStore } from '../../core/store/async-store.js';
import type { ChannelRef } from '../../core/store/store.js';
import type { PostResult } from '../adapter.js';
import type { RenderOptions, SlackMessage } from './blocks.js';
import type { Pacer } from './pacer.js';
import { DIGEST_EVENT_TYPE, digestMetadata, renderDigestThread } from './render-digest.js';
import { renderReply } from './render-reply.js';
import {
  channelRefusal,
  describeSlackError,
  messageRejection,
  slackErrorCode,
  slackRetryAfterMs,
} from './slack-errors.js';

/** How far back reconciliation reads a channel's history (digests are daily). */
const HISTORY_DAYS = 7;
const HISTORY_PAGES = 5;

export interface SlackPosterOptions {
  client: webApi.WebClient;
  store: AsyncStore;
  clock: Clock;
  logger: Logger;
  pacer: Pacer;
  digestAsThread: boolean;
  render?: RenderOptions;
}

/** conversations.replies answers meaning "this app cannot read that thread", not "try later". */
const UNREADABLE_THREAD = new Set([
  'missing_scope',
  'not_allowed_token_type',
  'thread_not_found',
  'method_not_supported_for_channel_type',
]);

/** The digest payload of a message's metadata when it is this delivery's, else null. */
function ourPayload(
  metadata: { event_type?: string; event_payload?: unknown } | undefined,
  deliveryId: string,
): Record<string, unknown> | null {
  if (metadata?.event_type !== DIGEST_EVENT_TYPE) return null;
  const payload = metadata.event_payload as Record<string, unknown> | undefined;
  return payload?.delivery_id === deliveryId ? payload : null;
}

/** `post` and `findDelivery` of the Slack adapter: chat.postMessage at Slack's pace, metadata read back. */
export function createSlackPoster(options: SlackPosterOptions) {
  const { client, store, clock, logger, pacer } = options;

  async function fail(target: ChannelRef, action: string, error: unknown): Promise<never> {
    const refusal = channelRefusal(error);
    if (refusal) {
      await store.setChannelFailure(target, refusal.reason, clock.now());
      logger.warn(
        { channel: target.channel, workspace: target.workspace, code: refusal.code },
        `Slack ${action}: channel unavailable`,
      );
      throw new PaperboyError('CHANNEL_UNAVAILABLE', refusal.reason, { cause: error });
    }
    const rejection = messageRejection(error);
    if (rejection) {
      logger.error(
        { channel: target.channel, workspace: target.workspace, code: rejection.code },
        `Slack ${action}: message rejected`,
      );
      throw new PaperboyError('POST_REJECTED', rejection.reason, { cause: error });
    }
    const what = describeSlackError(error);
    logger.error(
      { channel: target.channel, workspace: target.workspace, error: what },
      `Slack ${action} failed after bounded retries`,
    );
    // The digest schedules its retry no sooner than Slack's Retry-After.
    const retryAfterMs = slackRetryAfterMs(error);
    throw new PaperboyError('POST_FAILED', `Slack did not accept the message (${what}).`, {
      cause: error,
      ...(retryAfterMs !== null ? { retryAfterMs } : {}),
    });
  }

  async function send(
    target: ChannelRef,
    message: SlackMessage,
    extra: { metadata?: ReturnType<typeof digestMetadata>; threadTs?: string },
  ): Promise<string> {
    await pacer.turn(`${target.workspace}:${target.channel}`);
    try {
      const res = await client.chat.postMessage({
        channel: target.channel,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...(extra.metadata ? { metadata: extra.metadata } : {}),
        ...(extra.threadTs ? { thread_ts: extra.threadTs } : {}),
      });
      if (!res.ts) throw new PaperboyError('POST_FAILED', 'Slack answered without a message id.');
      return res.ts;
    } catch (error) {
      if (error instanceof PaperboyError) throw error;
      return fail(target, 'chat.postMessage', error);
    }
  }

  async function clearFailure(target: ChannelRef): Promise<void> {
    if ((await store.getChannel(target))?.failure)
      await store.setChannelFailure(target, null, clock.now());
  }

  /** The numbered replies of this delivery in the thread under `parentTs`: number → ts. */
  async function threadReplies(
    target: ChannelRef,
    parentTs: string,
    deliveryId: string,
  ): Promise<Map<number, string>> {
    const found = new Map<number, string>();
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      let res: webApi.ConversationsRepliesResponse;
      try {
        res = await client.conversations.replies({
          channel: target.channel,
          ts: parentTs,
          include_all_metadata: true,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        });
      } catch (error) {
        return fail(target, 'conversations.replies', error);
      }
      for (const message of res.messages ?? []) {
        const payload = ourPayload(message.metadata, deliveryId);
        if (payload && typeof payload.reply === 'number' && message.ts)
          found.set(payload.reply, message.ts);
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!res.has_more || !cursor) break;
    }
    return found;
  }

  /**
   * Whether the thread lacks some of its `expected` replies. A thread Slack will not let the
   * app read (a token without the scope) counts as whole, as before threads were read:
   * a reply may be missing, but no digest is posted twice.
   */
  async function threadIsShort(
    target: ChannelRef,
    parentTs: string,
    deliveryId: string,
    expected: number,
  ): Promise<boolean> {
    try {
      return (await threadReplies(target, parentTs, deliveryId)).size < expected;
    } catch (error) {
      const code = slackErrorCode((error as { cause?: unknown }).cause);
      if (!code || !UNREADABLE_THREAD.has(code)) throw error;
      logger.warn(
        { channel: target.channel, workspace: target.workspace, code },
        'cannot read the digest thread back; its parent counts as the posted part',
      );
      return false;
    }
  }

  /**
   * A digest part as a thread: the parent, then one reply per topic. When the parent is
   * already posted (a crash or a failed reply cut the thread short, and reconciliation
   * found it), only the replies the thread lacks are posted.
   */
  async function postThread(target: ChannelRef, reply: Reply & { kind: 'digest' }) {
    const { parent, replies } = renderDigestThread(reply);
    const deliveryId = reply.deliveryId;
    const key = deliveryId ? `${EXPIRING_STATE.slackDigestThread}${deliveryId}` : null;
    let parentTs = key ? await store.getState(key) : null;
    const posted =
      parentTs && deliveryId
        ? await threadReplies(target, parentTs, deliveryId)
        : new Map<number, string>();
    if (!parentTs) {
      const metadata = deliveryId
        ? digestMetadata(deliveryId, { replies: replies.length })
        : undefined;
      parentTs = await send(target, parent, { metadata });
      if (key) await store.putState(key, parentTs, clock.now());
    }
    const ids = [parentTs];
    for (const [index, message] of replies.entries()) {
      const number = index + 1;
      const metadata = deliveryId ? digestMetadata(deliveryId, { reply: number }) : undefined;
      ids.push(
        posted.get(number) ?? (await send(target, message, { threadTs: parentTs, metadata })),
      );
    }
    return ids;
  }

  async function post(target: ChannelRef, reply: Reply): Promise<PostResult> {
    if (reply.kind === 'digest' && options.digestAsThread) {
      const ids = await postThread(target, reply);
      await clearFailure(target);
      return { messageIds: ids };
    }
    const metadata =
      reply.kind === 'digest' && reply.deliveryId ? digestMetadata(reply.deliveryId) : undefined;
    const ts = await send(target, renderReply(reply, options.render), { metadata });
    await clearFailure(target);
    return { messageIds: [ts] };
  }

  async function findDelivery(target: ChannelRef, deliveryId: string): Promise<string | null> {
    const oldest = String((clock.now().getTime() - HISTORY_DAYS * 86_400_000) / 1000);
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      let res: webApi.ConversationsHistoryResponse;
      try {
        res = await client.conversations.history({
          channel: target.channel,
          include_all_metadata: true,
          limit: 200,
          oldest,
          ...(cursor ? { cursor } : {}),
        });
      } catch (error) {
        return fail(target, 'conversations.history', error);
      }
      for (const message of res.messages ?? []) {
        const payload = ourPayload(message.metadata, deliveryId);
        if (!payload || payload.reply !== undefined || !message.ts) continue;
        // A thread parent counts only with its whole thread; a short thread is completed by
        // `post`, which finds the parent through the state written here.
        const expected = typeof payload.replies === 'number' ? payload.replies : 0;
        if (expected > 0 && (await threadIsShort(target, message.ts, deliveryId, expected))) {
          await store.putState(
            `${EXPIRING_STATE.slackDigestThread}${deliveryId}`,
            message.ts,
            clock.now(),
          );
          return null;
        }
        return message.ts;
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!res.has_more || !cursor) break;
    }
    return null;
  }

  return { post, findDelivery };
}
