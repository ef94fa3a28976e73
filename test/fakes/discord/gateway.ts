import type { Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';

/** `[shard_id, num_shards]` as IDENTIFY sends it; `[0, 1]` when IDENTIFY names none. */
export type ShardKey = readonly [id: number, count: number];

/** Discord's rule: a guild's events go to shard `(guild_id >> 22) % num_shards`. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** The `n`th snowflake-shaped guild id that lands on `shard` of `count` (for tests). */
export function guildIdOnShard(shard: number, count: number, n = 0): string {
  const base = 1767225600000n - 1420070400000n; // 2026-01-01 in Discord's epoch
  const offset = (BigInt(shard) - (base % BigInt(count)) + BigInt(count)) % BigInt(count);
  return ((base + offset + BigInt(n * count)) << 22n).toString();
}

export type IdentifyAnswer =
  | { events: Array<{ t: string; d: unknown }> }
  /** The gateway closes the connection with this code instead (e.g. 4011 Sharding required). */
  | { close: number; reason: string };

export interface GatewayHooks {
  /** What IDENTIFY for this shard gets: READY, GUILD_CREATE … in order, or a refusal. */
  onIdentify(shard: ShardKey, sessionId: string): IdentifyAnswer;
  onFrame(frame: { op: number; d: unknown }): void;
  /** A connection closed (by either side); `shard` is null if it never identified. */
  onClose(code: number, shard: ShardKey | null): void;
}

interface Connection {
  seq: number;
  /** Set by IDENTIFY or RESUME: the shard whose events this connection gets. */
  shard: ShardKey | null;
}

/** IDENTIFY's `shard`, or null when Discord would close with 4010 Invalid shard. */
function identifiedShard(d: unknown): ShardKey | null {
  const shard = (d as { shard?: unknown } | null)?.shard;
  if (shard === undefined) return [0, 1];
  if (!Array.isArray(shard) || shard.length !== 2) return null;
  const [id, count] = shard as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return null;
  const key = [id, count] as [number, number];
  return key[1] >= 1 && key[0] >= 0 && key[0] < key[1] ? key : null;
}

/**
 * The Discord gateway, JSON encoding, no compression: HELLO, heartbeat ACKs, IDENTIFY →
 * READY + GUILD_CREATE for the identified shard's guilds, RESUME of a known session, and
 * dispatches pushed by the test, each to the connections of the shard it belongs to.
 */
export class FakeGateway {
  private readonly wss: WebSocketServer;
  private readonly sockets = new Map<WebSocket, Connection>();
  /** The shard of each session READY handed out, so a RESUME carries on with it. */
  private readonly sessions = new Map<string, ShardKey>();
  identifies = 0;

  constructor(server: Server, hooks: GatewayHooks) {
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (socket) => {
      const state: Connection = { seq: 0, shard: null };
      this.sockets.set(socket, state);
      socket.on('close', (code) => {
        this.sockets.delete(socket);
        hooks.onClose(code, state.shard);
      });
      socket.on('error', () => this.sockets.delete(socket));
      socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
      socket.on('message', (raw) => {
        let frame: { op: number; d: unknown };
        try {
          frame = JSON.parse(raw.toString());
        } catch {
          return;
        }
        hooks.onFrame(frame);
        if (frame.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
        if (frame.op === 6) this.resume(socket, state, frame.d);
        if (frame.op === 2) this.identify(socket, state, frame.d, hooks);
      });
    });
  }

  private identify(socket: WebSocket, state: Connection, d: unknown, hooks: GatewayHooks): void {
    this.identifies += 1;
    const shard = identifiedShard(d);
    if (!shard) {
      socket.close(4010, 'Invalid shard');
      return;
    }
    const sessionId = `fake-session-${this.identifies}`;
    const answer = hooks.onIdentify(shard, sessionId);
    if ('close' in answer) {
      socket.close(answer.close, answer.reason);
      return;
    }
    this.sessions.set(sessionId, shard);
    state.shard = shard;
    for (const event of answer.events) this.sendTo(socket, event.t, event.d);
  }

  /** RESUME after a dropped connection: a known session carries on, an unknown one is invalid. */
  private resume(socket: WebSocket, state: Connection, d: unknown): void {
    const shard = this.sessions.get(String((d as { session_id?: unknown })?.session_id));
    if (!shard) {
      socket.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      return;
    }
    state.shard = shard;
    this.sendTo(socket, 'RESUMED', {});
  }

  private sendTo(socket: WebSocket, t: string, d: unknown): void {
    const state = this.sockets.get(socket);
    if (!state) return;
    state.seq += 1;
    socket.send(JSON.stringify({ op: 0, t, s: state.seq, d }));
  }

  /**
   * Sends a dispatch to the connections of its shard: the guild's (`guild_id`, or `id` for
   * GUILD_* events), or shard 0 for events outside any guild (DMs), as Discord does.
   * Returns how many connections got it.
   */
  dispatch(t: string, d: unknown): number {
    const fields = (d ?? {}) as { guild_id?: unknown; id?: unknown };
    const guild = fields.guild_id ?? (t.startsWith('GUILD_') ? fields.id : undefined);
    let sent = 0;
    for (const [socket, state] of this.sockets) {
      if (!state.shard || socket.readyState !== socket.OPEN) continue;
      const [id, count] = state.shard;
      if (id !== (typeof guild === 'string' ? shardOf(guild, count) : 0)) continue;
      this.sendTo(socket, t, d);
      sent += 1;
    }
    return sent;
  }

  /** Drops every connection abnormally (code 1006), as a network failure would. */
  dropAll(): void {
    for (const socket of this.sockets.keys()) socket.terminate();
    this.sockets.clear();
  }

  /** The shard of each identified (or resumed) connection, in connection order. */
  get shards(): ShardKey[] {
    return [...this.sockets.values()].flatMap((s) => (s.shard ? [s.shard] : []));
  }

  get connected(): number {
    return this.shards.length;
  }

  close(): Promise<void> {
    for (const socket of this.sockets.keys()) socket.terminate();
    this.sockets.clear();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
