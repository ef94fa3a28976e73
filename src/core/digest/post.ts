import { isPaperboyError } from '../errors.js';
import type { Paper } from '../paper.js';
import { nextDigestAt } from '../scheduler.js';
import type { AsyncStore } from '../store/async-store.js';
import type { ChannelRef, DigestRun, Schedule } from '../store/store.js';
import { keepClaimWhile, type LeaseDeps, renewRun } from './lease.js';
import { type DigestMessage, type PartPlan, planPaperIds, toMessage } from './message.js';

const MINUTE = 60_000;
const DAY_MS = 24 * 60 * MINUTE;

/** Waits after the 1st, 2nd, … failed attempt; hourly after the last. */
const BACKOFF_MINUTES = [1, 2, 5, 10, 30, 60];

export type PostFailure =
  /** The channel refuses the bot (gone, archived, no permission): retried at its next due time. */
  | { kind: 'refused'; reason: string }
  /** The platform will never accept the message (too long, invalid): the run ends. */
  | { kind: 'rejected'; reason: string }
  /** 5xx, 429, network, timeout: retried with backoff. */
  | { kind: 'transient'; reason: string; retryAfterMs: number | null };

/** What a poster's error means for the run. Adapters throw CHANNEL_UNAVAILABLE for refusals. */
export function classifyFailure(error: unknown): PostFailure {
  if (isPaperboyError(error, 'CHANNEL_UNAVAILABLE'))
    return { kind: 'refused', reason: error.message };
  if (isPaperboyError(error, 'POST_REJECTED')) return { kind: 'rejected', reason: error.message };
  const reason = isPaperboyError(error)
    ? error.message
    : `unexpected: ${(error as Error)?.message ?? String(error)}`;
  return { kind: 'transient', reason, retryAfterMs: retryAfterOf(error) };
}

