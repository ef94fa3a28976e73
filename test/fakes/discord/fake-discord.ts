import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway, type ShardKey } from './gateway.js';
import {
  CHANNEL_TYPES,
  type FakeChannel,
  messagePayload,
  nextSnowflake,
  userPayload,
} from './payloads.js';
import { guildCreate, identifyAnswer } from './ready.js';
import { type FailureRule, type RecordedRequest, RequestRecorder } from './recorder.js';
import { FAILURE_BODIES, routeRest } from './rest-routes.js';

export type { FailureRule, RecordedRequest };

export interface FakeDiscordOptions {
  applicationId?: string;
  guildId?: string;
  /** GET /gateway/bot's `shards` (default: one per 1,000 guilds, at least 1). */
  recommendedShards?: number;
  /** GET /gateway/bot's `session_start_limit.max_concurrency` (default 1). */
  maxConcurrency?: number;
  /** More guilds than this on one shard: IDENTIFY is closed with 4011 (Discord's is 2,500). */
  maxGuildsPerShard?: number;
}

/**
 * A small Discord for discord.js 14: REST under /api/v10 and the gateway on the same
 * port. Holds channels and messages in memory and records every request.
 */
export class FakeDiscord {
  readonly applicationId: string;
  /** The guild the fixtures' channels are in; `addGuild` adds more. */
  readonly guildId: string;
  /** Every guild the bot is in, in the order it joined. */
  readonly guildIds: string[];
  readonly maxConcurrency: number;
  private readonly recommended: number | undefined;
  /** More guilds than this on one shard: IDENTIFY is closed with 4011. */
  readonly maxGuildsPerShard: number;
  readonly bot = userPayload('900000000000000001', 'Paperboy', true);
  readonly channels = {
    text: '100000000000000001',
    other: '100000000000000002',
    announcement: '100000000000000003',
    forum: '100000000000000004',
    thread: '100000000000000005',
  };
  readonly recorder = new RequestRecorder();
  /** Registered commands by scope (`global` or a guild id). */
  readonly commands = new Map<string, Array<Record<string, unknown>>>();
  readonly channelById = new Map<string, FakeChannel>();
  /** Messages per channel, oldest first. */
  private readonly messagesByChannel = new Map<string, Array<Record<string, unknown>>>();
  private server!: Server;
  private gateway!: FakeGateway;
  port = 0;

