import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import {
  createDiscordHttpAdapter,
  type DiscordHttpAdapter,
  type DiscordHttpAdapterOptions,
} from '../../../src/adapters/discord-http/discord-http-adapter.js';
import { INTERACTIONS_PATH } from '../../../src/adapters/discord-http/interactions-server.js';
import { type Bot, createBot } from '../../../src/app.js';
import type { Reply } from '../../../src/commands/reply.js';
import type { CommandCall } from '../../../src/commands/spec.js';
import { manualClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import { type FakeDiscord, startFakeDiscord } from '../../fakes/discord/fake-discord.js';
import type { SentInteraction } from '../../fakes/discord/interactions.js';
import type { Json } from '../../fakes/discord/recorder.js';
import { type Answer, TOKEN, testConfig } from '../discord/harness.js';

/** A fresh Ed25519 key pair, the public half as the developer portal shows it (64 hex digits). */
export function keyPair(): { privateKey: KeyObject; publicKeyHex: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x ?? '';
  return { privateKey, publicKeyHex: Buffer.from(x, 'base64url').toString('hex') };
}

export interface SignOptions {
  /** Sign with this key instead of the application's. */
  key?: KeyObject;
  /** Unix seconds (default: the harness clock's now). */
  timestamp?: number;
  /** Send this signature header as is. */
  signature?: string;
  /** Sign this text instead of the body sent (a body changed in transit). */
  signBody?: string;
  /** Leave the signature headers out. */
  unsigned?: boolean;
}

export interface HttpHarness {
  fake: FakeDiscord;
  bot: Bot;
  adapter: DiscordHttpAdapter;
  clock: ReturnType<typeof manualClock>;
  /** The endpoint URL Discord would POST to. */
  url: string;
  seen: Array<{ call: CommandCall; reply: Reply }>;
  logs: string[];
  /** Resolves with the first log line (past or future) containing `text`. */
  waitForLog(text: string, timeoutMs?: number): Promise<string>;
  /** POSTs a body signed as Discord signs it (or tampered with, per `options`). */
  post(body: string, options?: SignOptions): Promise<{ status: number; body: Json }>;
  close(): Promise<void>;
}

export async function startHttpHarness(
  /** `dataDir`: a store file another process can open too (default: in memory). */
  options: { now?: string; adapter?: DiscordHttpAdapterOptions; dataDir?: string } = {},
): Promise<HttpHarness> {
  const fake = await startFakeDiscord();
  const config = testConfig();
  const clock = manualClock(options.now ?? '2025-12-12T10:00:00Z');
  const logs: string[] = [];
  const logged = new EventEmitter();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(chunk.toString());
      logged.emit('line', chunk.toString());
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination: sink });
  const bot = await createBot({ config, clock, logger, dataDir: options.dataDir ?? ':memory:' });
  const keys = keyPair();
  const seen: HttpHarness['seen'] = [];
  const adapter = createDiscordHttpAdapter({
    secrets: {
      token: TOKEN,
      applicationId: fake.applicationId,
      guildId: null,
      apiUrl: fake.apiUrl,
    },
    interactions: { publicKey: keys.publicKeyHex, port: 0 },
    config,
    bot,
    clock,
    logger,
    options: {
      host: '127.0.0.1',
      ...options.adapter,
      observe: (call, reply) => seen.push({ call, reply }),
    },
  });
  try {
    await adapter.start();
  } catch (error) {
    await bot.close();
    await fake.close();
    throw error;
  }
  const url = `http://127.0.0.1:${adapter.port}${INTERACTIONS_PATH}`;
  return {
    fake,
    bot,
    adapter,
    clock,
    url,
    seen,
    logs,
    waitForLog(text, timeoutMs = 5000) {
      const past = logs.find((line) => line.includes(text));
      if (past) return Promise.resolve(past);
      return new Promise((resolve, reject) => {
        const onLine = (line: string) => {
          if (!line.includes(text)) return;
          clearTimeout(timer);
          logged.off('line', onLine);
          resolve(line);
        };
        const timer = setTimeout(() => {
          logged.off('line', onLine);
          reject(new Error(`no log line with "${text}" within ${timeoutMs} ms`));
        }, timeoutMs);
        logged.on('line', onLine);
      });
    },
    async post(body, signOptions = {}) {
      const timestamp = String(signOptions.timestamp ?? Math.floor(clock.now().getTime() / 1000));
      const signature =
        signOptions.signature ??
        sign(
          null,
          Buffer.from(timestamp + (signOptions.signBody ?? body)),
          signOptions.key ?? keys.privateKey,
        ).toString('hex');
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (!signOptions.unsigned) {
        headers['x-signature-ed25519'] = signature;
        headers['x-signature-timestamp'] = timestamp;
      }
      const response = await fetch(url, { method: 'POST', headers, body });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    async close() {
      await adapter.stop();
      await bot.close();
      await fake.close();
    },
  };
}

/**
 * Sends a built interaction to the endpoint and returns what the user finally sees:
 * the HTTP response's message, or after a deferral the edit / follow-up at the fake.
 */
export async function answerOverHttp(h: HttpHarness, sent: SentInteraction): Promise<Answer> {
  const response = await h.post(JSON.stringify(sent.payload));
  if (response.status !== 200) throw new Error(`endpoint answered ${response.status}`);
  const type = response.body.type as number;
  if (type !== 5 && type !== 6) {
    return { callbackType: type, message: response.body.data ?? {}, via: 'callback' };
  }
  const prefix = `/webhooks/${h.fake.applicationId}/${sent.token}`;
  const after = await h.fake.waitFor(
    (r) =>
      r.path.startsWith(prefix) &&
      ((r.method === 'PATCH' && r.path.endsWith('/messages/@original')) ||
        (r.method === 'POST' && r.path === prefix)),
  );
  return {
    callbackType: type,
    message: after.body,
    via: after.method === 'PATCH' ? 'edit' : 'followup',
  };
}
