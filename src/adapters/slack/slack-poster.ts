import type { webApi } from '@slack/bolt';
import type { Reply } from '../../commands/reply.js';
import type { Clock } from '../../core/clock.js';
import { PaperboyError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ChannelRef, Store } from '../../core/store/store.js';
import type { PostResult } from '../adapter.js';
import type { RenderOptions, SlackMessage } from './blocks.js';
import type { Pacer } from './pacer.js';
import { DIGEST_EVENT_TYPE, digestMetadata, renderDigestThread } from './render-digest.js';
import { renderReply } from './render-reply.js';
import { channelRefusal, describeSlackError } from './slack-errors.js';

/** How far back reconciliation reads a channel's history (digests are daily). */
const HISTORY_DAYS = 7;
const HISTORY_PAGES = 5;

export interface SlackPosterOptions {
  client: webApi.WebClient;
  store: Store;
  clock: Clock;
  logger: Logger;
  pacer: Pacer;
  digestAsThread: boolean;
  render?: RenderOptions;
}

/** `post` and `findDelivery` of the Slack adapter: chat.postMessage at Slack's pace, metadata read back. */
export function createSlackPoster(options: SlackPosterOptions) {
  const { client, store, clock, logger, pacer } = options;

  function fail(target: ChannelRef, action: string, error: unknown): never {
    const refusal = channelRefusal(error);
    if (refusal) {
      store.setChannelFailure(target, refusal.reason, clock.now());
      logger.warn(
        { channel: target.channel, workspace: target.workspace, code: refusal.code },
        `Slack ${action}: channel unavailable`,
      );
      throw new PaperboyError('CHANNEL_UNAVAILABLE', refusal.reason, { cause: error });
    }
    const what = describeSlackError(error);
    logger.error(
      { channel: target.channel, workspace: target.workspace, error: what },
      `Slack ${action} failed after bounded retries`,
    );
    throw new PaperboyError('POST_FAILED', `Slack did not accept the message (${what}).`, {
      cause: error,
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

  function clearFailure(target: ChannelRef): void {
    if (store.getChannel(target)?.failure) store.setChannelFailure(target, null, clock.now());
  }

  async function post(target: ChannelRef, reply: Reply): Promise<PostResult> {
    const metadata =
      reply.kind === 'digest' && reply.deliveryId ? digestMetadata(reply.deliveryId) : undefined;
    if (reply.kind === 'digest' && options.digestAsThread) {
      const { parent, replies } = renderDigestThread(reply);
      const parentTs = await send(target, parent, { metadata });
      const ids = [parentTs];
      for (const message of replies) ids.push(await send(target, message, { threadTs: parentTs }));
      clearFailure(target);
      return { messageIds: ids };
    }
    const ts = await send(target, renderReply(reply, options.render), { metadata });
    clearFailure(target);
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
        const meta = message.metadata;
        if (
          meta?.event_type === DIGEST_EVENT_TYPE &&
          (meta.event_payload as Record<string, unknown> | undefined)?.delivery_id === deliveryId &&
          message.ts
        )
          return message.ts;
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!res.has_more || !cursor) break;
    }
    return null;
  }

  return { post, findDelivery };
}
