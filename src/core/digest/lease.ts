import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { AsyncStore } from '../store/async-store.js';
import type { DigestRun } from '../store/store.js';

/**
 * How long a post may stay on the wire with its lease renewed. A request that has not
 * settled by then is left to lapse: another instance takes the run over once the lease
 * runs out (and may post what this one still has in flight), rather than the channel
 * waiting forever on one stuck connection. Well above the platform clients' own limits
 * (discord.js and Slack time requests out and wait out rate limits within minutes).
 */
export const DIGEST_POST_DEADLINE_MS = 15 * 60_000;

/**
 * Calls `beat` every `everyMs` until the returned function is called. Default: a timer;
 * tests pass their own to beat when they choose.
 */
export type Heartbeat = (beat: () => Promise<void>, everyMs: number) => () => void;

export const timerHeartbeat: Heartbeat = (beat, everyMs) => {
  const timer = setInterval(() => void beat(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
};

/** What holding a run under a lease needs. */
export interface LeaseDeps {
  store: AsyncStore;
  clock: Clock;
  logger: Logger;
  /** This process's id in run claims, and how long a claim lasts unless renewed. */
  owner: string;
  leaseMs: number;
  /** Renews the claim while a post is in flight; default `timerHeartbeat`. */
  heartbeat?: Heartbeat;
}

/** Takes this process's claim on the run; false when another process holds it. */
export async function claimRun(run: Pick<DigestRun, 'id'>, deps: LeaseDeps): Promise<boolean> {
  return await deps.store.claimDigestRun(run.id, deps.owner, deps.clock.now(), deps.leaseMs);
}

/**
 * Renews this process's own claim (never takes a run nobody holds): false when the run was
 * taken over, settled by another process, or (with `part`) that part was posted meanwhile.
 */
export async function renewRun(
  run: Pick<DigestRun, 'id'>,
  deps: LeaseDeps,
  part?: string,
): Promise<boolean> {
  const { store, owner, clock, leaseMs } = deps;
  return await store.renewDigestRun(run.id, owner, clock.now(), leaseMs, part);
}

/**
 * Runs `post` (a platform call, which no store can call back once sent) while renewing the
 * claim every third of the lease, so a slow request (a rate-limit wait, a stalled network)
 * never outlives the lease while this process is alive: another instance would take the run
 * over, find nothing on the platform yet and post it again. Renewal stops after
 * DIGEST_POST_DEADLINE_MS; a renewal that fails is logged (the next part's renewal decides).
 */
export async function keepClaimWhile<T>(
  run: Pick<DigestRun, 'id'>,
  deps: LeaseDeps,
  post: () => Promise<T>,
): Promise<T> {
  const everyMs = Math.max(1, Math.floor(deps.leaseMs / 3));
  let beatsLeft = Math.ceil(DIGEST_POST_DEADLINE_MS / everyMs);
  let done = false;
  const beat = async () => {
    if (done || beatsLeft <= 0) return;
    beatsLeft--;
    try {
      if (!(await renewRun(run, deps)))
        deps.logger.warn({ runId: run.id }, 'digest run lost while a post was in flight');
    } catch (error) {
      deps.logger.warn({ runId: run.id, err: error }, 'renewing a digest run claim failed');
    }
    if (beatsLeft === 0) {
      stop();
      deps.logger.warn(
        { runId: run.id, deadlineMs: DIGEST_POST_DEADLINE_MS },
        'digest post still in flight; its claim is left to lapse',
      );
    }
  };
  const stop: () => void = (deps.heartbeat ?? timerHeartbeat)(beat, everyMs);
  try {
    return await post();
  } finally {
    done = true;
    stop();
  }
}
