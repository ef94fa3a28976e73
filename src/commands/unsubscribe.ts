import { clearRefusal } from '../core/digest/run.js';
import type { CommandContext } from './context.js';
import type { Reply } from './reply.js';
import { COMMAND_NAME, type InputOf } from './spec.js';
import { normaliseTopic } from './topic.js';

export async function run(input: InputOf<'unsubscribe'>, ctx: CommandContext): Promise<Reply> {
  const topic = normaliseTopic(input.topic);
  if (await ctx.store.removeSubscription(ctx.channel, topic)) {
    await clearRefusal(ctx.store, ctx.channel, ctx.clock.now());
    const left = (await ctx.store.listSubscriptions(ctx.channel)).length;
    return {
      kind: 'notice',
      title: 'Unsubscribed',
      lines: [
        `This channel no longer follows "${topic}".`,
        left === 0
          ? 'It follows no topics now: its digest lists all new papers.'
          : `It still follows ${left === 1 ? '1 topic' : `${left} topics`}.`,
      ],
    };
  }
  const topics = (await ctx.store.listSubscriptions(ctx.channel)).map((s) => `"${s.topic}"`);
  return {
    kind: 'error',
    code: 'NOT_FOUND',
    message:
      topics.length === 0
        ? `This channel follows no topics, so there is nothing to unsubscribe. Add one with /${COMMAND_NAME} subscribe <topic>.`
        : `This channel does not follow "${topic}". It follows: ${topics.join(', ')}.`,
  };
}
