import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import { type DigestSelection, selectDigest } from '../core/digest.js';
import { isPaperboyError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Paper } from '../core/paper.js';
import type { DueDigest } from '../core/scheduler.js';
import type { PaperSearch, TopicMatch } from '../core/search/types.js';
import type { Channel, ChannelRef, Delivery, Store } from '../core/store/store.js';
import type { DigestReply, DigestSection, Reply } from './reply.js';

/** What delivery needs of an adapter (structurally the Adapter contract's `post` + `findDelivery`). */
export interface DigestPoster {
  post(target: ChannelRef, reply: Reply): Promise<{ messageIds: string[] }>;
  findDelivery(target: ChannelRef, deliveryId: string): Promise<string | null>;
}

export type Posters = ReadonlyMap<ChannelRef['platform'], DigestPoster>;

export interface DeliveryDeps {
  store: Store;
  search: Pick<PaperSearch, 'matchTopic'>;
  config: Pick<Config, 'digest'>;
  clock: Clock;
  logger: Logger;
  posters: Posters;
  /** Waits between post retries; injected so tests never wait. */
  sleep: (ms: number) => Promise<void>;
  /** Papers per message part (Discord: 10 embeds a message). */
  partSize?: number;
  /** Set when Paperboy is stopping: no new post starts. */
  signal?: AbortSignal;
}

/** Post attempts per ledger row across runs before it is marked failed. */
const MAX_ATTEMPTS = 5;
/** Retries within one run for a POST_FAILED. */
const RUN_RETRIES = 3;
const EMPTY_TEXT = 'Nothing new today.';

/** Stored next to the ledger row so a pending part can be re-posted exactly as planned. */
interface PartPlan {
  title: string;
  date: string;
  part: number;
  sections: Array<{ topic: string | null; items: Array<{ id: string; why: string }> }>;
  emptyText?: string;
}

const planKey = (deliveryId: string) => `delivery-plan:${deliveryId}`;
const attemptsKey = (deliveryId: string) => `delivery-attempts:${deliveryId}`;

export function channelLabel(ref: ChannelRef): string {
  return `${ref.platform}:${ref.workspace}:${ref.channel}`;
}

/** Splits a selection into message parts of at most `partSize` papers; sections continue across parts. */
export function planParts(
  selection: DigestSelection,
  digestDate: string,
  partSize: number,
): PartPlan[] {
  const parts: PartPlan[] = [];
  let current: PartPlan['sections'] = [];
  let count = 0;
  const flush = () => {
    if (count === 0) return;
    parts.push({ title: '', date: digestDate, part: parts.length + 1, sections: current });
    current = [];
    count = 0;
  };
  for (const section of selection.sections) {
    let open: PartPlan['sections'][number] | null = null;
    for (const pick of section.items) {
      if (count >= partSize) {
        flush();
        open = null;
      }
      if (!open) {
        open = { topic: section.topic, items: [] };
        current.push(open);
      }
      open.items.push({ id: pick.paper.id, why: pick.why });
      count++;
    }
  }
  flush();
  const total = parts.length;
  for (const p of parts)
    p.title =
      total > 1 ? `Paper digest ${digestDate} (${p.part}/${total})` : `Paper digest ${digestDate}`;
  return parts;
}

function toReply(plan: PartPlan, deliveryId: string, papers: Map<string, Paper>): DigestReply {
  const sections: DigestSection[] = plan.sections.map((s) => ({
    topic: s.topic,
    items: s.items.flatMap((item) => {
      const paper = papers.get(item.id);
      return paper ? [{ paper, why: item.why }] : [];
    }),
  }));
  return {
    kind: 'digest',
    date: plan.date,
    title: plan.title,
    sections,
    deliveryId,
    part: plan.part,
    ...(plan.emptyText ? { emptyText: plan.emptyText } : {}),
  };
}

/** Candidates of one digest window, with an id lookup. */
interface CandidateSet {
  list: Paper[];
  byId: Map<string, Paper>;
}

/**
 * Per-run memo: many channels share the same window and topics (1,000 channels, one batch).
 * Each topic is matched once over the whole window; a channel then only looks at the
 * papers its own topics matched.
 */
export class DigestRunCache {
  private readonly candidates = new Map<string, CandidateSet>();
  private readonly matches = new Map<string, TopicMatch[]>();

  papersSince(store: Store, since: Date): CandidateSet {
    const key = since.toISOString();
    let set = this.candidates.get(key);
    if (!set) {
      const list = store.papersSeenSince(since, { includeSample: false });
      set = { list, byId: new Map(list.map((p) => [p.id, p])) };
      this.candidates.set(key, set);
    }
    return set;
  }

