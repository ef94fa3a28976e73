import { randomUUID } from 'node:crypto';
import { defaultSchedule } from '../commands/channel-schedule.js';
import type { Reply } from '../commands/reply.js';
import type { Config } from '../config.js';
import { stepOrRetryNextTick } from '../core/background-step.js';
import type { Clock } from '../core/clock.js';
import type { Heartbeat } from '../core/digest/lease.js';
import { channelLabel } from '../core/digest/post.js';
import {
  type ChannelOutcome,
  type DigestDeps,
  type Posters,
  runDigests,
} from '../core/digest/run.js';
import { pruneExpiredStateStep } from '../core/expiring-state.js';
import { healthChanges, logHealthChanges, sourcesHealth } from '../core/health.js';
import type { Logger } from '../core/logger.js';
import { type Scheduler, sourceDue, startScheduler, type Ticker } from '../core/scheduler.js';
import type { PaperSearch } from '../core/search/types.js';
import { scrubSecretShapes } from '../core/secret-text.js';
import { arxivRssFetcher } from '../core/sources/fetch-arxiv-rss.js';
import { huggingFaceFetcher } from '../core/sources/fetch-huggingface.js';
import { pollSource, type SourceFetcher } from '../core/sources/fetch-source.js';
import {
  type HttpDeps,
  paperboyUserAgent,
  RequestGate,
  type RequestPolicy,
  realSleep,
} from '../core/sources/http.js';
import type { AsyncStore } from '../core/store/async-store.js';
import { type Channel, type ChannelRef, SHELL_CHANNEL } from '../core/store/store.js';

/** What the runtime needs of an adapter: digest posting, plus notices to the admin channel. */
export interface RuntimePoster {
  post(target: ChannelRef, reply: Reply): Promise<{ messageIds: string[] }>;
  findDelivery(target: ChannelRef, deliveryId: string): Promise<string | null>;
}

/** arXiv asks for at least 3 s between requests. */
export const ARXIV_INTERVAL_MS = 3_000;
/** Stop waits this long for in-flight work; what is left stays pending in the ledger. */
const STOP_GRACE_MS = 8_000;

export interface LiveOptions {
  config: Config;
  store: AsyncStore;
  search: PaperSearch;
  /** One poster per platform (an Adapter satisfies it). */
  adapters: ReadonlyMap<ChannelRef['platform'], RuntimePoster>;
  clock: Clock;
  logger: Logger;
  fetch?: typeof fetch;
  /** Waits on the injected clock; tests advance their clock instead of waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  timeoutSignal?: (ms: number) => AbortSignal;
  /** Default: node-cron every minute. */
  ticker?: (onTick: () => void) => Ticker;
  version?: string;
  policy?: RequestPolicy;
  /** The process's one arXiv gate, shared with link lookups (`Bot.arxivGate`); default: a new one. */
  gate?: RequestGate;
  /** Also deliver the terminal channel's digest (npm start -- --live). */
  includeShell?: boolean;
  /** How long `stop` waits for in-flight work (default 8 s, inside the 10 s shutdown budget). */
  stopGraceMs?: number;
  /** This process's id in digest-run claims; default a new random UUID. */
  owner?: string;
  /** Renews a digest run's claim while a post is in flight; default a timer (tests beat by hand). */
  heartbeat?: Heartbeat;
  /**
   * Whether this instance polls the sources now (several instances on one PostgreSQL store
   * take turns by a session lock); default: always (one process on its SQLite store).
   * Expected to answer within seconds (its queries have a deadline); a failure counts as
   * "not this instance", so the tick goes on to the digests.
   */
  pollLock?: () => Promise<boolean>;
  /** Told after each tick, e.g. for tests and the child-process harness. */
  onTickDone?: (summary: TickSummary) => void;
}

export interface TickSummary {
  at: string;
  polled: string[];
  digests: Array<{ channel: string; outcome: ChannelOutcome }>;
}

