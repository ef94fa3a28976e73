import { scrubSecretShapes } from '../core/secret-text.js';
import { describeSchedule } from './channel-schedule.js';
import type { CommandContext } from './context.js';
import type { Reply } from './reply.js';
import { COMMAND_NAME, type InputOf } from './spec.js';

export async function run(_input: InputOf<'subscriptions'>, ctx: CommandContext): Promise<Reply> {
  const topics = await ctx.store.listSubscriptions(ctx.channel);
  const channel = await ctx.store.getChannel(ctx.channel);
  const lines: string[] = [];
  if (topics.length === 0) {
    lines.push(`No topics yet. Follow one with /${COMMAND_NAME} subscribe <topic>.`);
  } else {
    lines.push(`Topics (${topics.length}):`);
    for (const sub of topics) lines.push(`• ${sub.topic}`);
  }
  if (channel?.schedule) {
    lines.push(
      `Digest: ${describeSchedule(channel.schedule)}${channel.paused ? ' (paused)' : ''}.`,
    );
  } else {
    lines.push(`Digest: off. Turn it on with /${COMMAND_NAME} schedule <HH:MM> [timezone].`);
  }
  if (channel?.lastDigestAt) lines.push(`Last digest: ${channel.lastDigestAt}.`);
  if (channel?.failure) {
    lines.push(
      `Posting here fails since ${channel.failure.at}: ${scrubSecretShapes(channel.failure.reason)}`,
      channel.paused
        ? `It is paused. Fix the channel (the bot needs to see it and send messages), then run /${COMMAND_NAME} schedule here to resume.`
        : `It is tried again at the next digest time. Fixed it? Run /${COMMAND_NAME} schedule here to try at once.`,
    );
  }
  return { kind: 'notice', title: 'Subscriptions in this channel', lines };
}
