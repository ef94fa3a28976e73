import type { Client, Message } from 'discord.js';
import type { CommandContext } from '../../commands/context.js';
import { faultReply } from '../../commands/dispatch.js';
import { type LinkCard, linkCard, paperLinks } from '../../commands/paper-card.js';
import type { Reply } from '../../commands/reply.js';
import {
  answerThreadQuestion,
  type DigestMessageRef,
  QUESTION_FAULT_LEAD,
} from '../../commands/thread-question.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { PendingState } from '../../core/store/pending-state.js';
import type { ChannelRef } from '../../core/store/store.js';
import { type DiscordBot, MANAGE_PERMISSION } from './interaction-handler.js';
import { pageCustomId } from './paging.js';
import { fitLimits, renderReply } from './render-reply.js';

export interface MessageQuestionDeps {
  bot: DiscordBot;
  clock: Clock;
  logger: Logger;
}

const MENTION = /<@!?\d+>/g;

/**
 * The digest messages a question may be about: in a thread, the thread's starter message
 * (a thread started from a message has that message's id); as a reply, the message replied to.
 */
function digestRefs(message: Message, guild: string): DigestMessageRef[] {
  const refs: DigestMessageRef[] = [];
  const channel = message.channel;
  if (channel.isThread() && channel.parentId) {
    refs.push({
      channel: { platform: 'discord', workspace: guild, channel: channel.parentId },
      messageId: channel.id,
    });
  }
  const replied = message.reference?.messageId;
  if (replied) {
    refs.push({
      channel: { platform: 'discord', workspace: guild, channel: message.channelId },
      messageId: replied,
    });
  }
  return refs;
}

/** Cards in one reply: within Discord's 10 embeds; each card's quote is short (see paper-card). */
const MAX_CARDS = 3;

const NO_CARD: Record<Exclude<LinkCard['kind'], 'card'>, string> = {
  'not-stored': 'Not among the stored papers yet',
  unknown: 'arXiv has no paper with this id',
  failed: 'Could not look this paper up on arXiv just now',
};

/**
 * The card of each linked paper (one not stored is looked up on arXiv first); one plain
 * line for each link without a card, saying why.
 */
async function linkCards(links: string[], ctx: CommandContext, here: ChannelRef): Promise<Reply[]> {
  const cards: Reply[] = [];
  const without: string[] = [];
  for (const url of links) {
    const found = await linkCard(ctx, here, url);
    if (found.kind === 'card') cards.push(found.card);
    else without.push(`${NO_CARD[found.kind]}: ${url}`);
  }
  if (without.length > 0) cards.push({ kind: 'notice', lines: without });
  return cards;
}

/**
 * A message that mentions the bot with an arXiv or Hugging Face paper link gets the paper's
 * card; any other message that mentions the bot is a question (mentions reach a bot without the
 * privileged Message Content intent): answered in place, as a reply that pings no one.
 */
export async function handleMessageQuestion(
  deps: MessageQuestionDeps,
  client: Client,
  message: Message,
): Promise<void> {
  const me = client.user?.id;
  if (!me || message.author.bot || !message.mentions.users.has(me)) return;
  const guild = message.guildId ?? 'dm';
  const here: ChannelRef = { platform: 'discord', workspace: guild, channel: message.channelId };
  try {
    const ctx = deps.bot.contextFor(
      here,
      { id: message.author.id, name: message.author.username, canManageChannel: false },
      MANAGE_PERMISSION,
    );
    const links = paperLinks(message.content).slice(0, MAX_CARDS);
    const replies: Reply[] =
      links.length > 0
        ? await linkCards(links, ctx, here).catch((error: unknown) => [
            faultReply(
              error,
              deps.logger,
              { channel: here.channel },
              'link cards failed',
              QUESTION_FAULT_LEAD,
            ),
          ])
        : [
            await answerThreadQuestion(
              message.content.replace(MENTION, ' '),
              ctx,
              digestRefs(message, guild),
            ),
          ];
    const pending = new PendingState(deps.bot.store, () => deps.clock.now());
    const rendered = replies.map((r) =>
      renderReply(r, { pageId: (p) => pageCustomId(p, pending) }),
    );
    await pending.save();
    // Each reply fits alone; together (several cards) they must still fit one message.
    const { embeds, components } = fitLimits({
      embeds: rendered.flatMap((r) => r.embeds),
      components: rendered.flatMap((r) => r.components).slice(0, 5),
      ephemeral: false,
      allowed_mentions: { parse: [] },
    });
    await message.reply({
      embeds,
      components,
      allowedMentions: { parse: [], repliedUser: false },
    });
  } catch (error) {
    deps.logger.error({ err: error, channel: message.channelId }, 'Discord question failed');
  }
}
