import { createHash, randomUUID } from 'node:crypto';
import {
  type APIChannel,
  type APIMessage,
  type Channel,
  ChannelType,
  type Client,
  DiscordAPIError,
  Routes,
} from 'discord.js';
import type { Reply } from '../../commands/reply.js';
import type { Config } from '../../config.js';
import type { Clock } from '../../core/clock.js';
import { PaperboyError } from '../../core/errors.js';
import { EXPIRING_STATE } from '../../core/expiring-state.js';
import type { Logger } from '../../core/logger.js';
import type { AsyncStore } from '../../core/store/async-store.js';
import { PendingState } from '../../core/store/pending-state.js';
import type { ChannelRef } from '../../core/store/store.js';
import type { PostResult } from '../adapter.js';
import { pageCustomId } from './paging.js';
import { footerHasDelivery } from './render-digest.js';
import { type DiscordMessage, renderReply } from './render-reply.js';
import { truncateWords } from './render-text.js';

export interface PostDeps {
  client: Client;
  store: AsyncStore;
  clock: Clock;
  logger: Logger;
  config: Config;
  /** The bot's user id when the client has no gateway session (HTTP interactions mode). */
  botUserId?: string;
}

/** Discord error codes meaning "this channel will not take our messages". */
const REFUSALS: Record<number, string> = {
  10003: 'the channel no longer exists',
  40067: 'the forum requires a tag on every post',
  50001: 'missing access to the channel',
  50007: 'the user does not accept direct messages from the bot',
  50013: 'missing permission to post (Send Messages, Embed Links)',
  50083: 'the thread is archived',
  160005: 'the thread is locked',
};

/** Discord error codes meaning "this message will never be accepted" (its content is at fault). */
const REJECTIONS: Record<number, string> = {
  50006: 'the message is empty',
  50035: 'Discord found the message invalid (50035 Invalid Form Body)',
};

/** A permanent refusal's reason, or `null` when a retry may help. */
function refusalOf(error: unknown): string | null {
  if (!(error instanceof DiscordAPIError)) return null;
  const known = typeof error.code === 'number' ? REFUSALS[error.code] : undefined;
  if (known) return known;
  if (error.status === 404) return 'the channel no longer exists';
  if (error.status === 403) return `missing permission (${error.message})`;
  return null;
}

/** Records a refusal on the channel (shown by `/papers subscriptions`), logs it, and throws. */
async function unavailable(
  deps: PostDeps,
  target: ChannelRef,
  reason: string,
  cause?: unknown,
): Promise<never> {
  await deps.store.setChannelFailure(target, reason, deps.clock.now());
  deps.logger.warn({ channel: target, reason }, 'Discord channel refuses the bot');
  throw new PaperboyError('CHANNEL_UNAVAILABLE', `Cannot post in this channel: ${reason}.`, {
    cause,
  });
}

async function guarded<T>(deps: PostDeps, target: ChannelRef, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PaperboyError) throw error;
    const reason = refusalOf(error);
    if (reason) await unavailable(deps, target, reason, error);
    const rejected =
      error instanceof DiscordAPIError && typeof error.code === 'number'
        ? REJECTIONS[error.code]
        : undefined;
    if (rejected) {
      // discord.js names the fields at fault ("embeds[0].description[BASE_TYPE_MAX_LENGTH]").
      const detail = truncateWords((error as Error).message.replace(/\s+/g, ' '), 300);
      deps.logger.error({ channel: target, err: error }, 'Discord rejected the message');
      throw new PaperboyError('POST_REJECTED', `${rejected}: ${detail}`, { cause: error });
    }
    deps.logger.error({ channel: target, err: error }, 'Discord post failed');
    throw new PaperboyError('POST_FAILED', 'Discord did not accept the message; try again later.', {
      cause: error,
    });
  }
}

/** ≤ 25 characters, the same for the same delivery part, so a quick retry is not a duplicate. */
function nonceFor(reply: Reply): string {
  if (reply.kind === 'digest' && reply.deliveryId) {
    const seed = `${reply.deliveryId}:${reply.part ?? 1}`;
    return createHash('sha256').update(seed).digest('hex').slice(0, 25);
  }
  return randomUUID().replace(/-/g, '').slice(0, 25);
}

/** A rendered message as a REST message body (interaction responses reuse it). */
export function messageBody(message: DiscordMessage) {
  return {
    ...(message.content ? { content: message.content } : {}),
    embeds: message.embeds,
    components: message.components,
    allowed_mentions: message.allowed_mentions,
  };
}

function threadName(reply: Reply): string {
  const title = reply.kind === 'digest' ? `${reply.title} ${reply.date}` : 'Paperboy';
  return truncateWords(title, 100);
}

const TEXT_TYPES = new Set<ChannelType>([
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
  ChannelType.DM,
]);
const FORUM_TYPES = new Set<ChannelType>([ChannelType.GuildForum, ChannelType.GuildMedia]);

async function fetchChannel(deps: PostDeps, target: ChannelRef): Promise<Channel> {
  // allowUnknownGuild: a REST-only client (HTTP interactions) has no guilds from a gateway.
  const channel = await guarded(deps, target, () =>
    deps.client.channels.fetch(target.channel, { allowUnknownGuild: true }),
  );
  if (!channel) return unavailable(deps, target, 'the channel no longer exists');
  if (!TEXT_TYPES.has(channel.type) && !FORUM_TYPES.has(channel.type)) {
    return unavailable(deps, target, 'it is not a text, announcement, thread or forum channel');
  }
  return channel;
}

/**
 * Posts a reply (a digest part) to a text or announcement channel (crossposted when
 * configured), a thread, a DM, or a forum (one post per digest); with digestAsThread,
 * the digest opens a thread and later parts of the same day go into it.
 */
