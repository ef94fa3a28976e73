import { randomUUID } from 'node:crypto';
import { type Bot, createBot } from '../../../src/app.js';
import { runCommand } from '../../../src/commands/dispatch.js';
import { type Config, loadConfig } from '../../../src/config.js';
import { manualClock } from '../../../src/core/clock.js';

type ManualClock = ReturnType<typeof manualClock>;

import type { DigestMessage } from '../../../src/core/digest/message.js';
import type { DigestPoster } from '../../../src/core/digest/post.js';
import { type DigestDeps, runDigests } from '../../../src/core/digest/run.js';
import { PaperboyError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { PaperRecord } from '../../../src/core/paper.js';
import type { AsyncStore } from '../../../src/core/store/async-store.js';
import type { ChannelRef } from '../../../src/core/store/store.js';
import { ROOT } from '../../live/harness.js';

/** Thrown by a crash point: the "process" is dead from here on, until a restart. */
export class Crash extends Error {}

export type Mode = 'up' | '5xx' | '429' | 'refuse';
export interface Posted {
  channel: string;
  deliveryId: string;
  paperIds: string[];
}

export const CHANNELS: Array<{ ref: ChannelRef; topic: string | null }> = [
  { ref: { platform: 'fake', workspace: 'w', channel: 'grasp' }, topic: 'grasping' },
  { ref: { platform: 'fake', workspace: 'w', channel: 'reason' }, topic: 'reasoning' },
  { ref: { platform: 'fake', workspace: 'w', channel: 'all' }, topic: null },
];
export const label = (ref: ChannelRef) => ref.channel;

const STORE_WRITES = new Set([
  'transaction',
  'createDigestRun',
  'updateDigestRun',
  'completeDigestPart',
  'setLastDigestAt',
  'setChannelFailure',
  'setPaused',
  'claimDigestRun',
  'renewDigestRun',
  'releaseDigestRun',
  'closeDigestWindow',
]);

/**
 * The real bot in memory, a fake platform and crash points: `crashAfter(n)` kills the
 * "process" at the n-th store write or platform call of the next tick. A killed process
 * writes nothing more (each SQLite transaction lands whole or not at all, as after kill -9),
 * and a restart drops everything held in memory.
 */
export class SimWorld {
  readonly posted: Posted[] = [];
  readonly modes = new Map<string, Mode>();
  /** Topic matches still to fail (a search or store fault while planning). */
  searchFaults = 0;
  /** Catch-ups of the search index still to fail (another writer holding the lock). */
  indexFaults = 0;
  private countdown: number | null = null;
  private dead = false;
  /** The process's claim owner: a restart is a new process, whose claims are its own. */
  private owner = randomUUID();
  private constructor(
    readonly bot: Bot,
    readonly clock: ManualClock,
    readonly config: Config,
  ) {}

  static async open(start: string): Promise<SimWorld> {
    const clock = manualClock(start);
    const base = loadConfig({ env: {}, rootDir: ROOT });
    const config: Config = {
      ...base,
      sources: {
        huggingface: { ...base.sources.huggingface, enabled: false },
        arxiv: { ...base.sources.arxiv, enabled: false },
      },
      // The default schedule (a channel subscribing without one gets it) matches the sim's.
      digest: {
        ...base.digest,
        time: '09:00',
        timeZone: 'UTC',
        days: 'every',
        size: 50,
        perTopic: 50,
        postWhenEmpty: false,
      },
    };
    const bot = await createBot({
      config,
      clock,
      logger: silentLogger(),
      dataDir: ':memory:',
      sampleFile: null,
    });
    return new SimWorld(bot, clock, config);
  }

  crashAfter(n: number): void {
    this.countdown = n;
  }

  /** A new process: nothing of the old one survives but the store (a kill still armed stays). */
  restart(): void {
    this.dead = false;
    this.owner = randomUUID();
  }

  get crashed(): boolean {
    return this.dead;
  }

  /** One crash point: dies when the countdown runs out; a dead process does nothing. */
  private step(): void {
    if (this.dead) throw new Crash('dead');
    if (this.countdown === null) return;
    if (this.countdown-- <= 0) {
      this.dead = true;
      this.countdown = null;
      throw new Crash('crash point');
    }
  }

  private store(): AsyncStore {
    return this.crashing(this.bot.store);
  }

  /** The store (or a transaction's view of it) with a crash point before every write. */
  private crashing(real: AsyncStore): AsyncStore {
    return new Proxy(real, {
      get: (target, key, receiver) => {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        if (!STORE_WRITES.has(String(key))) return value.bind(target);
        if (key === 'transaction')
          return async (fn: (tx: AsyncStore) => Promise<unknown>) => {
            this.step();
            return await target.transaction((tx) => fn(this.crashing(tx)));
          };
        return (...args: unknown[]) => {
          this.step();
          return value.apply(target, args);
        };
      },
    });
  }

  private poster(): DigestPoster {
    return {
      post: async (target: ChannelRef, message: DigestMessage) => {
        this.step();
        const mode = this.modes.get(label(target)) ?? 'up';
        if (mode === 'refuse')
          throw new PaperboyError(
            'CHANNEL_UNAVAILABLE',
            'Cannot post in this channel: missing access.',
          );
        if (mode === '5xx') throw new PaperboyError('POST_FAILED', 'the platform answered 503');
        if (mode === '429')
          throw new PaperboyError('POST_FAILED', 'rate limited', {
            cause: { retryAfterMs: 90_000 },
          });
        this.posted.push({
          channel: label(target),
          deliveryId: message.deliveryId ?? '',
          paperIds: message.sections.flatMap((s) => s.items.map((i) => i.paper.id)),
        });
        // Dying here leaves a message the store never heard of: reconciliation must find it.
        this.step();
        return { messageIds: [`m${this.posted.length}`] };
      },
      findDelivery: async (target: ChannelRef, deliveryId: string) => {
        this.step();
        const mode = this.modes.get(label(target)) ?? 'up';
        if (mode === 'refuse')
          throw new PaperboyError(
            'CHANNEL_UNAVAILABLE',
            'Cannot post in this channel: missing access.',
          );
        if (mode === '5xx') throw new PaperboyError('POST_FAILED', 'the platform answered 503');
        const at = this.posted.findIndex(
          (m) => m.channel === label(target) && m.deliveryId === deliveryId,
        );
        return at === -1 ? null : `m${at + 1}`;
      },
    };
  }

  /** One scheduler tick of the digest (what the runtime does after polling). */
  async tick(): Promise<void> {
    if (this.dead) return;
    const store = this.store();
    const deps: DigestDeps = {
      store,
      search: {
        matchTopic: async (topic, ids) => {
          if (this.searchFaults > 0) {
            this.searchFaults--;
            throw new PaperboyError('STORE_FAILED', 'disk I/O error (simulated)');
          }
          return await this.bot.search.matchTopic(topic, ids);
        },
        refresh: async () => {
          if (this.indexFaults > 0) {
            this.indexFaults--;
            throw new PaperboyError('STORE_FAILED', 'database is locked (simulated)');
          }
          await this.bot.search.refresh();
        },
      },
      settings: this.config.digest,
      clock: this.clock,
      logger: silentLogger(),
      posters: new Map([['fake' as const, this.poster()]]),
      defaultSchedule: { time: '09:00', timeZone: 'UTC', days: 'every', size: 50 },
      startedAt: this.clock.now(),
      owner: this.owner,
    };
    const channels = (await this.bot.store.listChannels()).filter((c) => c.schedule !== null);
    await runDigests(channels, deps);
  }

  async arrive(records: PaperRecord[]): Promise<void> {
    // The bot's own write: the search indexes a small batch as it commits.
    await this.bot.store.upsertPapers(records, this.clock.now());
  }

  /**
   * Another writer's batch (`npm run ingest`, another instance): committed to the store,
   * not indexed by search until it catches up, which the digest must wait for.
   */
  async arriveUnindexed(records: PaperRecord[]): Promise<void> {
    this.bot.search.setLiveIndexing?.(false);
    try {
      await this.bot.store.upsertPapers(records, this.clock.now());
    } finally {
      this.bot.search.setLiveIndexing?.(true);
    }
  }

  async command(
    ref: ChannelRef,
    name: string,
    options: Record<string, string | number>,
  ): Promise<void> {
    const ctx = this.bot.contextFor(ref, { id: 'U', canManageChannel: true }, 'Manage Channel');
    const reply = await runCommand({ name, options }, ctx);
    if (reply.kind === 'error') throw new Error(`${name} failed: ${reply.message}`);
  }

  close(): Promise<void> {
    return this.bot.close();
  }
}
