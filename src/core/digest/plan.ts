import { randomUUID } from 'node:crypto';
import { localDate } from '../scheduler.js';
import type { PaperSearch } from '../search/types.js';
import type { Channel, DigestRun, NewDigestRun, Schedule, Store } from '../store/store.js';
import { type DigestRunCache, digestWindow, selectChannelDigest } from './candidates.js';
import { carriedNote, emptyPart, planParts } from './message.js';
import type { DigestSelection } from './select.js';

/** The digest settings (config `digest`) the module reads. */
export interface DigestSettings {
  perTopic: number;
  postWhenEmpty: boolean;
  maxAgeDays: number;
  disableAfterDays: number;
}

export interface SelectionDeps {
  store: Store;
  search: Pick<PaperSearch, 'matchTopic'>;
  settings: DigestSettings;
}

/** What a channel's digest over `(from, to]` holds: the preview and the run share this. */
export function selectForChannel(
  channel: Pick<Channel, 'ref'>,
  schedule: Schedule,
  from: Date,
  to: Date,
  deps: SelectionDeps,
  cache: DigestRunCache,
): DigestSelection {
  return selectChannelDigest({
    store: deps.store,
    search: deps.search,
    cache,
    window: digestWindow(from, to, deps.settings.maxAgeDays),
    topics: deps.store.listSubscriptions(channel.ref).map((s) => s.topic),
    size: schedule.size,
    perTopic: deps.settings.perTopic,
  });
}

export interface PlanInput {
  channel: Channel;
  schedule: Schedule;
  from: Date;
  now: Date;
  /** The unposted run this one replaces: its papers are carried (its window is inside ours). */
  carried?: DigestRun;
  partSize: number;
}

/**
 * Plans a run and writes it with its parts in one transaction (with the supersession of
 * the run it carries). An empty run that posts nothing is `empty` at once and moves the
 * cursor in the same transaction.
 */
export function planRun(
  input: PlanInput,
  deps: SelectionDeps,
  cache: DigestRunCache,
  newId: () => string = randomUUID,
): NewDigestRun {
  const { channel, schedule, from, now, carried } = input;
  const { store } = deps;
  const selection = selectForChannel(channel, schedule, from, now, deps, cache);
  const date = localDate(schedule.timeZone, now);
  let note: string | null = null;
  if (carried) {
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
  store.transaction(() => {
    if (carried)
      store.updateDigestRun(carried.id, {
        state: 'abandoned',
        lastError: `carried into run ${run.id}: ${carried.lastError ?? 'not posted'}`,
      });
    store.createDigestRun(run);
    if (run.state === 'empty') store.setLastDigestAt(channel.ref, now);
  });
  return run;
}
