import type { Clock } from '../clock.js';
import { PaperboyError } from '../errors.js';
import { EXPIRING_STATE } from '../expiring-state.js';
import { abortedError, type RequestGate } from './request-gate.js';
import { decodeResponseText } from './text-encoding.js';

export { RequestGate } from './request-gate.js';

/** What every fetcher is given: I/O and time come in, so tests never touch the network or wait. */
export interface HttpDeps {
  fetch: typeof fetch;
  clock: Clock;
  /** Waits `ms` of the injected clock; resolves early (without throwing) when `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1): the jitter of the backoff. */
  random: () => number;
  /** A signal that aborts after `ms`: injectable so a test can time out a request on an event. */
  timeoutSignal: (ms: number) => AbortSignal;
  userAgent: string;
}

export interface RequestPolicy {
  timeoutMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the run fails and the next poll tries again. */
  maxRetryAfterMs: number;
}

export const DEFAULT_POLICY: RequestPolicy = {
  timeoutMs: 30_000,
  maxAttempts: 4,
  baseDelayMs: 2_000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 5 * 60_000,
};

/** Validators remembered from the last successful response, for conditional requests. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

type Response200 = { kind: 'ok'; status: number; text: string; validators: Validators };
type Response304 = { kind: 'not-modified' };
export type HttpOutcome = (Response200 | Response304) & { attempts: number };

/** Real-time defaults; every caller may override. */
export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function paperboyUserAgent(version: string): string {
  return `Paperboy/${version} (+https://github.com/paperboy-bot/paperboy; research paper bot)`;
}

