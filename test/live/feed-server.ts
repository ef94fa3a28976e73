import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One programmed answer; `hang` never answers (the client's timeout must fire). */
export interface FakeAnswer {
  status?: number;
  body?: string | Buffer;
  headers?: Record<string, string>;
  hang?: boolean;
  /** Answer only once this settles (a test checks something while the request is open). */
  release?: Promise<void>;
}

export interface SeenRequest {
  path: string;
  headers: IncomingMessage['headers'];
  /** The injected clock at arrival, so politeness is measured in test time. */
  at: number;
  /** Requests in flight when this one arrived (itself included). */
  inFlight: number;
}

/**
 * A local stand-in for huggingface.co / rss.arxiv.org / export.arxiv.org on 127.0.0.1:0.
 * Each path answers from its queue; the last answer repeats when the queue runs dry.
 */
export class FeedServer {
  readonly seen: SeenRequest[] = [];
  private readonly routes = new Map<string, FakeAnswer[]>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly waiters: Array<() => void> = [];
  private readonly hangWaiters: Array<(request: SeenRequest) => void> = [];
  private inFlight = 0;
  private server: Server | null = null;
  baseUrl = '';

  constructor(private readonly now: () => number) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Queues answers for a path (matched without the query string). */
  answer(path: string, ...answers: FakeAnswer[]): this {
    this.routes.set(path, [...(this.routes.get(path) ?? []), ...answers]);
    return this;
  }

  /** Replaces a path's queue. */
  reset(path: string, ...answers: FakeAnswer[]): this {
    this.routes.set(path, answers);
    return this;
  }

  /** Resolves when a request arrives (any path). */
  nextRequest(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Resolves when a request arrives that this server will never answer. */
  nextHang(): Promise<SeenRequest> {
    return new Promise((resolve) => this.hangWaiters.push(resolve));
  }

  /** Requests held open right now. */
  get hangingCount(): number {
    return this.hanging.size;
  }

  requests(path: string): SeenRequest[] {
    return this.seen.filter((r) => r.path.split('?')[0] === path);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.inFlight++;
    const path = req.url ?? '/';
    const seen: SeenRequest = {
      path,
      headers: req.headers,
      at: this.now(),
      inFlight: this.inFlight,
    };
    this.seen.push(seen);
    for (const waiter of this.waiters.splice(0)) waiter();
    const queue = this.routes.get(path.split('?')[0] ?? path) ?? [];
    const answer = (queue.length > 1 ? queue.shift() : queue[0]) ?? {
      status: 404,
      body: 'no route',
    };
    const done = () => {
      this.inFlight--;
    };
    if (answer.hang) {
      this.hanging.add(res);
      res.on('close', () => {
        this.hanging.delete(res);
        done();
      });
      for (const waiter of this.hangWaiters.splice(0)) waiter(seen);
      return;
    }
    // Answer on the next turn so overlapping requests would be visible as in flight together.
    const reply = () => {
      if (res.destroyed) return done();
      res.writeHead(answer.status ?? 200, answer.headers ?? {});
      res.end(answer.body ?? '', done);
    };
    if (answer.release) void answer.release.then(reply);
    else setImmediate(reply);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
