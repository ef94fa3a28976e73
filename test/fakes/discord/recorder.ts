import { EventEmitter } from 'node:events';

/** Request and message bodies: arbitrary JSON that tests inspect field by field. */
// biome-ignore lint/suspicious/noExplicitAny: JSON from the wire, asserted on by tests.
export type Json = any;

export interface RecordedRequest {
  method: string;
  /** Path after `/api/v10`, percent-decoded (`/webhooks/1/tok/messages/@original`). */
  path: string;
  query: URLSearchParams;
  body: Json;
  hasAuthorization: boolean;
  status: number;
  at: number;
}

export interface FailureRule {
  method?: string;
  path: RegExp;
  status: 400 | 401 | 429 | 403 | 404 | 500;
  /** How many matching requests fail (default 1; Infinity for a channel that always refuses). */
  times?: number;
  /** Seconds, for 429. */
  retryAfter?: number;
}

/** Every request the fake saw, programmable failures, and event-driven waiting. */
export class RequestRecorder {
  readonly requests: RecordedRequest[] = [];
  private readonly events = new EventEmitter();
  private readonly rules: Array<FailureRule & { left: number }> = [];

  constructor() {
    this.events.setMaxListeners(100);
  }

  record(request: RecordedRequest): void {
    this.requests.push(request);
    this.events.emit('request', request);
  }

  fail(rule: FailureRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  clearFailures(): void {
    this.rules.length = 0;
  }

  /** The failure this request gets, if any (consumes one use of the rule). */
  takeFailure(method: string, path: string): FailureRule | null {
    const rule = this.rules.find(
      (r) => r.left > 0 && (!r.method || r.method === method) && r.path.test(path),
    );
    if (!rule) return null;
    rule.left -= 1;
    return rule;
  }

  /** Resolves with the first recorded request (past or future) matching, or rejects after timeoutMs. */
  waitFor(
    predicate: (r: RecordedRequest) => boolean,
    timeoutMs = 5000,
    what = 'request',
  ): Promise<RecordedRequest> {
    const existing = this.requests.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const onRequest = (r: RecordedRequest) => {
        if (!predicate(r)) return;
        clearTimeout(timer);
        this.events.off('request', onRequest);
        resolve(r);
      };
      const timer = setTimeout(() => {
        this.events.off('request', onRequest);
        const seen = this.requests.map((r) => `${r.method} ${r.path} ${r.status}`).join('\n  ');
        reject(new Error(`fake Discord: no ${what} within ${timeoutMs} ms; saw:\n  ${seen}`));
      }, timeoutMs);
      this.events.on('request', onRequest);
    });
  }

  /** Waits until `count` requests match. */
  async waitForCount(
    predicate: (r: RecordedRequest) => boolean,
    count: number,
    timeoutMs = 5000,
  ): Promise<RecordedRequest[]> {
    let seen = 0;
    await this.waitFor((r) => predicate(r) && ++seen >= count, timeoutMs, `${count} requests`);
    // waitFor's scan of past requests counts too, so recount from the list.
    return this.requests.filter(predicate);
  }
}
