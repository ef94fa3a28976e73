import { stepOrRetryNextTick } from './background-step.js';
import type { Logger } from './logger.js';
import type { AsyncStore } from './store/async-store.js';

/** Keyed state written per message, page or lookup is needed for days, not for ever. */
export const STATE_TTL_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * Key prefixes of state written per message, lookup or URL: pruned once not written for
 * STATE_TTL_DAYS. Every other key is bounded by the configuration: `health-warning:<source>`
 * is one per paper source. A new `putState`/`replaceState` prefix belongs in one of the two
 * (test/live-prune.test.ts lists the writers).
 */
export const EXPIRING_STATE = {
  discordPage: 'discord:page:',
  slackAction: 'slack:action:',
  /** A Slack digest part's thread parent, so a crash mid-thread completes that thread. */
  slackDigestThread: 'slack:digest-thread:',
  /** arXiv ids a link lookup found unknown (read as fresh for a day; see arxiv-lookup.ts). */
  arxivUnknown: 'arxiv:unknown:',
  /** The thread a digest's first part opened, for its later parts (minutes later), per day. */
  discordDigestThread: 'discord:digest-thread:',
  /**
   * Conditional-request validators per feed URL: one per configured URL, but a changed URL
   * or category list leaves the old ones; a pruned one costs one unconditional request.
   */
  httpValidators: 'http-validators:',
} as const;

/** Deletes expiring keys not written for STATE_TTL_DAYS; returns how many. */
export async function pruneExpiredState(store: AsyncStore, now: Date): Promise<number> {
  const before = new Date(now.getTime() - STATE_TTL_DAYS * DAY_MS);
  let pruned = 0;
  for (const prefix of Object.values(EXPIRING_STATE))
    pruned += await store.pruneState(prefix, before);
  return pruned;
}

/** The tick's step: prunes, logs what it did, and leaves a busy store to the next tick. */
export async function pruneExpiredStateStep(
  store: AsyncStore,
  now: Date,
  logger: Logger,
): Promise<void> {
  await stepOrRetryNextTick(logger, 'prune expired state', async () => {
    const pruned = await pruneExpiredState(store, now);
    if (pruned > 0) logger.debug({ pruned }, 'expired keyed state pruned');
  });
}
