import type { Clock } from '../clock.js';
import { isPaperboyError } from '../errors.js';
import type { Logger } from '../logger.js';
import { dueDigest, effectiveSchedule, nextDigestAt } from '../scheduler.js';
import type { PaperSearch } from '../search/types.js';
import type { AsyncStore } from '../store/async-store.js';
import type { Channel, ChannelRef, DigestRun, NewDigestRun, Schedule } from '../store/store.js';
import { DigestRunCache } from './candidates.js';
import { claimRun, type Heartbeat } from './lease.js';
import { type DigestSettings, planRun, recordPlanFailure, unplannedRun } from './plan.js';
import {
  attemptRun,
  channelLabel,
  type DigestPoster,
  findPosted,
  type PostDeps,
  type RunOutcome,
  recordFailure,
} from './post.js';

export type Posters = ReadonlyMap<ChannelRef['platform'], DigestPoster>;

/**
 * How long a process's claim on a run lasts unless renewed (before each part it posts, and
 * every third of it while a part is on the wire).
 */
export const DIGEST_LEASE_MS = 2 * 60_000;

export interface DigestDeps {
  store: AsyncStore;
  /** `refresh`: a run is planned only once search has indexed every stored paper. */
  search: Pick<PaperSearch, 'matchTopic' | 'refresh'>;
  settings: DigestSettings;
  clock: Clock;
  logger: Logger;
  posters: Posters;
  defaultSchedule: Schedule;
  /** Reference for a channel with neither a cursor nor a schedule-set time (bot start). */
  startedAt: Date;
  /**
   * This process's id in run claims (one per process): two processes on one store never
   * post the same run, and a dead one's claim lapses after `leaseMs`.
   */
  owner: string;
  /** Default DIGEST_LEASE_MS. */
  leaseMs?: number;
  /** Renews claims while a post is in flight; default a timer (lease/3). */
  heartbeat?: Heartbeat;
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
 * Every run is claimed by this process before it is looked up or posted, and released
 * after; a run another process holds is left to it (`busy`). Returns `null` when there
 * is nothing to do.
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
  const postDeps: PostDeps = {
    ...deps,
    disableAfterDays: deps.settings.disableAfterDays,
    leaseMs: deps.leaseMs ?? DIGEST_LEASE_MS,
  };
  const claimed: string[] = [];
  try {
    return await serveClaimed(channel, open, deps, { poster, postDeps, cache, claimed });
  } finally {
    for (const id of claimed) await deps.store.releaseDigestRun(id, deps.owner);
  }
}

interface ServeContext {
  poster: DigestPoster;
  postDeps: PostDeps;
  cache: DigestRunCache;
  /** Runs this call claimed, released when it ends. */
  claimed: string[];
}

async function serveClaimed(
  channel: Channel,
  seen: DigestRun | undefined,
  deps: DigestDeps,
  { poster, postDeps, cache, claimed }: ServeContext,
): Promise<ChannelOutcome | null> {
  const schedule = effectiveSchedule(channel, deps.defaultSchedule);
  const now = deps.clock.now();
  const plan = async (from: Date, carried?: DigestRun) => {
    const run = await planRun(
      {
        channel,
        schedule,
        from,
        now,
        partSize: deps.partSize ?? 10,
        claim: { owner: deps.owner, leaseMs: postDeps.leaseMs },
        ...(carried ? { carried } : {}),
      },
      deps,
      cache,
      deps.newId,
    );
    if (run && run.state !== 'empty') claimed.push(run.id);
    return run;
  };
  const busy = (runId: string): ChannelOutcome => {
    deps.logger.info(
      { channel: channelLabel(channel.ref), runId },
      'digest run held by another process; skipped this tick',
    );
    return { kind: 'busy', runId };
  };

  // A run waiting out a backoff or a refusal is left alone until its time.
  const waiting = (run: DigestRun) =>
    run.state === 'retrying' && run.nextAttemptAt !== null && new Date(run.nextAttemptAt) > now;
  if (seen) {
    if (waiting(seen)) return { kind: 'waiting', nextAttemptAt: seen.nextAttemptAt ?? '' };
    if (!(await claimRun(seen, postDeps))) return busy(seen.id);
    claimed.push(seen.id);
    // Read again under the claim: another process may have settled it, or failed an attempt
    // and set its backoff, since this tick read it.
    const open = (await deps.store.openDigestRuns(channel.ref)).find((r) => r.id === seen.id);
    if (!open) return null;
    if (waiting(open)) return { kind: 'waiting', nextAttemptAt: open.nextAttemptAt ?? '' };
    const nextDue = nextDigestAt(schedule, new Date(open.to));
    // A run whose plan failed (no parts) is planned again once its backoff is over.
    const unplanned = open.parts.length === 0;
    if (unplanned || (nextDue <= now && open.parts.every((p) => p.messageId === null))) {
      // Before replacing it, make sure no part reached the platform unrecorded. A failed
      // look-up counts as a failed attempt: a refusal is tried again at the next due time.
      if (!unplanned && (open.state === 'posting' || open.attempts > 0)) {
        try {
          if ((await findPosted(open, poster, deps.store)) > 0)
            return attemptRun(open, poster, schedule, postDeps);
        } catch (error) {
          return recordFailure({ ...open, attempts: open.attempts + 1 }, error, schedule, postDeps);
        }
      }
      let next: NewDigestRun | null;
      try {
        next = await plan(new Date(open.from), open);
      } catch (error) {
        return recordPlanFailure(channel, open, error, postDeps);
      }
      if (!next) return busy(open.id);
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
  let run: NewDigestRun | null;
  try {
    run = await plan(due.since);
  } catch (error) {
    return recordPlanFailure(
      channel,
      unplannedRun(channel, schedule, due.since, now, deps.newId),
      error,
      postDeps,
    );
  }
  // Another process planned (or posted) this channel since the tick read it.
  if (!run) return busy('(planned elsewhere)');
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
  for (const run of await deps.store.openDigestRuns()) open.set(channelLabel(run.channel), run);
  const done: Array<{ channel: string; outcome: ChannelOutcome }> = [];
  for (const channel of channels) {
    if (deps.signal?.aborted) break;
    const label = channelLabel(channel.ref);
    try {
      const outcome = await serveChannel(channel, open.get(label), deps, cache);
      if (outcome) done.push({ channel: label, outcome });
    } catch (error) {
      const code = isPaperboyError(error) ? error.code : 'INTERNAL';
      deps.logger.error({ channel: label, code, err: error }, 'digest delivery failed');
    }
  }
  return done;
}

/**
 * A channel-changing command (schedule, subscribe, unsubscribe) clears a refusal at once:
 * the mark goes, a channel paused for refusals resumes, and a waiting run is tried next tick.
 */
export async function clearRefusal(store: AsyncStore, ref: ChannelRef, now: Date): Promise<void> {
  const channel = await store.getChannel(ref);
  if (!channel?.failure) return;
  await store.transaction(async (tx) => {
    await tx.setChannelFailure(ref, null, now);
    if (channel.paused) await tx.setPaused(ref, false);
    for (const run of await tx.openDigestRuns(ref))
      if (run.state === 'retrying')
        await tx.updateDigestRun(run.id, { nextAttemptAt: now.toISOString() });
  });
}
