import { DigestRunCache } from '../core/digest/candidates.js';
import { selectForChannel } from '../core/digest/plan.js';
import type { Paper } from '../core/paper.js';
import { digestWindowStart, localDate, nextDigestAt } from '../core/scheduler.js';
import { channelTimeZone, defaultSchedule, describeSchedule } from './channel-schedule.js';
import type { CommandContext } from './context.js';
import type { DigestReply } from './reply.js';
import { COMMAND_NAME, type InputOf } from './spec.js';

/**
 * What this channel's next digest would contain if it were planned now: the same
 * selection the digest run makes, over the window it would use.
 */
export async function run(_input: InputOf<'digest'>, ctx: CommandContext): Promise<DigestReply> {
  const now = ctx.clock.now();
  const channel = await ctx.store.getChannel(ctx.channel);
  const schedule = channel?.schedule ?? null;
  // An unposted run's papers are carried, so its window start is the run's start.
  const open = (await ctx.store.openDigestRuns(ctx.channel))[0];
  const since = open
    ? new Date(open.from)
    : digestWindowStart(channel, now, ctx.config.digest.maxAgeDays);
  const selection = await selectForChannel(
    { ref: ctx.channel },
    schedule ?? defaultSchedule(ctx.config),
    since,
    now,
    { store: ctx.store, search: ctx.search, settings: ctx.config.digest },
    new DigestRunCache(),
  );
  const papers = new Map<string, Paper>(
    (await ctx.store.getPapers(selection.paperIds)).map((p) => [p.id, p]),
  );

  const timeZone = channelTimeZone(channel, ctx.config);
  const next = schedule ? nextDigestAt(schedule, now) : null;
  const date = localDate(timeZone, next ?? now);
  const title = schedule
    ? `Preview of the next digest, due ${date} at ${describeSchedule(schedule)}`
    : `Preview of a digest (none scheduled: turn it on with /${COMMAND_NAME} schedule <HH:MM>)`;
  const empty = [
    `Nothing new${(await ctx.store.listSubscriptions(ctx.channel)).length > 0 ? " matches this channel's topics" : ''} since ${since.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    `Papers dated more than ${ctx.config.digest.maxAgeDays} days ago (imports, backfills) and the bundled sample papers are never posted in a digest.`,
  ];
  return {
    kind: 'digest',
    date,
    title,
    sections: selection.sections.map((section) => ({
      topic: section.topic,
      items: section.items.flatMap((pick) => {
        const paper = papers.get(pick.paper.id);
        return paper ? [{ paper, why: pick.why }] : [];
      }),
    })),
    emptyText: empty.join(' '),
  };
}