export interface Live {
  /** Runs one tick now (or joins the running one). */
  tick(): Promise<void>;
  /** Stops taking work, waits (bounded) for in-flight posts, leaves the ledger consistent. */
  stop(): Promise<void>;
}

interface SourceJob {
  name: string;
  pollMinutes: number;
  fetcher: SourceFetcher;
}

function sourceJobs(config: Config, gate: RequestGate, policy?: RequestPolicy): SourceJob[] {
  const jobs: SourceJob[] = [];
  const hf = config.sources.huggingface;
  if (hf.enabled)
    jobs.push({
      name: 'huggingface',
      pollMinutes: hf.pollMinutes,
      fetcher: huggingFaceFetcher(config, policy),
    });
  const arxiv = config.sources.arxiv;
  if (arxiv.enabled && arxiv.categories.length > 0)
    jobs.push({
      name: 'arxiv-rss',
      pollMinutes: arxiv.pollMinutes,
      fetcher: arxivRssFetcher(config, gate, policy),
    });
  return jobs;
}

function parseChannelRef(text: string | null): ChannelRef | null {
  const match = text ? /^(discord|slack|shell):([^:]+):([^:]+)$/.exec(text) : null;
  if (!match) return null;
  return { platform: match[1] as ChannelRef['platform'], workspace: match[2]!, channel: match[3]! };
}

/** Channels that get digests: every scheduled one, and the terminal when it runs live. */
async function digestChannels(
  store: AsyncStore,
  includeShell: boolean,
  config: Config,
  startedAt: Date,
): Promise<Channel[]> {
  const channels = (await store.listChannels()).filter((c) => c.schedule !== null);
  const isShell = (c: Channel) => channelLabel(c.ref) === channelLabel(SHELL_CHANNEL);
  if (includeShell && !channels.some(isShell)) {
    // A terminal never set up gets the default schedule; one whose schedule was turned off keeps it off.
    if (!(await store.getChannel(SHELL_CHANNEL)))
      channels.push(await store.setSchedule(SHELL_CHANNEL, defaultSchedule(config), startedAt));
  }
  return channels;
}

/**
 * The live bot's background work: polls the sources on their intervals, watches their
 * health, and hands the channels to the digest module (which posts what is due, exactly
 * once, and settles runs left open by a crash). Decisions come from the pure scheduler
 * functions; node-cron (or the injected ticker) only ticks.
 */
