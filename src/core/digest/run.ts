import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { dueDigest, effectiveSchedule, nextDigestAt } from '../scheduler.js';
import type { PaperSearch } from '../search/types.js';
import type { Channel, ChannelRef, DigestRun, Schedule, Store } from '../store/store.js';
import { DigestRunCache } from './candidates.js';
import { type DigestSettings, planRun } from './plan.js';
import {
  attemptRun,
  channelLabel,
  type DigestPoster,
  findPosted,
  type RunOutcome,
  recordFailure,
} from './post.js';

export type Posters = ReadonlyMap<ChannelRef['platform'], DigestPoster>;

export interface DigestDeps {
  store: Store;
  search: Pick<PaperSearch, 'matchTopic'>;
  settings: DigestSettings;
  clock: Clock;
  logger: Logger;
  posters: Posters;
  defaultSchedule: Schedule;
  /** Reference for a channel with neither a cursor nor a schedule-set time (bot start). */
  startedAt: Date;
  /** Papers per message part (Discord: 10 embeds a message). */
  partSize?: number;
  /** Set when Paperboy is stopping: no new post starts. */
  signal?: AbortSignal;
  onPaused?: (ref: ChannelRef, reason: string) => Promise<void>;
  newId?: () => string;
}

export type ChannelOutcome =
  | RunOutcome
  | { kind: 'waiting'; nextAttemptAt: string }
  | { kind: 'no-poster' };

/**
 * One tick for one channel: settle its open run, or plan and post the run that is due.
 * An unposted run (nothing of it on the platform) is replaced when the channel's next run
 * is due; the new window starts at the old one's `from`, so its papers are carried.
 * Returns `null` when there is nothing to do.
 */
export async function serveChannel(
  channel: Channel,
  open: DigestRun | undefined,
  deps: DigestDeps,
  cache: DigestRunCache = new DigestRunCache(),
): Promise<ChannelOutcome | null> {
  if (channel.paused) return null;
  const poster = deps.posters.get(channel.ref.platform);
  if (!poster) return { kind: 'no-poster' };
  const schedule = effectiveSchedule(channel, deps.defaultSchedule);
  const now = deps.clock.now();
  const postDeps = { ...deps, disableAfterDays: deps.settings.disableAfterDays };
  const plan = (from: Date, carried?: DigestRun) =>
    planRun(
      {
        channel,
        schedule,
        from,
        now,
        partSize: deps.partSize ?? 10,
        ...(carried ? { carried } : {}),
      },
      deps,
      cache,
      deps.newId,
    );

  if (open) {
    // A run waiting out a backoff or a refusal is left alone until its time.
    if (open.state === 'retrying' && open.nextAttemptAt && new Date(open.nextAttemptAt) > now)
      return { kind: 'waiting', nextAttemptAt: open.nextAttemptAt };
    const nextDue = nextDigestAt(schedule, new Date(open.to));
    if (nextDue <= now && open.parts.every((p) => p.messageId === null)) {
      // Before replacing it, make sure no part reached the platform unrecorded. A failed
      // look-up counts as a failed attempt: a refusal is tried again at the next due time.
      if (open.state === 'posting' || open.attempts > 0) {
        try {
          if ((await findPosted(open, poster, deps.store)) > 0)
            return attemptRun(open, poster, schedule, postDeps);
        } catch (error) {
          return recordFailure({ ...open, attempts: open.attempts + 1 }, error, schedule, postDeps);
        }
      }
      const next = plan(new Date(open.from), open);
      return next.state === 'empty'
        ? { kind: 'empty' }
        : attemptRun(asRun(next), poster, schedule, postDeps);
    }
    return attemptRun(open, poster, schedule, postDeps);
  }

  const due = dueDigest(channel, now, {
    defaultSchedule: deps.defaultSchedule,
    startedAt: deps.startedAt,
    lookBackDays: deps.settings.maxAgeDays,
  });
  if (!due) return null;
  const run = plan(due.since);
  if (due.missed > 1)
    deps.logger.info(
      { channel: channelLabel(channel.ref), missed: due.missed },
      'catch-up digest after downtime',
    );
  return run.state === 'empty'
    ? { kind: 'empty' }
    : attemptRun(asRun(run), poster, schedule, postDeps);
}

function asRun(run: Omit<DigestRun, 'attempts' | 'nextAttemptAt' | 'lastError'>): DigestRun {
  return { ...run, attempts: 0, nextAttemptAt: null, lastError: null };
}

/** Every channel's digest work of one tick; one channel's trouble never stops the others. */
export async function runDigests(
  channels: Channel[],
  deps: DigestDeps,
): Promise<Array<{ channel: string; outcome: ChannelOutcome }>> {
  const cache = new DigestRunCache();
  const open = new Map<string, DigestRun>();
  for (const run of deps.store.openDigestRuns()) open.set(channelLabel(run.channel), run);
  const done: Array<{ channel: string; outcome: ChannelOutcome }> = [];
  for (const channel of channels) {
    if (deps.signal?.aborted) break;
    const label = channelLabel(channel.ref);
    try {
      const outcome = await serveChannel(channel, open.get(label), deps, cache);
      if (outcome) done.push({ channel: label, outcome });
    } catch (error) {
      deps.logger.error({ channel: label, err: error }, 'digest delivery failed');
    }
  }
  return done;
}

/**
 * A channel-changing command (schedule, subscribe, unsubscribe) clears a refusal at once:
 * the mark goes, a channel paused for refusals resumes, and a waiting run is tried next tick.
 */
export function clearRefusal(store: Store, ref: ChannelRef, now: Date): void {
  const channel = store.getChannel(ref);
  if (!channel?.failure) return;
  store.transaction(() => {
    store.setChannelFailure(ref, null, now);
    if (channel.paused) store.setPaused(ref, false);
    for (const run of store.openDigestRuns(ref))
      if (run.state === 'retrying')
        store.updateDigestRun(run.id, { nextAttemptAt: now.toISOString() });
  });
}