  /** The topic's matches over the whole window; a match's score depends only on its paper. */
  topicMatches(
    search: DeliveryDeps['search'],
    since: Date,
    topic: string,
    window: CandidateSet,
  ): TopicMatch[] {
    const key = `${since.toISOString()}\u0000${topic}`;
    let found = this.matches.get(key);
    if (!found) {
      found = search.matchTopic(
        topic,
        window.list.map((p) => p.id),
      );
      this.matches.set(key, found);
    }
    return found;
  }
}

/** Narrows the window to the papers the channel's topics match (all of it without topics). */
function channelCandidates(
  deps: DeliveryDeps,
  cache: DigestRunCache,
  since: Date,
  window: CandidateSet,
  topics: string[],
): { papers: Paper[]; matchTopic: (topic: string, ids: string[]) => TopicMatch[] } {
  if (topics.length === 0) return { papers: window.list, matchTopic: () => [] };
  const matched = new Set<string>();
  for (const topic of topics)
    for (const m of cache.topicMatches(deps.search, since, topic, window)) matched.add(m.paperId);
  const papers: Paper[] = [];
  for (const id of matched) {
    const paper = window.byId.get(id);
    if (paper) papers.push(paper);
  }
  // selectDigest asks once per topic with the same id list: build its set once.
  let lastIds: string[] | null = null;
  let wanted = new Set<string>();
  return {
    papers,
    matchTopic: (topic, ids) => {
      if (ids !== lastIds) {
        lastIds = ids;
        wanted = new Set(ids);
      }
      const out: TopicMatch[] = [];
      for (const m of cache.topicMatches(deps.search, since, topic, window))
        if (wanted.has(m.paperId)) out.push(m);
      return out;
    },
  };
}

export type ChannelOutcome =
  | { kind: 'posted'; parts: number; papers: number }
  | { kind: 'quiet' }
  | { kind: 'already-delivered' }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'retry-later'; reason: string }
  | { kind: 'no-poster' };

/**
 * Delivers one channel's due digest exactly once: ledger rows (with the plan) are written
 * before anything is posted, each completed with the platform message id after.
 */
export async function deliverDigest(
  channel: Channel,
  due: DueDigest,
  deps: DeliveryDeps,
  cache = new DigestRunCache(),
): Promise<ChannelOutcome> {
  const { store, clock } = deps;
  const ref = channel.ref;
  const poster = deps.posters.get(ref.platform);
  if (!poster) return { kind: 'no-poster' };

  const existing = store.listDeliveries(ref, due.digestDate);
  // Rows written in this run cannot have been posted yet: no need to look for them first.
  const fresh = new Set<string>();
  if (existing.length === 0) {
    const window = cache.papersSince(store, due.since);
    const topics = store.listSubscriptions(ref).map((s) => s.topic);
    const narrowed = channelCandidates(deps, cache, due.since, window, topics);
    const selection = selectDigest({
      papers: narrowed.papers,
      topics,
      alreadyDelivered: store.deliveredPaperIds(ref),
      size: due.schedule.size,
      perTopic: deps.config.digest.perTopic,
      matchTopic: narrowed.matchTopic,
    });
    let plans = planParts(selection, due.digestDate, deps.partSize ?? 10);
    if (plans.length === 0) {
      if (!deps.config.digest.postWhenEmpty) {
        store.setLastDigestAt(ref, clock.now());
        return { kind: 'quiet' };
      }
      const title = `Paper digest ${due.digestDate}`;
      plans = [{ title, date: due.digestDate, part: 1, sections: [], emptyText: EMPTY_TEXT }];
    }
    for (const plan of plans) {
      const paperIds = plan.sections.flatMap((s) => s.items.map((i) => i.id));
      const row = store.createDelivery({
        channel: ref,
        digestDate: due.digestDate,
        part: plan.part,
        paperIds,
        createdAt: clock.now().toISOString(),
      });
      store.putState(planKey(row.id), JSON.stringify(plan), clock.now());
      fresh.add(row.id);
    }
  }

  const rows = store.listDeliveries(ref, due.digestDate).sort((a, b) => a.part - b.part);
  const outcome = await postPending(rows, poster, deps, fresh);
  // Every part failed for good earlier: this digest is over; do not reconsider it each tick.
  if (outcome.kind === 'already-delivered') store.setLastDigestAt(ref, clock.now());
  if (outcome.kind !== 'posted') return outcome;
  store.setLastDigestAt(ref, clock.now());
  return {
    kind: 'posted',
    parts: rows.length,
    papers: rows.reduce((n, r) => n + r.paperIds.length, 0),
  };
}

