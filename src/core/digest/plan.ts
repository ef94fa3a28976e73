import { randomUUID } from 'node:crypto';
import { isPaperboyError } from '../errors.js';
import { localDate } from '../scheduler.js';
import type { PaperSearch } from '../search/types.js';
import type { AsyncStore } from '../store/async-store.js';
import type { Channel, DigestRun, NewDigestRun, Schedule } from '../store/store.js';
import { type DigestRunCache, digestWindow, selectChannelDigest } from './candidates.js';
import { carriedNote, emptyPart, planParts } from './message.js';
import { channelLabel, nextAttemptAt, type PostDeps, type RunOutcome } from './post.js';
import type { DigestSelection } from './select.js';

/** The digest settings (config `digest`) the module reads. */
export interface DigestSettings {
  perTopic: number;
  postWhenEmpty: boolean;
  maxAgeDays: number;
  disableAfterDays: number;
}

export interface SelectionDeps {
  store: AsyncStore;
  search: Pick<PaperSearch, 'matchTopic'>;
  settings: DigestSettings;
}

/** What a channel's digest over `(from, to]` holds: the preview and the run share this. */
export async function selectForChannel(
  channel: Pick<Channel, 'ref'>,
  schedule: Schedule,
  from: Date,
  to: Date,
  deps: SelectionDeps,
  cache: DigestRunCache,
): Promise<DigestSelection> {
  return selectChannelDigest({
    store: deps.store,
    search: deps.search,
    cache,
    window: digestWindow(from, to, deps.settings.maxAgeDays),
    topics: (await deps.store.listSubscriptions(channel.ref)).map((s) => s.topic),
    size: schedule.size,
    perTopic: deps.settings.perTopic,
  });
}

/** Planning also makes sure the search index covers the window (`DigestRunCache.searchable`). */
export interface PlanDeps extends SelectionDeps {
  search: Pick<PaperSearch, 'matchTopic' | 'refresh'>;
}

export interface PlanInput {
  channel: Channel;
  schedule: Schedule;
  from: Date;
  now: Date;
  /** The unposted run this one replaces: its papers are carried (its window is inside ours). */
  carried?: DigestRun;
  partSize: number;
  /** The new run is claimed for this owner in the transaction that writes it. */
  claim?: { owner: string; leaseMs: number };
}

/**
 * Writes `write` only when the channel is as the planner read it: its cursor unmoved and no
 * open run besides `carried` (still open). Another process that planned or posted the
 * channel meanwhile wins; returns whether `write` ran. The check and the write share one
 * transaction under the channel's planning lock (SQLite: IMMEDIATE; PostgreSQL: an advisory
 * lock, read committed), so two processes never both pass it.
 */
export async function writeIfUnplanned(
  store: AsyncStore,
  channel: Pick<Channel, 'ref' | 'lastDigestAt'>,
  carried: DigestRun | undefined,
  /** Writes the plan; returns false (having written nothing) to give the channel up. */
  write: (tx: AsyncStore) => Promise<boolean>,
): Promise<boolean> {
  return store.transaction(async (tx) => {
    // Another instance planning this channel now: leave it to that one (no queueing).
    if (!(await tx.tryLockChannel(channel.ref))) return false;
    const open = await tx.openDigestRuns(channel.ref);
    const cursor = (await tx.getChannel(channel.ref))?.lastDigestAt ?? null;
    const others = open.filter((r) => r.id !== carried?.id);
    if (others.length > 0 || cursor !== (channel.lastDigestAt ?? null)) return false;
    if (carried && !open.some((r) => r.id === carried.id)) return false;
    return write(tx);
  });
}

/**
 * Plans a run and writes it with its parts in one transaction (with the supersession of
 * the run it carries). An empty run that posts nothing is `empty` at once and moves the
 * cursor in the same transaction. Returns `null`, writing nothing, when another process
 * planned or posted the channel since it was read (see `writeIfUnplanned`).
 */
