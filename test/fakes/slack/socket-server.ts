import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/**
 * The Socket Mode side of the fake: says hello, pings, sends envelopes and records
 * the acks the client sends back. Redelivery is sending the same envelope_id again.
 */
export class SocketServer {
  readonly acks: SocketAck[] = [];
  readonly sent: Array<{ envelope_id: string; type: string }> = [];
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<WebSocket>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    server: Server,
    private readonly events: EventEmitter,
    pingIntervalMs: number,
  ) {
    this.wss = new WebSocketServer({ server, path: '/socket' });
    this.wss.on('connection', (ws) => {
      this.clients.add(ws);
      ws.on('message', (data) => {
        const message = JSON.parse(data.toString()) as SocketAck;
        if (message.envelope_id) this.acks.push(message);
        this.events.emit('change');
      });
      ws.on('close', () => {
        this.clients.delete(ws);
        this.events.emit('change');
      });
      ws.send(
        JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0001' } }),
      );
      this.events.emit('change');
    });
    this.timer = setInterval(() => {
      for (const ws of this.clients) ws.ping('fake-slack');
    }, pingIntervalMs);
    this.timer.unref();
  }

  get connections(): number {
    return this.clients.size;
  }

  /** Sends an envelope to every connected client; returns its envelope_id. */
  send(type: string, payload: Record<string, unknown>, envelopeId: string = randomUUID()): string {
    const envelope = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
    };
    for (const ws of this.clients) ws.send(JSON.stringify(envelope));
    this.sent.push({ envelope_id: envelopeId, type });
    return envelopeId;
  }

  acksFor(envelopeId: string): SocketAck[] {
    return this.acks.filter((a) => a.envelope_id === envelopeId);
  }

  /** Drops every connection as Slack does when it recycles a pod (the client reconnects). */
  dropConnections(): void {
    for (const ws of this.clients) ws.terminate();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const ws of this.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