export function startLive(options: LiveOptions): Live {
  const { config, store, search, clock, logger } = options;
  const controller = new AbortController();
  const sleep = options.sleep ?? realSleep;
  const http: HttpDeps = {
    fetch: options.fetch ?? globalThis.fetch,
    clock,
    sleep,
    random: options.random ?? Math.random,
    timeoutSignal: options.timeoutSignal ?? ((ms) => AbortSignal.timeout(ms)),
    userAgent: paperboyUserAgent(options.version ?? '0.1.0'),
  };
  const gate = options.gate ?? new RequestGate(ARXIV_INTERVAL_MS, clock, sleep);
  const jobs = sourceJobs(config, gate, options.policy);
  const startedAt = clock.now();
  const adminChannel = parseChannelRef(config.health.adminChannel);
  const digestDeps: DigestDeps = {
    store,
    search,
    settings: config.digest,
    clock,
    logger,
    posters: options.adapters as Posters,
    defaultSchedule: defaultSchedule(config),
    startedAt,
    // One id per process: another process (or the next one in a rolling restart) on the
    // same store sees this one's claims and leaves its runs alone until their lease ends.
    owner: options.owner ?? randomUUID(),
    ...(options.heartbeat ? { heartbeat: options.heartbeat } : {}),
    signal: controller.signal,
    onPaused: (ref, reason) =>
      notifyAdmin({
        kind: 'notice',
        title: 'Paperboy digest paused',
        lines: [
          `${channelLabel(ref)} refused the digest for ${config.digest.disableAfterDays} days (${reason}); its digest is paused.`,
          'Fix the channel, then run /papers schedule there to resume.',
        ],
      }),
  };

  async function notifyAdmin(reply: Reply): Promise<void> {
    const poster = adminChannel ? options.adapters.get(adminChannel.platform) : undefined;
    if (!adminChannel || !poster) return;
    try {
      await poster.post(adminChannel, reply);
    } catch (error) {
      logger.warn(
        { channel: channelLabel(adminChannel), err: error },
        'could not post to the admin channel',
      );
    }
  }

  /**
   * Whether this instance may poll now. A store fault is not "another instance holds it": it
   * is logged as a fault (STORE_FAILED), and this tick polls nothing, since polling without
   * knowing could fetch the same sources twice; the digests still go out, and the sources'
   * health notices report them stale if the fault lasts.
   */
  async function askPollLock(pollLock: () => Promise<boolean>): Promise<boolean> {
    try {
      return await pollLock();
    } catch (error) {
      logger.warn({ code: 'STORE_FAILED', err: error }, 'could not ask for the polling lock');
      return false;
    }
  }

  async function poll(now: Date): Promise<string[]> {
    const polled: string[] = [];
    const mine = options.pollLock ? await askPollLock(options.pollLock) : true;
    for (const job of mine ? jobs : []) {
      if (controller.signal.aborted) break;
      const last = (await store.recentSourceRuns(job.name, 1))[0];
      if (!sourceDue(last?.startedAt ?? null, job.pollMinutes, now)) continue;
      // Asked again before each further source: a lock lost mid-tick (a missed deadline, a
      // dropped session) may already be another instance's, which would poll it too.
      if (polled.length > 0 && options.pollLock && !(await askPollLock(options.pollLock))) break;
      await pollSource(job.name, job.fetcher, {
        http,
        store,
        clock,
        logger,
        signal: controller.signal,
      });
      polled.push(job.name);
    }
    // Every tick, not only after our own poll: another process (npm run ingest) may have
    // written papers, and search catches up here, never on the request path. Cheap when idle.
    await stepOrRetryNextTick(logger, 'search refresh', () => search.refresh());
    return polled;
  }

  async function reportHealth(): Promise<void> {
    const changes = await healthChanges(
      store,
      await sourcesHealth(store, config, clock.now()),
      clock.now(),
    );
    logHealthChanges(logger, changes);
    if (changes.length === 0) return;
    const lines = changes.map((c) =>
      scrubSecretShapes(c.warning ? `${c.source}: ${c.warning}` : `${c.source}: recovered`),
    );
    await notifyAdmin({ kind: 'notice', title: 'Paperboy source health', lines });
  }

  async function onTick(now: Date): Promise<void> {
    const summary: TickSummary = { at: now.toISOString(), polled: [], digests: [] };
    summary.polled = await poll(now);
    await pruneExpiredStateStep(store, now, logger);
    await reportHealth();
    const channels = await digestChannels(
      store,
      (options.includeShell ?? false) && options.adapters.has('shell'),
      config,
      startedAt,
    );
    summary.digests = await runDigests(channels, digestDeps);
    options.onTickDone?.(summary);
  }

  const scheduler: Scheduler = startScheduler({
    clock,
    logger,
    onTick,
    ...(options.ticker ? { ticker: options.ticker } : {}),
  });
  // Catch-up and reconciliation of open runs happen at start, not a minute later.
  void scheduler.tick();

  return {
    tick: () => scheduler.tick(),
    async stop() {
      controller.abort();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), options.stopGraceMs ?? STOP_GRACE_MS);
        timer.unref?.();
      });
      const result = await Promise.race([scheduler.stop().then(() => 'done' as const), grace]);
      clearTimeout(timer);
      if (result === 'timeout')
        logger.warn(
          'stopped with a post in flight; its digest run stays open and is reconciled on the next start',
        );
    },
  };
}
