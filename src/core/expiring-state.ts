import { stepOrRetryNextTick } from './background-step.js';
import type { Logger } from './logger.js';
import type { Store } from './store/store.js';

/** Paging and button state is only needed while someone may still press the button. */
export const STATE_TTL_DAYS = 30;
const DAY_MS = 86_400_000;

/** Key prefixes of state that expires; other state (health, source caches, digest plans) is kept. */
export const EXPIRING_STATE = {
  discordPage: 'discord:page:',
  slackAction: 'slack:action:',
  /** A Slack digest part's thread parent, so a crash mid-thread completes that thread. */
  slackDigestThread: 'slack:digest-thread:',
  /** arXiv ids a link lookup found unknown (read as fresh for a day; see arxiv-lookup.ts). */
  arxivUnknown: 'arxiv:unknown:',
} as const;

/** Deletes paging and button keys not written for STATE_TTL_DAYS; returns how many. */
export function pruneExpiredState(store: Store, now: Date): number {
  const before = new Date(now.getTime() - STATE_TTL_DAYS * DAY_MS);
  let pruned = 0;
  for (const prefix of Object.values(EXPIRING_STATE)) pruned += store.pruneState(prefix, before);
  return pruned;
}

/** The tick's step: prunes, logs what it did, and leaves a busy store to the next tick. */
export async function pruneExpiredStateStep(
  store: Store,
  now: Date,
  logger: Logger,
): Promise<void> {
  await stepOrRetryNextTick(logger, 'prune expired state', () => {
    const pruned = pruneExpiredState(store, now);
    if (pruned > 0) logger.debug({ pruned }, 'expired paging and button state pruned');
  });
}