  constructor(options: FakeDiscordOptions = {}) {
    this.applicationId = options.applicationId ?? '800000000000000001';
    this.guildId = options.guildId ?? '700000000000000001';
    this.guildIds = [this.guildId];
    this.recommended = options.recommendedShards;
    this.maxConcurrency = options.maxConcurrency ?? 1;
    this.maxGuildsPerShard = options.maxGuildsPerShard ?? 2500;
    const g = this.guildId;
    for (const channel of [
      { id: this.channels.text, type: CHANNEL_TYPES.text, name: 'papers', guild_id: g },
      { id: this.channels.other, type: CHANNEL_TYPES.text, name: 'reading', guild_id: g },
      {
        id: this.channels.announcement,
        type: CHANNEL_TYPES.announcement,
        name: 'news',
        guild_id: g,
      },
      { id: this.channels.forum, type: CHANNEL_TYPES.forum, name: 'digests', guild_id: g },
      {
        id: this.channels.thread,
        type: CHANNEL_TYPES.publicThread,
        name: 'paper-talk',
        guild_id: g,
        parent_id: this.channels.text,
      },
    ]) {
      this.channelById.set(channel.id, channel);
    }
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get requests(): RecordedRequest[] {
    return this.recorder.requests;
  }

  get identifies(): number {
    return this.gateway.identifies;
  }

  /** What GET /gateway/bot recommends: Discord's rule of thumb is a shard per 1,000 guilds. */
  get recommendedShards(): number {
    return this.recommended ?? Math.max(1, Math.ceil(this.guildIds.length / 1000));
  }

  /** The shard of each identified gateway connection (`[id, count]`). */
  get connectedShards(): ShardKey[] {
    return this.gateway.shards;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `fake error: ${error.message}`, code: 0 }));
      });
    });
    this.gateway = new FakeGateway(this.server, {
      onFrame: (frame) => {
        // Gateway frames go in the same log, so tests can wait for IDENTIFY like a request.
        if (frame.op !== 1) {
          this.recorder.record({
            method: 'GATEWAY',
            path: `op:${frame.op}`,
            query: new URLSearchParams(),
            body: frame.d,
            hasAuthorization: false,
            status: 0,
            at: Date.now(),
          });
        }
      },
      onIdentify: (shard, sessionId) => identifyAnswer(this, shard, sessionId),
      onClose: (code, shard) =>
        this.recorder.record({
          method: 'GATEWAY',
          path: 'close',
          query: new URLSearchParams(),
          body: { code, shard },
          hasAuthorization: false,
          status: 0,
          at: Date.now(),
        }),
    });
    // A platform's edge never drops handshakes: a backlog past a 1,000-request burst (the
    // default 511 overflows, and the bot's requests would wait for a TCP retransmit).
    await new Promise<void>((resolve) =>
      this.server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve),
    );
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Programs a failure for matching requests (path is relative to /api/v10). */
  fail(rule: FailureRule): void {
    this.recorder.fail(rule);
  }

  waitFor(predicate: (r: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    return this.recorder.waitFor(predicate, timeoutMs);
  }

  /** Resolves when a client has identified on the gateway `count` times in all. */
  async waitForIdentify(count = 1, timeoutMs = 5000): Promise<void> {
    await this.recorder.waitForCount(
      (r) => r.method === 'GATEWAY' && r.path === 'op:2',
      count,
      timeoutMs,
    );
  }

  /** Cuts every gateway connection; discord.js reconnects and resumes. */
  dropGatewayConnections(): void {
    this.gateway.dropAll();
  }

  /**
   * Sends a dispatch (e.g. INTERACTION_CREATE) to the connections of its shard (the guild's,
   * or shard 0 outside guilds); returns how many connections got it, and throws when none
   * holds that shard.
   */
  dispatch(t: string, d: unknown): number {
    const sent = this.gateway.dispatch(t, d);
    if (sent === 0) {
      const guild = (d as { guild_id?: string } | null)?.guild_id;
      throw new Error(
        `fake Discord: no identified connection for ${guild ? `guild ${guild}'s shard` : 'shard 0'}`,
      );
    }
    return sent;
  }

  /**
   * The bot joins a guild with one text channel (id returned); connected shards that hold
   * it get its GUILD_CREATE, as Discord sends on a join.
   */
  addGuild(guildId: string, channelId = nextSnowflake()): string {
    this.guildIds.push(guildId);
    this.addTextChannel(channelId, 'papers', guildId);
    this.gateway?.dispatch('GUILD_CREATE', guildCreate(this, guildId));
    return channelId;
  }

  /**
   * A text channel created after start-up (discord.js learns it from interaction payloads),
   * in this fake's guild or another one the bot is in (REST serves any of them).
   */
  addTextChannel(id: string, name = `channel-${id.slice(-4)}`, guildId = this.guildId): void {
    this.channelById.set(id, { id, type: CHANNEL_TYPES.text, name, guild_id: guildId });
  }

  addDmChannel(id: string, user: ReturnType<typeof userPayload>): void {
    this.channelById.set(id, { id, type: CHANNEL_TYPES.dm, name: '', recipients: [user] });
  }

  channel(id: string): FakeChannel | undefined {
    return this.channelById.get(id);
  }

  messages(channelId: string): Array<Record<string, unknown>> {
    return this.messagesByChannel.get(channelId) ?? [];
  }

  setMessages(channelId: string, messages: Array<Record<string, unknown>>): void {
    this.messagesByChannel.set(channelId, messages);
  }

  /** Threads whose parent is the given channel. */
  threadsOf(parentId: string): FakeChannel[] {
    return [...this.channelById.values()].filter((c) => c.parent_id === parentId);
  }

  /** Registration writes so far (PUT/POST/PATCH/DELETE on application commands). */
  get commandWrites(): number {
    return this.requests.filter((r) => r.method !== 'GET' && /\/commands/.test(r.path)).length;
  }

  storeMessage(channelId: string, body: Record<string, unknown>, webhook?: string) {
    const message = messagePayload(nextSnowflake(), channelId, this.bot, body, webhook);
    const list = this.messagesByChannel.get(channelId) ?? [];
    list.push(message);
    this.messagesByChannel.set(channelId, list);
    return message;
  }

  createThread(parentId: string, name: string, id = nextSnowflake()): FakeChannel {
    const thread: FakeChannel = {
      id,
      type: CHANNEL_TYPES.publicThread,
      name,
      guild_id: this.guildId,
      parent_id: parentId,
    };
    this.channelById.set(id, thread);
    return thread;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body =
      raw && (req.headers['content-type'] ?? '').includes('json') ? JSON.parse(raw) : null;
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v10/, ''));
    const method = req.method ?? 'GET';
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      this.recorder.record({
        method,
        path,
        query: url.searchParams,
        body,
        hasAuthorization: Boolean(req.headers.authorization),
        status,
        at: Date.now(),
      });
      // A 204 carries no content-type: discord.js would try to parse an empty JSON body.
      const type = payload === undefined ? {} : { 'content-type': 'application/json' };
      res.writeHead(status, { ...type, ...headers });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };

    const failure = this.recorder.takeFailure(method, path);
    if (failure) {
      if (failure.status === 429) {
        const after = failure.retryAfter ?? 0.05;
        send(
          429,
          { message: 'You are being rate limited.', retry_after: after, global: false },
          {
            'retry-after': String(after),
            'x-ratelimit-limit': '5',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset-after': String(after),
            'x-ratelimit-bucket': 'fake-bucket',
            'x-ratelimit-scope': 'user',
          },
        );
      } else {
        send(failure.status, FAILURE_BODIES[failure.status]);
      }
      return;
    }
    const response = routeRest(this, method, path, url.searchParams, body);
    send(response.status, response.payload);
  }
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return new FakeDiscord(options).start();
}
