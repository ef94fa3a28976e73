import type { Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';

export interface GatewayHooks {
  /** Dispatches sent right after IDENTIFY (READY, GUILD_CREATE …), in order. */
  onIdentify(): Array<{ t: string; d: unknown }>;
  onFrame(frame: { op: number; d: unknown }): void;
}

/**
 * The Discord gateway, JSON encoding, no compression: HELLO, heartbeat ACKs,
 * IDENTIFY → READY + GUILD_CREATE, and dispatches pushed by the test.
 */
export class FakeGateway {
  private readonly wss: WebSocketServer;
  private readonly sockets = new Map<WebSocket, { seq: number; identified: boolean }>();
  identifies = 0;

  constructor(server: Server, hooks: GatewayHooks) {
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (socket) => {
      const state = { seq: 0, identified: false };
      this.sockets.set(socket, state);
      socket.on('close', () => this.sockets.delete(socket));
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
        if (frame.op === 6) {
          // RESUME after a dropped connection: accept it and carry on with the session.
          state.identified = true;
          this.sendTo(socket, 'RESUMED', {});
        }
        if (frame.op === 2) {
          this.identifies += 1;
          state.identified = true;
          for (const event of hooks.onIdentify()) this.sendTo(socket, event.t, event.d);
        }
      });
    });
  }

  private sendTo(socket: WebSocket, t: string, d: unknown): void {
    const state = this.sockets.get(socket);
    if (!state) return;
    state.seq += 1;
    socket.send(JSON.stringify({ op: 0, t, s: state.seq, d }));
  }

  /** Sends a dispatch to every identified connection; returns how many got it. */
  dispatch(t: string, d: unknown): number {
    let sent = 0;
    for (const [socket, state] of this.sockets) {
      if (!state.identified || socket.readyState !== socket.OPEN) continue;
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

  get connected(): number {
    return [...this.sockets.values()].filter((s) => s.identified).length;
  }

  close(): Promise<void> {
    for (const socket of this.sockets.keys()) socket.terminate();
    this.sockets.clear();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