export async function postToChannel(
  deps: PostDeps,
  target: ChannelRef,
  reply: Reply,
): Promise<PostResult> {
  const channel = await fetchChannel(deps, target);
  const now = deps.clock.now();
  const pending = new PendingState(deps.store, () => now);
  const rendered = renderReply(reply, { pageId: (r) => pageCustomId(r, pending) });
  await pending.save();
  const rest = deps.client.rest;
  const options = (await deps.store.getChannel(target))?.options ?? {};
  const asThread =
    (options.digestAsThread as boolean | undefined) ?? deps.config.discord.digestAsThread;
  const crosspost = (options.crosspost as boolean | undefined) ?? deps.config.discord.crosspost;

  const result = await guarded(deps, target, async () => {
    if (FORUM_TYPES.has(channel.type)) {
      // Forum posts take no nonce; the delivery id in the footer is what reconciles.
      const thread = (await rest.post(Routes.threads(channel.id), {
        body: {
          name: threadName(reply),
          auto_archive_duration: 1440,
          message: messageBody(rendered),
        },
      })) as APIChannel & { message?: APIMessage };
      return { messageIds: [thread.message?.id ?? thread.id] };
    }
    const threadKey =
      reply.kind === 'digest'
        ? `${EXPIRING_STATE.discordDigestThread}${channel.id}:${reply.date}`
        : null;
    const laterPart = reply.kind === 'digest' && (reply.part ?? 1) > 1;
    const into = asThread && threadKey && laterPart ? await deps.store.getState(threadKey) : null;
    const message = (await rest.post(Routes.channelMessages(into ?? channel.id), {
      body: { ...messageBody(rendered), nonce: nonceFor(reply), enforce_nonce: true },
    })) as APIMessage;
    if (crosspost && channel.type === ChannelType.GuildAnnouncement) {
      await rest
        .post(Routes.channelMessageCrosspost(channel.id, message.id))
        .catch((error: unknown) => {
          deps.logger.warn(
            { channel: target, err: error },
            'crosspost failed; the message stays posted',
          );
        });
    }
    const canThread =
      channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement;
    if (asThread && threadKey && !into && canThread) {
      try {
        const thread = (await rest.post(Routes.threads(channel.id, message.id), {
          body: { name: threadName(reply), auto_archive_duration: 1440 },
        })) as APIChannel;
        await deps.store.putState(threadKey, thread.id, now);
      } catch (error) {
        deps.logger.warn(
          { channel: target, err: error },
          'could not open a digest thread; posted in the channel',
        );
      }
    }
    return { messageIds: [message.id] };
  });
  if ((await deps.store.getChannel(target))?.failure)
    await deps.store.setChannelFailure(target, null, now);
  return result;
}

/** How far back reconciliation reads a busy channel: pages of 100, newest first. */
const HISTORY_PAGE = 100;
const HISTORY_PAGES = 10;
const HISTORY_MS = 7 * 86_400_000;
const DISCORD_EPOCH = 1_420_070_400_000n;

/** When a message was created, from its snowflake id (ms), or null for an id that is not one. */
function snowflakeTime(id: string): number | null {
  return /^\d+$/.test(id) ? Number((BigInt(id) >> 22n) + DISCORD_EPOCH) : null;
}

function carries(message: APIMessage, botId: string | undefined, deliveryId: string): boolean {
  if (botId && message.author?.id !== botId) return false;
  return (message.embeds ?? []).some((e) => footerHasDelivery(e.footer?.text, deliveryId));
}

/**
 * Reads the bot's recent messages in the channel (and in the threads opened under it:
 * forum posts, digest threads) for one carrying the delivery id.
 */
export async function findDeliveryMessage(
  deps: PostDeps,
  target: ChannelRef,
  deliveryId: string,
): Promise<string | null> {
  const channel = await fetchChannel(deps, target);
  const rest = deps.client.rest;
  const botId = deps.botUserId ?? deps.client.user?.id;
  const options = (await deps.store.getChannel(target))?.options ?? {};
  const asThread =
    (options.digestAsThread as boolean | undefined) ?? deps.config.discord.digestAsThread;
  const forum = FORUM_TYPES.has(channel.type);
  return guarded(deps, target, async () => {
    const places: string[] = [];
    if (!forum) places.push(channel.id);
    if ((forum || asThread) && 'guildId' in channel && channel.guildId && !channel.isThread()) {
      const active = (await rest.get(Routes.guildActiveThreads(channel.guildId))) as {
        threads: APIChannel[];
      };
      const children = active.threads
        .filter((t) => 'parent_id' in t && t.parent_id === channel.id)
        .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
        .slice(0, 20);
      places.push(...children.map((t) => t.id));
    }
    // The channel is paged back (a busy one buries a digest under other messages) until a
    // page older than a week, a short page, or ten pages; a thread holds one page.
    const since = deps.clock.now().getTime() - HISTORY_MS;
    for (const [index, place] of places.entries()) {
      const pages = index === 0 && !forum ? HISTORY_PAGES : 1;
      let before: string | undefined;
      for (let page = 0; page < pages; page++) {
        const query = new URLSearchParams({
          limit: String(HISTORY_PAGE),
          ...(before ? { before } : {}),
        });
        const messages = (await rest.get(Routes.channelMessages(place), {
          query,
        })) as APIMessage[];
        const found = messages.find((m) => carries(m, botId, deliveryId));
        if (found) return found.id;
        const last = messages.at(-1);
        if (!last || messages.length < HISTORY_PAGE) break;
        if ((snowflakeTime(last.id) ?? 0) < since) break;
        before = last.id;
      }
    }
    return null;
  });
}
