import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import {
  createDiscordAdapter,
  type DiscordAdapterOptions,
} from '../../../src/adapters/discord/discord-adapter.js';
import { type Bot, createBot } from '../../../src/app.js';
import type { Reply } from '../../../src/commands/reply.js';
import type { CommandCall } from '../../../src/commands/spec.js';
import { type Config, loadConfig } from '../../../src/config.js';
import { manualClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import { RequestGate } from '../../../src/core/sources/http.js';
import { type FakeDiscord, startFakeDiscord } from '../../fakes/discord/fake-discord.js';
import type { SentInteraction } from '../../fakes/discord/interactions.js';
import type { Json } from '../../fakes/discord/recorder.js';
import { testHttp } from '../../live/harness.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
// Shaped like a real bot token: the config refuses any other shape.
export const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.fake-discord-token-do-not-log';

/** Fails the test file on any unhandled rejection or uncaught exception. */
export function failOnCrash(): void {
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  beforeAll(() => {
    process.on('unhandledRejection', onCrash);
    process.on('uncaughtException', onCrash);
  });
  afterAll(() => {
    process.off('unhandledRejection', onCrash);
    process.off('uncaughtException', onCrash);
  });
  afterEach(() => {
    expect(crashes).toEqual([]);
  });
}

export function testConfig(discord: Partial<Config['discord']> = {}): Config {
  const base = loadConfig({ env: {}, rootDir: ROOT });
  return { ...base, discord: { ...base.discord, ...discord } };
}

export interface Harness {
  fake: FakeDiscord;
  bot: Bot;
  adapter: ReturnType<typeof createDiscordAdapter>;
  clock: ReturnType<typeof manualClock>;
  config: Config;
  /** Every command call and its reply, as the adapter saw them. */
  seen: Array<{ call: CommandCall; reply: Reply }>;
  /** Everything logged, one JSON line each. */
  logs: string[];
  /** Stops the adapter (and the bot, when on disk reopens it) and starts a new one. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  discord?: Partial<Config['discord']>;
  guildId?: string | null;
  adapter?: DiscordAdapterOptions;
  /** Keep the store in a temp folder, so a restart reopens it from disk. */
  onDisk?: boolean;
  fake?: FakeDiscord;
  /** Start time of the manual clock (default 2025-12-12T10:00:00Z). */
  now?: string;
  /** Look linked papers that are not stored up on this arXiv API (a local fake); default: no lookups. */
  arxivApiBaseUrl?: string;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = options.fake ?? (await startFakeDiscord());
  const base = testConfig(options.discord);
  const apiBaseUrl = options.arxivApiBaseUrl;
  const config: Config = apiBaseUrl
    ? { ...base, sources: { ...base.sources, arxiv: { ...base.sources.arxiv, apiBaseUrl } } }
    : base;
  const clock = manualClock(options.now ?? '2025-12-12T10:00:00Z');
  // Waits of the arXiv gate advance the test's clock: no test waits 3 s.
  const sleep = async (ms: number) => clock.advance(ms);
  const arxivLookup = apiBaseUrl
    ? { http: testHttp({ clock, sleep }), gate: new RequestGate(3_000, clock, sleep) }
    : undefined;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination: sink });
  const dataDir = options.onDisk
    ? mkdtempSync(path.join(os.tmpdir(), 'paperboy-discord-'))
    : ':memory:';
  const seen: Harness['seen'] = [];
  const open = async () => {
    const bot = await createBot({
      config,
      clock,
      logger,
      dataDir,
      ...(arxivLookup ? { arxivLookup } : {}),
    });
    const adapter = createDiscordAdapter({
      secrets: {
        token: TOKEN,
        applicationId: fake.applicationId,
        guildId: options.guildId === undefined ? null : options.guildId,
        apiUrl: fake.apiUrl,
      },
      config,
      bot,
      clock,
      logger,
      options: { ...options.adapter, observe: (call, reply) => seen.push({ call, reply }) },
    });
    try {
      await adapter.start();
    } catch (error) {
      await bot.close();
      throw error;
    }
    return { bot, adapter };
  };
  let first: Awaited<ReturnType<typeof open>>;
  try {
    first = await open();
  } catch (error) {
    if (!options.fake) await fake.close();
    if (options.onDisk) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const harness: Harness = {
    fake,
    ...first,
    clock,
    config,
    seen,
    logs,
    async restart() {
      await harness.adapter.stop();
      if (options.onDisk) {
        await harness.bot.close();
        const next = await open();
        harness.bot = next.bot;
        harness.adapter = next.adapter;
        return;
      }
      const adapter = createDiscordAdapter({
        secrets: {
          token: TOKEN,
          applicationId: fake.applicationId,
          guildId: null,
          apiUrl: fake.apiUrl,
        },
        config,
        bot: harness.bot,
        clock,
        logger,
        options: { ...options.adapter, observe: (call, reply) => seen.push({ call, reply }) },
      });
      await adapter.start();
      harness.adapter = adapter;
    },
    async close() {
      await harness.adapter.stop();
      await harness.bot.close();
      if (!options.fake) await fake.close();
      if (options.onDisk) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

export interface Answer {
  /** Interaction callback type: 4 reply, 5 deferred, 6 deferred update, 7 update, 8 choices. */
  callbackType: number;
  /** The message body finally shown (callback data, or the edit / follow-up after a defer). */
  message: Json;
  /** Was it answered by editing the deferred original, or by a follow-up? */
  via: 'callback' | 'edit' | 'followup';
}

/** Waits for the bot's answer to an interaction at the fake. */
export async function answerTo(
  fake: FakeDiscord,
  sent: SentInteraction,
  timeoutMs = 5000,
): Promise<Answer> {
  const callback = await fake.waitFor(
    (r) =>
      r.method === 'POST' &&
      r.path === `/interactions/${sent.id}/${sent.token}/callback` &&
      r.status < 300,
    timeoutMs,
  );
  const type = callback.body.type as number;
  if (type !== 5 && type !== 6)
    return { callbackType: type, message: callback.body.data ?? {}, via: 'callback' };
  const prefix = `/webhooks/${fake.applicationId}/${sent.token}`;
  const after = await fake.waitFor(
    (r) =>
      r.path.startsWith(prefix) &&
      ((r.method === 'PATCH' && r.path.endsWith('/messages/@original')) ||
        (r.method === 'POST' && r.path === prefix)),
    timeoutMs,
  );
  return {
    callbackType: type,
    message: after.body,
    via: after.method === 'PATCH' ? 'edit' : 'followup',
  };
}

/** Discord's ephemeral message flag. */
export const EPHEMERAL = 64;