/** A Retry-After the platform asked for, when the error (or its cause) carries one. */
function retryAfterOf(error: unknown): number | null {
  for (let e: unknown = error, depth = 0; e && depth < 3; depth++) {
    const value = (e as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/** When attempt number `attempts` (1-based, just failed) is followed by the next one. */
export function nextAttemptAt(now: Date, attempts: number, retryAfterMs: number | null): Date {
  const index = Math.min(Math.max(attempts, 1), BACKOFF_MINUTES.length) - 1;
  const backoff = (BACKOFF_MINUTES[index] ?? 60) * MINUTE;
  return new Date(now.getTime() + Math.max(backoff, retryAfterMs ?? 0));
}

/** What the digest needs of a platform (an Adapter's `post` + `findDelivery`). */
export interface DigestPoster {
  post(target: ChannelRef, message: DigestMessage): Promise<{ messageIds: string[] }>;
  /** The platform message id of a part already posted (found by its delivery id), or `null`. */
  findDelivery(target: ChannelRef, deliveryId: string): Promise<string | null>;
}

export type RunOutcome =
  | { kind: 'posted'; parts: number; papers: number }
  | { kind: 'empty' }
  | { kind: 'retrying'; reason: string; nextAttemptAt: string }
  | { kind: 'refused'; reason: string; nextAttemptAt: string }
  | { kind: 'paused'; reason: string; skipped: number }
  /** The platform rejected a part for good: the run ends, its unposted papers listed as skipped. */
  | { kind: 'rejected'; reason: string; skipped: number }
  /** Another process holds the run (its claim's lease is live): it is left to that one. */
  | { kind: 'busy'; runId: string }
  | { kind: 'stopped' };

export interface PostDeps extends LeaseDeps {
  disableAfterDays: number;
  signal?: AbortSignal;
  /** Told once when a channel refused for `disableAfterDays` and is paused (admin notice). */
  onPaused?: (ref: ChannelRef, reason: string) => Promise<void>;
}

export function channelLabel(ref: ChannelRef): string {
  return `${ref.platform}:${ref.workspace}:${ref.channel}`;
}

/** Completes the parts the platform already shows (after a crash or a lost answer). */
export async function findPosted(
  run: DigestRun,
  poster: DigestPoster,
  store: AsyncStore,
): Promise<number> {
  let found = 0;
  for (const part of run.parts) {
    if (part.messageId !== null) continue;
    const messageId = await poster.findDelivery(run.channel, part.deliveryId);
    if (messageId === null) continue;
    await store.completeDigestPart(part.deliveryId, messageId);
    part.messageId = messageId;
    found++;
  }
  return found;
}

/**
 * This process no longer holds the run (another took it over after its lease ran out, or
 * settled it): it writes nothing more to it and leaves it to the holder.
 */
function lostRun(run: DigestRun, deps: PostDeps): RunOutcome {
  deps.logger.warn(
    { channel: channelLabel(run.channel), runId: run.id },
    'digest run taken over or settled by another process; this one stops posting it',
  );
  return { kind: 'busy', runId: run.id };
}

/**
 * One attempt at posting a run's remaining parts, in order, under this process's claim
 * (taken by the caller, renewed before each part and while a part is on the wire). A run
 * that may have reached the platform before (it was posting, or an attempt failed) looks for
 * its parts first. Every write is made only while this process still holds the run, and an
 * ended run is never reopened: a process that lost the run stops (`busy`).
 * Posted: the run is `posted` and the cursor moves to its window end, with the refusal
 * mark cleared, in one transaction.
 */
export async function attemptRun(
  run: DigestRun,
  poster: DigestPoster,
  schedule: Schedule,
  deps: PostDeps,
): Promise<RunOutcome> {
  const { store } = deps;
  const mayBePosted = run.state === 'posting' || run.attempts > 0;
  const attempts = run.attempts + 1;
  if (!(await store.updateDigestRun(run.id, { state: 'posting', attempts }, deps.owner)))
    return lostRun(run, deps);
  try {
    if (mayBePosted) await findPosted(run, poster, store);
    for (const part of run.parts) {
      if (part.messageId !== null) continue;
      if (deps.signal?.aborted) return { kind: 'stopped' };
      // A process that stalled past its lease lost the run to another: it stops here, also
      // when the other has posted and released it since (the renewal never takes a free run).
      if (!(await renewRun(run, deps, part.deliveryId))) return lostRun(run, deps);
      const plan = JSON.parse(part.plan) as PartPlan;
      const papers = new Map<string, Paper>(
        (await store.getPapers(planPaperIds(plan))).map((p) => [p.id, p]),
      );
      const message = toMessage(plan, part.deliveryId, papers);
      const posted = await keepClaimWhile(run, deps, () => poster.post(run.channel, message));
      // Completed at once, nothing else awaited in between: the terminal cannot find a printed
      // digest again, so this is all that stands between a crash and a second print.
      await store.completeDigestPart(part.deliveryId, posted.messageIds[0] ?? '');
      part.messageId = posted.messageIds[0] ?? '';
    }
  } catch (error) {
    return recordFailure({ ...run, attempts }, error, schedule, deps);
  }
  const settled = await store.transaction(async (tx) => {
    const change = { state: 'posted', nextAttemptAt: null, lastError: null } as const;
    if (!(await tx.updateDigestRun(run.id, change, deps.owner))) return false;
    await tx.setLastDigestAt(run.channel, new Date(run.to));
    if ((await tx.getChannel(run.channel))?.failure)
      await tx.setChannelFailure(run.channel, null, deps.clock.now());
    return true;
  });
  if (!settled) return lostRun(run, deps);
  return { kind: 'posted', parts: run.parts.length, papers: run.paperIds.length };
}

/**
 * Records a failed attempt (a post or a look-up) of `run`, whose `attempts` count it:
 * transient → retried with backoff; refused → the channel is marked and tried at its next
 * due time, or paused (the run's papers listed as skipped) once it refused for days.
 * Nothing is recorded when this process no longer holds the run (a late failure of a
 * request it sent before another process took the run over and posted it): `busy`.
 */
export async function recordFailure(
  run: DigestRun,
  error: unknown,
  schedule: Schedule,
  deps: PostDeps,
): Promise<RunOutcome> {
  const { store, logger, owner } = deps;
  const now = deps.clock.now();
  const failure = classifyFailure(error);
  const label = channelLabel(run.channel);
  const retrying = (next: string) =>
    ({
      state: 'retrying',
      attempts: run.attempts,
      nextAttemptAt: next,
      lastError: failure.reason,
    }) as const;
  if (failure.kind === 'transient') {
    const next = nextAttemptAt(now, run.attempts, failure.retryAfterMs).toISOString();
    if (!(await store.updateDigestRun(run.id, retrying(next), owner))) return lostRun(run, deps);
    logger.warn(
      { channel: label, runId: run.id, attempt: run.attempts, err: error, next },
      'digest post failed; will retry',
    );
    return { kind: 'retrying', reason: failure.reason, nextAttemptAt: next };
  }
  if (failure.kind === 'rejected') return endRejected(run, failure.reason, deps);
  const next = nextDigestAt(schedule, now).toISOString();
  // One transaction that starts with the fenced write: the channel is marked (or paused) only
  // by the process that still holds the run, never for a digest another process posted.
  const result = await store.transaction(async (tx) => {
    if (!(await tx.updateDigestRun(run.id, retrying(next), owner))) return { lost: true } as const;
    await tx.setChannelFailure(run.channel, failure.reason, now);
    const since = (await tx.getChannel(run.channel))?.failure?.at ?? now.toISOString();
    if (now.getTime() - new Date(since).getTime() < deps.disableAfterDays * DAY_MS)
      return { paused: false, since } as const;
    // Refused for days: stop trying, say so once, and list what this run skipped.
    await tx.updateDigestRun(run.id, {
      state: 'abandoned',
      nextAttemptAt: null,
      lastError: `skipped: the channel refused since ${since}: ${failure.reason}`,
    });
    await tx.setLastDigestAt(run.channel, new Date(run.to));
    await tx.setPaused(run.channel, true);
    return { paused: true, since } as const;
  });
  if ('lost' in result) return lostRun(run, deps);
  if (result.paused) {
    logger.warn(
      { channel: label, reason: failure.reason, since: result.since },
      'channel refused for days; its digest is paused',
    );
    await deps.onPaused?.(run.channel, failure.reason);
    return { kind: 'paused', reason: failure.reason, skipped: run.paperIds.length };
  }
  logger.warn(
    { channel: label, reason: failure.reason, next },
    'channel refused the digest; trying again at its next due time',
  );
  return { kind: 'refused', reason: failure.reason, nextAttemptAt: next };
}

/**
 * A part the platform will never accept (too long, invalid blocks): retrying it cannot help,
 * so the run ends `abandoned` with the reason, the cursor moves past it (a later run must not
 * offer its papers twice, some may be posted), and the channel shows the reason in
 * /papers subscriptions and status until a digest posts again.
 */
async function endRejected(run: DigestRun, reason: string, deps: PostDeps): Promise<RunOutcome> {
  const { store } = deps;
  const posted = new Set(
    run.parts
      .filter((p) => p.messageId !== null)
      .flatMap((p) => planPaperIds(JSON.parse(p.plan) as PartPlan)),
  );
  const skipped = run.paperIds.filter((id) => !posted.has(id)).length;
  const ended = await store.transaction(async (tx) => {
    const change = {
      state: 'abandoned',
      attempts: run.attempts,
      nextAttemptAt: null,
      lastError: `skipped: the platform rejected the digest: ${reason}`,
    } as const;
    if (!(await tx.updateDigestRun(run.id, change, deps.owner))) return false;
    await tx.setLastDigestAt(run.channel, new Date(run.to));
    await tx.setChannelFailure(
      run.channel,
      `the digest of ${run.digestDate} was rejected: ${reason}`,
      deps.clock.now(),
    );
    return true;
  });
  if (!ended) return lostRun(run, deps);
  deps.logger.error(
    { channel: channelLabel(run.channel), runId: run.id, code: 'POST_REJECTED', reason },
    'the platform rejected the digest for good; the run ends',
  );
  return { kind: 'rejected', reason, skipped };
}
