import { clearRefusal } from '../core/digest/run.js';
import { defaultSchedule, describeSchedule } from './channel-schedule.js';
import type { CommandContext } from './context.js';
import type { Reply } from './reply.js';
import { COMMAND_NAME, type InputOf } from './spec.js';
import { MAX_TOPICS, normaliseTopic } from './topic.js';

/** Above this share of the recent papers a topic is probably too broad to be useful. */
const BROAD_SHARE = 0.5;

export async function run(input: InputOf<'subscribe'>, ctx: CommandContext): Promise<Reply> {
  const topic = normaliseTopic(input.topic);
  const existing = await ctx.store.listSubscriptions(ctx.channel);
  if (existing.some((s) => s.topic === topic)) {
    return {
      kind: 'notice',
      title: 'Already subscribed',
      lines: [`This channel already follows "${topic}".`],
      ephemeral: true,
    };
  }
  if (existing.length >= MAX_TOPICS) {
    return {
      kind: 'error',
      code: 'INPUT_INVALID',
      message: `This channel already follows ${MAX_TOPICS} topics, the most allowed. Unsubscribe from one first (/${COMMAND_NAME} subscriptions lists them).`,
    };
  }

  const now = ctx.clock.now();
  // The digest's own look-back: the preview counts what a digest could still announce.
  const windowDays = ctx.config.digest.maxAgeDays;
  const since = new Date(now.getTime() - windowDays * 24 * 60 * 60 * 1000);
  const matches = await ctx.search.countTopicMatches(topic, since);
  const recent = (await ctx.store.papersSeenSince(since, { includeSample: true, limit: 5000 }))
    .length;
  await ctx.store.addSubscription({
    channel: ctx.channel,
    topic,
    addedBy: ctx.user.id,
    addedAt: now.toISOString(),
  });
  await clearRefusal(ctx.store, ctx.channel, now);

  const lines = [
    `This channel now follows "${topic}".`,
    `${matches === 1 ? '1 paper' : `${matches} papers`} first seen in the last ${windowDays === 1 ? 'day' : `${windowDays} days`} match it.`,
  ];
  if (matches === 0) {
    lines.push('That may be too narrow: try broader or other words.');
  } else if (recent >= 20 && matches / recent > BROAD_SHARE) {
    lines.push(`That is most of the ${recent} recent papers: a narrower topic may help.`);
  }
  const channel = await ctx.store.getChannel(ctx.channel);
  if (!channel?.schedule) {
    const schedule = defaultSchedule(ctx.config);
    await ctx.store.setSchedule(ctx.channel, schedule, now);
    lines.push(
      `Digest: ${describeSchedule(schedule)} (the default; change it with /${COMMAND_NAME} schedule).`,
    );
  }
  return { kind: 'notice', title: 'Subscribed', lines };
}
