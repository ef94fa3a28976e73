import { digestWindowStart, selectDigest } from '../core/digest.js';
import { localDate, nextDigestAt } from '../core/scheduler.js';
import { channelTimeZone, defaultSchedule, describeSchedule } from './channel-schedule.js';
import type { CommandContext } from './context.js';
import type { DigestReply } from './reply.js';
import { COMMAND_NAME, type InputOf } from './spec.js';

/** Candidates read at most; a digest window rarely holds more. */
const CANDIDATES = 10_000;

/** What this channel's next digest would contain if it were posted now. */
export async function run(_input: InputOf<'digest'>, ctx: CommandContext): Promise<DigestReply> {
  const now = ctx.clock.now();
  const channel = ctx.store.getChannel(ctx.channel);
  const schedule = channel?.schedule ?? null;
  const since = digestWindowStart(channel, now);
  const topics = ctx.store.listSubscriptions(ctx.channel).map((s) => s.topic);
  const selection = selectDigest({
    papers: ctx.store.papersSeenSince(since, { includeSample: false, limit: CANDIDATES }),
    topics,
    alreadyDelivered: ctx.store.deliveredPaperIds(ctx.channel),
    size: (schedule ?? defaultSchedule(ctx.config)).size,
    perTopic: ctx.config.digest.perTopic,
    matchTopic: (topic, ids) => ctx.search.matchTopic(topic, ids),
  });

  const timeZone = channelTimeZone(channel, ctx.config);
  const next = schedule ? nextDigestAt(schedule, now) : null;
  const date = localDate(timeZone, next ?? now);
  const title = schedule
    ? `Preview of the next digest, due ${date} at ${describeSchedule(schedule)}`
    : `Preview of a digest (none scheduled: turn it on with /${COMMAND_NAME} schedule <HH:MM>)`;
  const empty = [
    `Nothing new${topics.length > 0 ? " matches this channel's topics" : ''} since ${since.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    'The bundled sample papers are never posted in a digest.',
  ];
  return {
    kind: 'digest',
    date,
    title,
    sections: selection.sections.map((section) => ({
      topic: section.topic,
      items: section.items.map((pick) => ({ paper: pick.paper, why: pick.why })),
    })),
    emptyText: empty.join(' '),
  };
}