/** Seconds or an HTTP date, relative to the injected clock; `null` when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

/** Exponential backoff with jitter: half fixed, half random, so retries never bunch up. */
export function backoffDelay(attempt: number, policy: RequestPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

export interface GetOptions {
  url: string;
  /** For error messages and logs, e.g. "Hugging Face". */
  sourceLabel: string;
  validators?: Validators;
  accept?: string;
  policy?: RequestPolicy;
  gate?: RequestGate;
  /** Aborts waits and requests when Paperboy stops. */
  signal?: AbortSignal;
  /** Told about each retry, for the log and the run record. */
  onRetry?: (info: {
    attempt: number;
    status: number | null;
    delayMs: number;
    reason: string;
  }) => void;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

/**
 * GET with timeout, conditional validators, Retry-After on 429/503, backoff with jitter
 * on other transient failures. Throws PaperboyError SOURCE_HTTP or SOURCE_TIMEOUT once
 * retries are spent; the message names the source and status, never a header value.
 */
export async function politeGet(deps: HttpDeps, options: GetOptions): Promise<HttpOutcome> {
  const policy = options.policy ?? DEFAULT_POLICY;
  let lastError: PaperboyError | null = null;
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    if (options.signal?.aborted) throw abortedError();
    const single = () => attemptOnce(deps, options, policy);
    const result = await (options.gate ? options.gate.run(single, options.signal) : single());
    if (result.kind === 'done') return { ...result.outcome, attempts: attempt };
    lastError = result.error;
    if (!result.retry || attempt === policy.maxAttempts) break;
    let delayMs = backoffDelay(attempt, policy, deps.random);
    if (result.retryAfterMs !== null) {
      if (result.retryAfterMs > policy.maxRetryAfterMs) {
        lastError = new PaperboyError(
          'SOURCE_HTTP',
          `${options.sourceLabel} asked to wait ${Math.ceil(result.retryAfterMs / 1000)} s (HTTP ${result.status}); will try at the next poll.`,
        );
        break;
      }
      delayMs = Math.max(result.retryAfterMs, 0);
    }
    options.onRetry?.({ attempt, status: result.status, delayMs, reason: result.error.message });
    await deps.sleep(delayMs, options.signal);
  }
  throw lastError ?? new PaperboyError('SOURCE_HTTP', `${options.sourceLabel} failed.`);
}

type AttemptResult =
  | { kind: 'done'; outcome: Response200 | Response304 }
  | {
      kind: 'failed';
      error: PaperboyError;
      retry: boolean;
      status: number | null;
      retryAfterMs: number | null;
    };

async function attemptOnce(
  deps: HttpDeps,
  options: GetOptions,
  policy: RequestPolicy,
): Promise<AttemptResult> {
  const headers: Record<string, string> = {
    'user-agent': deps.userAgent,
    accept: options.accept ?? '*/*',
  };
  if (options.validators?.etag) headers['if-none-match'] = options.validators.etag;
  if (options.validators?.lastModified)
    headers['if-modified-since'] = options.validators.lastModified;
  const timeout = deps.timeoutSignal(policy.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    const response = await deps.fetch(options.url, { headers, signal, redirect: 'follow' });
    if (response.status === 304) {
      await response.body?.cancel();
      return { kind: 'done', outcome: { kind: 'not-modified' } };
    }
    if (response.ok) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      let text: string;
      try {
        text = decodeResponseText(bytes, response.headers.get('content-type'));
      } catch (error) {
        // The same bytes would come back: said once, not retried.
        const reason = error instanceof Error ? error.message : String(error);
        const message = `${options.sourceLabel} sent text Paperboy cannot read: ${reason}`;
        const failure = new PaperboyError('FEED_MALFORMED', message, { cause: error });
        return {
          kind: 'failed',
          error: failure,
          retry: false,
          status: response.status,
          retryAfterMs: null,
        };
      }
      const validators: Validators = {};
      const etag = response.headers.get('etag');
      const lastModified = response.headers.get('last-modified');
      if (etag) validators.etag = etag;
      if (lastModified) validators.lastModified = lastModified;
      return { kind: 'done', outcome: { kind: 'ok', status: response.status, text, validators } };
    }
    await response.body?.cancel();
    const retryAfterMs =
      response.status === 429 || response.status === 503
        ? parseRetryAfter(response.headers.get('retry-after'), deps.clock.now())
        : null;
    return {
      kind: 'failed',
      error: new PaperboyError(
        'SOURCE_HTTP',
        `${options.sourceLabel} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
      ),
      retry: RETRY_STATUSES.has(response.status),
      status: response.status,
      retryAfterMs,
    };
  } catch (error) {
    if (options.signal?.aborted)
      return {
        kind: 'failed',
        error: abortedError(),
        retry: false,
        status: null,
        retryAfterMs: null,
      };
    const timedOut = timeout.aborted;
    // No `cause`: the message already says why, and a logged cause chain would repeat it
    // ("… (fetch failed).: fetch failed: bad port").
    return {
      kind: 'failed',
      error: timedOut
        ? new PaperboyError(
            'SOURCE_TIMEOUT',
            `${options.sourceLabel} did not answer within ${Math.round(policy.timeoutMs / 1000)} s.`,
          )
        : new PaperboyError(
            'SOURCE_HTTP',
            `${options.sourceLabel} could not be reached (${networkReason(error)}).`,
          ),
      retry: true,
      status: null,
      retryAfterMs: null,
    };
  }
}

/**
 * The useful words of a failed fetch: undici throws a generic "fetch failed" whose
 * `cause` (sometimes an AggregateError with no message) holds the real reason.
 */
export function networkReason(error: unknown): string {
  let reason = '';
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    const message = current.message.trim().replace(/[.:;,\s]+$/, '');
    if (message && message !== 'fetch failed') reason = message;
    else if (!reason && typeof code === 'string') reason = code;
    current = current.cause;
  }
  return reason || 'network error';
}

/** Conditional-request validators live in the store's keyed state, per URL. */
export function validatorsKey(source: string, url: string): string {
  return `${EXPIRING_STATE.httpValidators}${source}:${url}`;
}

export async function readValidators(
  store: { getState(key: string): Promise<string | null> },
  key: string,
): Promise<Validators | undefined> {
  const raw = await store.getState(key);
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Validators;
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    // A damaged entry only costs one unconditional request.
    return undefined;
  }
}
