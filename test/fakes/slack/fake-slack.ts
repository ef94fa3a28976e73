import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { conversationHistory, conversationReplies } from './conversations.js';
import { SocketServer } from './socket-server.js';
import { waitFor } from './wait-for.js';

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  authorization: string | undefined;
  status: number;
}

export interface PostedMessage {
  ts: string;
  channel: string;
  text: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  thread_ts?: string;
  ephemeral?: boolean;
  user?: string;
}

export interface ResponseUrlCall {
  id: string;
  body: Record<string, unknown>;
}

/** A programmed failure for the next `times` calls of a Web API method. */
export type Failure =
  | { status: 429; retryAfter: number }
  | { status: 500 }
  | { error: 'not_in_channel' | 'is_archived' | 'channel_not_found' | string };

export type ChannelState = 'ok' | 'not_in_channel' | 'is_archived' | 'channel_not_found';

export interface FakeSlackOptions {
  teamId?: string;
  botUserId?: string;
  /** Socket Mode ping interval (the client drops a connection without pings). */
  pingIntervalMs?: number;
  /** Slack's time (ms), which message timestamps read: a test's simulated clock (default: real). */
  now?: () => number;
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // The WebClient sends arrays and objects (blocks, metadata) as JSON strings.
    out[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A local fake of the Slack Web API, the response_url endpoint and the Socket Mode
 * WebSocket, on 127.0.0.1 and a free port. Everything it receives is recorded and
 * announced as a `change` event so tests wait for what they expect.
 */
export class FakeSlack extends EventEmitter {
  readonly teamId: string;
  readonly botUserId: string;
  readonly calls: ApiCall[] = [];
  readonly messages: PostedMessage[] = [];
  readonly responses: ResponseUrlCall[] = [];
  readonly admins = new Set<string>();
  readonly socket: SocketServer;
  private readonly server: Server;
  private readonly failures = new Map<string, Failure[]>();
  private readonly channelStates = new Map<string, ChannelState>();
  private lastTs = 0n;
  private readonly now: () => number;
  private port = 0;

  constructor(options: FakeSlackOptions = {}) {
    super();
    this.setMaxListeners(100);
    this.teamId = options.teamId ?? 'T0001';
    this.botUserId = options.botUserId ?? 'UBOT';
    this.now = options.now ?? Date.now;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    this.socket = new SocketServer(this.server, this, options.pingIntervalMs ?? 1000);
  }

  async start(): Promise<this> {
    // A platform's edge never drops handshakes: a backlog past a 1,000-request burst (the
    // default 511 overflows, and the bot's requests would wait for a TCP retransmit).
    await new Promise<void>((resolve) =>
      this.server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve),
    );
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  get socketUrl(): string {
    return `ws://127.0.0.1:${this.port}/socket`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${encodeURIComponent(id)}`;
  }

  /** The next `times` calls of `method` fail this way. */
  fail(method: string, failure: Failure, times = 1): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(failure);
    this.failures.set(method, list);
  }

  setChannelState(channel: string, state: ChannelState): void {
    this.channelStates.set(channel, state);
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(id: string): ResponseUrlCall[] {
    return this.responses.filter((r) => r.id === id);
  }

  waitFor<T>(
    predicate: () => T | undefined | null | false,
    timeoutMs = 5000,
    what?: string,
  ): Promise<T> {
    return waitFor(this, predicate, timeoutMs, what);
  }

  async close(): Promise<void> {
    await this.socket.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Like Slack's: the time the message was posted, unique and increasing within the fake. */
  private nextTs(): string {
    const at = BigInt(Math.floor(this.now())) * 1000n;
    this.lastTs = at > this.lastTs ? at : this.lastTs + 1n;
    const micros = String(this.lastTs % 1_000_000n).padStart(6, '0');
    return `${this.lastTs / 1_000_000n}.${micros}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const body = parseBody(raw, req.headers['content-type']);
    if (url.pathname.startsWith('/response/')) {
      this.responses.push({
        id: decodeURIComponent(url.pathname.slice('/response/'.length)),
        body,
      });
      res.setHeader('content-type', 'text/plain');
      res.end('ok');
      this.emit('change');
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const call: ApiCall = {
      method,
      params: body,
      authorization: req.headers.authorization,
      status: 200,
    };
    const failure = this.failures.get(method)?.shift();
    if (failure && 'status' in failure) {
      call.status = failure.status;
      this.calls.push(call);
      res.statusCode = failure.status;
      if (failure.status === 429) res.setHeader('retry-after', String(failure.retryAfter));
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          ok: false,
          error: failure.status === 429 ? 'ratelimited' : 'internal_error',
        }),
      );
      this.emit('change');
      return;
    }
    const answer = failure ? { ok: false, error: failure.error } : this.answer(method, body);
    this.calls.push(call);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(answer));
    this.emit('change');
  }

  private answer(method: string, p: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://example.slack.com/',
          team: 'Example',
          user: 'paperboy',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: 'BBOT',
        };
      case 'apps.connections.open':
        return { ok: true, url: this.socketUrl };
      case 'users.info': {
        const id = String(p.user);
        return { ok: true, user: { id, name: id, is_admin: this.admins.has(id), is_owner: false } };
      }
      case 'chat.postMessage':
      case 'chat.postEphemeral':
        return this.post(method, p);
      case 'conversations.history':
        return conversationHistory(
          this.messages,
          this.botUserId,
          p,
          this.channelStates.get(String(p.channel)),
        );
      case 'conversations.replies':
        return conversationReplies(
          this.messages,
          this.botUserId,
          p,
          this.channelStates.get(String(p.channel)),
        );
      case 'chat.unfurl':
        // Recorded in `calls` like every method. Slack wants channel + ts, or unfurl_id +
        // source; a link still in the composer has no channel ("COMPOSER") to name.
        if (p.unfurl_id && p.source) return { ok: true };
        if (!p.channel || !p.ts) return { ok: false, error: 'invalid_arguments' };
        if (p.channel === 'COMPOSER') return { ok: false, error: 'channel_not_found' };
        return { ok: true };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private post(method: string, p: Record<string, unknown>): Record<string, unknown> {
    const channel = String(p.channel);
    const state = this.channelStates.get(channel) ?? 'ok';
    if (state !== 'ok') return { ok: false, error: state };
    const message: PostedMessage = {
      ts: this.nextTs(),
      channel,
      text: String(p.text ?? ''),
      blocks: p.blocks as unknown[] | undefined,
      metadata: p.metadata as PostedMessage['metadata'],
      thread_ts: p.thread_ts as string | undefined,
      ephemeral: method === 'chat.postEphemeral',
      user: p.user as string | undefined,
    };
    this.messages.push(message);
    if (message.ephemeral) return { ok: true, message_ts: message.ts };
    return { ok: true, channel, ts: message.ts, message: { ...message, user: this.botUserId } };
  }
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  return new FakeSlack(options).start();
}