/** Posts (or, after a crash, finds) every pending row of one channel, in part order. */
async function postPending(
  rows: Delivery[],
  poster: DigestPoster,
  deps: DeliveryDeps,
  fresh: ReadonlySet<string> = new Set(),
): Promise<ChannelOutcome> {
  const pending = rows.filter((r) => r.state === 'pending');
  if (pending.length === 0) {
    return rows.some((r) => r.state === 'sent')
      ? { kind: 'posted', parts: 0, papers: 0 }
      : { kind: 'already-delivered' };
  }
  for (const row of pending) {
    const result = await settleRow(row, poster, deps, fresh.has(row.id));
    if (result.kind !== 'posted') return result;
  }
  return { kind: 'posted', parts: pending.length, papers: 0 };
}

async function settleRow(
  row: Delivery,
  poster: DigestPoster,
  deps: DeliveryDeps,
  fresh: boolean,
): Promise<ChannelOutcome> {
  const { store, clock, logger } = deps;
  const label = channelLabel(row.channel);
  for (let attempt = 1; ; attempt++) {
    if (deps.signal?.aborted) return { kind: 'retry-later', reason: 'stopping' };
    try {
      // Reconciliation first: a crash (or a post that failed after reaching the platform)
      // may have come between posting and completing.
      const found = fresh && attempt === 1 ? null : await poster.findDelivery(row.channel, row.id);
      if (found) {
        store.completeDelivery(row.id, found);
        logger.info({ channel: label, deliveryId: row.id }, 'digest part found already posted');
        return { kind: 'posted', parts: 1, papers: row.paperIds.length };
      }
      if (deps.signal?.aborted) return { kind: 'retry-later', reason: 'stopping' };
      const reply = rebuildReply(row, store);
      const posted = await poster.post(row.channel, reply);
      store.completeDelivery(row.id, posted.messageIds[0] ?? '');
      return { kind: 'posted', parts: 1, papers: row.paperIds.length };
    } catch (error) {
      if (isPaperboyError(error, 'CHANNEL_UNAVAILABLE')) {
        markUnavailable(row.channel, error.message, deps);
        return { kind: 'unavailable', reason: error.message };
      }
      const reason = isPaperboyError(error)
        ? error.message
        : `unexpected: ${(error as Error)?.message}`;
      const total = Number(store.getState(attemptsKey(row.id)) ?? '0') + 1;
      store.putState(attemptsKey(row.id), String(total), clock.now());
      logger.warn(
        { channel: label, deliveryId: row.id, attempt: total, err: error },
        'digest post failed',
      );
      if (total >= MAX_ATTEMPTS) {
        store.failDelivery(row.id, reason);
        return { kind: 'retry-later', reason: `gave up after ${total} attempts: ${reason}` };
      }
      if (attempt >= RUN_RETRIES) return { kind: 'retry-later', reason };
      await deps.sleep(1_000 * 2 ** attempt);
    }
  }
}

function rebuildReply(row: Delivery, store: Store): DigestReply {
  const raw = store.getState(planKey(row.id));
  const plan: PartPlan = raw
    ? (JSON.parse(raw) as PartPlan)
    : // No plan (written by an older run): list the ledger's papers without topics.
      {
        title: `Paper digest ${row.digestDate}`,
        date: row.digestDate,
        part: row.part,
        sections: [{ topic: null, items: row.paperIds.map((id) => ({ id, why: '' })) }],
      };
  const papers = new Map(store.getPapers(row.paperIds).map((p) => [p.id, p]));
  return toReply(plan, row.id, papers);
}

/** The channel refuses for good: remember why, stop its pending parts, never retry forever. */
function markUnavailable(ref: ChannelRef, reason: string, deps: DeliveryDeps): void {
  const now = deps.clock.now();
  deps.store.setChannelFailure(ref, reason, now);
  for (const row of deps.store.listDeliveries(ref)) {
    if (row.state === 'pending') deps.store.failDelivery(row.id, reason);
  }
  deps.logger.warn(
    { channel: channelLabel(ref), reason },
    'channel unavailable; digests skipped until fixed',
  );
}

/**
 * On start (and each tick): every pending ledger row left by a crash or a failed post is
 * either found on the platform and completed, or posted. Channels are independent.
 */
export async function reconcilePending(deps: DeliveryDeps): Promise<number> {
  const byChannel = new Map<string, Delivery[]>();
  for (const row of deps.store.pendingDeliveries()) {
    const key = channelLabel(row.channel);
    byChannel.set(key, [...(byChannel.get(key) ?? []), row]);
  }
  let settled = 0;
  for (const rows of byChannel.values()) {
    const first = rows[0];
    if (!first || deps.signal?.aborted) continue;
    const poster = deps.posters.get(first.channel.platform);
    if (!poster) continue;
    try {
      const result = await postPending(
        rows.sort((a, b) => a.part - b.part),
        poster,
        deps,
      );
      if (result.kind === 'posted') settled += rows.length;
    } catch (error) {
      deps.logger.error(
        { channel: channelLabel(first.channel), err: error },
        'reconciliation failed',
      );
    }
  }
  return settled;
}