export async function planRun(
  input: PlanInput,
  deps: PlanDeps,
  cache: DigestRunCache,
  newId: () => string = randomUUID,
): Promise<NewDigestRun | null> {
  const { channel, schedule, from, now, carried } = input;
  const { store } = deps;
  // Before the window's papers are read: a paper whose write is still in progress (another
  // instance polling) is waited for, and a later one is stamped into the next window.
  await store.closeDigestWindow(now);
  await cache.searchable(deps.search);
  const selection = await selectForChannel(channel, schedule, from, now, deps, cache);
  const date = localDate(schedule.timeZone, now);
  let note: string | null = null;
  // A run whose plan failed (no parts) posted nothing and failed no post: nothing to say.
  if (carried && carried.parts.length > 0) {
    const carriedTo = carried.to;
    const byId = new Map(selection.sections.flatMap((s) => s.items).map((i) => [i.paper.id, i]));
    const count = selection.paperIds.filter(
      (id) => (byId.get(id)?.paper.firstSeenAt ?? '') <= carriedTo,
    ).length;
    const failedDate = /from (\w+day),/.test(carried.note ?? '') ? null : carried.digestDate;
    if (count > 0)
      note = failedDate
        ? carriedNote(count, failedDate)
        : (carried.note ?? '').replace(
            /^includes \d+ papers?/,
            `includes ${count} paper${count === 1 ? '' : 's'}`,
          );
  }
  let plans = planParts(selection, date, input.partSize, note);
  const empty = plans.length === 0;
  if (empty && deps.settings.postWhenEmpty) plans = [emptyPart(date)];
  const run: NewDigestRun = {
    id: newId(),
    channel: channel.ref,
    digestDate: date,
    from: from.toISOString(),
    to: now.toISOString(),
    paperIds: selection.paperIds,
    note,
    state: plans.length === 0 ? 'empty' : 'planned',
    createdAt: now.toISOString(),
    parts: plans.map((plan) => ({
      deliveryId: newId(),
      part: plan.part,
      plan: JSON.stringify(plan),
      messageId: null,
    })),
  };
  const written = await writeIfUnplanned(store, channel, carried, async (tx) => {
    // The carried run is this process's (claimed by the caller) until it is replaced: one
    // that lost it meanwhile to another process (which may be posting it) plans nothing.
    const abandoned =
      !carried ||
      (await tx.updateDigestRun(
        carried.id,
        {
          state: 'abandoned',
          lastError: `carried into run ${run.id}: ${carried.lastError ?? 'not posted'}`,
        },
        input.claim?.owner,
      ));
    if (!abandoned) return false;
    await tx.createDigestRun(run);
    if (run.state === 'empty') await tx.setLastDigestAt(channel.ref, now);
    else if (input.claim)
      await tx.claimDigestRun(run.id, input.claim.owner, now, input.claim.leaseMs);
    return true;
  });
  return written ? run : null;
}

/** The row a run whose plan failed leaves: its window, no papers, no parts (not yet written). */
export function unplannedRun(
  channel: Channel,
  schedule: Schedule,
  from: Date,
  now: Date,
  newId: () => string = randomUUID,
): DigestRun & { unwritten: true } {
  return {
    id: newId(),
    channel: channel.ref,
    digestDate: localDate(schedule.timeZone, now),
    from: from.toISOString(),
    to: now.toISOString(),
    paperIds: [],
    note: null,
    state: 'planned',
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    createdAt: now.toISOString(),
    parts: [],
    unwritten: true,
  };
}

/**
 * Planning threw (a store or search fault): the channel's run becomes `retrying` with
 * backoff, planned again on a later tick; the cursor stays. A run already open keeps its
 * window and parts; otherwise a run without parts holds the window.
 */
export async function recordPlanFailure(
  channel: Channel,
  run: DigestRun & { unwritten?: true },
  error: unknown,
  deps: PostDeps,
): Promise<RunOutcome> {
  const { store, logger } = deps;
  const attempts = run.attempts + 1;
  const code = isPaperboyError(error) ? error.code : 'INTERNAL';
  const reason = `plan failed (${code}): ${(error as Error)?.message ?? String(error)}`;
  const next = nextAttemptAt(deps.clock.now(), attempts, null).toISOString();
  const change = { state: 'retrying', attempts, nextAttemptAt: next, lastError: reason } as const;
  const label = channelLabel(channel.ref);
  logger.error(
    { channel: label, runId: run.id, code, err: error, next },
    'digest plan failed; will retry',
  );
  if (run.unwritten) {
    const { unwritten: _, ...row } = run;
    const written = await writeIfUnplanned(store, channel, undefined, async (tx) => {
      await tx.createDigestRun({ ...row, state: 'planned' });
      return tx.updateDigestRun(row.id, change);
    });
    if (!written) return { kind: 'busy', runId: '(planned elsewhere)' };
  } else if (!(await store.updateDigestRun(run.id, change, deps.owner)))
    return { kind: 'busy', runId: run.id };
  return { kind: 'retrying', reason, nextAttemptAt: next };
}
