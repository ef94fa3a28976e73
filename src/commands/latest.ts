import { type Paper, paperDate } from '../core/paper.js';
import { localDate } from '../core/scheduler.js';
import { channelTimeZone } from './channel-schedule.js';
import type { CommandContext } from './context.js';
import { sightedAt } from './paper-view.js';
import type { Reply } from './reply.js';
import type { InputOf } from './spec.js';

export const LATEST_DEFAULT_COUNT = 10;
/** Most recently seen papers considered: feed days follow first-seen order closely, so a few hundred suffice. */
const CANDIDATES = 500;

/**
 * The feed day: the listing day the source gave, else, for a paper a feed listed, the day it
 * was first sighted (its feed's date when older than the time it was stored) in the channel's
 * zone; '' for a paper whose date is unknown (a bulk import), so it sorts last, never newest.
 */
export function feedDay(paper: Paper, timeZone: string): string {
  if (paper.publishedAt) return paper.publishedAt;
  return paperDate(paper) ? localDate(timeZone, new Date(sightedAt(paper))) : '';
}

/** Newest feed day first; within a day known upvotes first (more first), then newest seen. */
export function orderLatest(papers: Paper[], timeZone: string): Paper[] {
  const keyed = papers.map((paper) => ({ paper, day: feedDay(paper, timeZone) }));
  keyed.sort((a, b) => {
    if (a.day !== b.day) return a.day < b.day ? 1 : -1;
    const au = a.paper.upvotes;
    const bu = b.paper.upvotes;
    if (au !== null && bu === null) return -1;
    if (au === null && bu !== null) return 1;
    if (au !== null && bu !== null && au !== bu) return bu - au;
    if (a.paper.firstSeenAt !== b.paper.firstSeenAt)
      return a.paper.firstSeenAt < b.paper.firstSeenAt ? 1 : -1;
    return a.paper.id < b.paper.id ? -1 : 1;
  });
  return keyed.map((k) => k.paper);
}

export async function run(input: InputOf<'latest'>, ctx: CommandContext): Promise<Reply> {
  const count = input.count ?? LATEST_DEFAULT_COUNT;
  const timeZone = channelTimeZone(await ctx.store.getChannel(ctx.channel), ctx.config);
  // The last listed and the last seen: a bulk import of old papers, seen last, never hides
  // the day's listing.
  const [recent, listed] = await Promise.all([
    ctx.store.papersSeenSince(new Date(0), { includeSample: true, limit: CANDIDATES }),
    ctx.store.newestListed(CANDIDATES),
  ]);
  const candidates = new Map([...listed, ...recent].map((paper) => [paper.id, paper]));
  const papers = orderLatest([...candidates.values()], timeZone).slice(0, count);
  return {
    kind: 'list',
    title: papers.length === 1 ? 'The newest paper' : `The ${papers.length} newest papers`,
    items: papers.map((paper) => ({ paper })),
    page: 1,
    pages: papers.length > 0 ? 1 : 0,
    total: papers.length,
    emptyText: 'No papers are stored yet.',
  };
}
