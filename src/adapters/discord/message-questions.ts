import type { Client, Message } from 'discord.js';
import { answerThreadQuestion, type DigestMessageRef } from '../../commands/thread-question.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { ChannelRef } from '../../core/store/store.js';
import { type DiscordBot, MANAGE_PERMISSION } from './interaction-handler.js';
import { pageCustomId } from './paging.js';
import { renderReply } from './render-reply.js';

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

/**
 * A message that mentions the bot is a question (mentions reach a bot without the
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
    const question = message.content.replace(MENTION, ' ');
    const reply = await answerThreadQuestion(question, ctx, digestRefs(message, guild));
    const now = deps.clock.now();
    const rendered = renderReply(reply, { pageId: (r) => pageCustomId(r, deps.bot.store, now) });
    await message.reply({
      embeds: rendered.embeds,
      components: rendered.components,
      allowedMentions: { parse: [], repliedUser: false },
    });
  } catch (error) {
    deps.logger.error({ err: error, channel: message.channelId }, 'Discord question failed');
  }
}
