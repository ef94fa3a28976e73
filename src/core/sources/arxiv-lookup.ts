import { EXPIRING_STATE } from '../expiring-state.js';
import type { Logger } from '../logger.js';
import type { Paper } from '../paper.js';
import type { AsyncStore } from '../store/async-store.js';
import { asStoreFault, isDatabaseError } from '../store/store-fault.js';
import { type HttpDeps, politeGet, type RequestGate, type RequestPolicy } from './http.js';
import { parseArxivAtom } from './parse-arxiv-atom.js';

/**
 * How a paper stored by a lookup is marked in its sources: it came because someone linked it,
 * not because a feed listed it, so a digest never announces it (until a feed lists it too).
 */
export const ARXIV_LOOKUP_SOURCE = 'arxiv-lookup';

/** An id arXiv does not know is not asked about again for a day (a new id appears next day). */
export const UNKNOWN_ID_TTL_MS = 24 * 60 * 60 * 1000;

/** Lookups waiting for the gate at once; more are refused, so a burst of links never starves the feeds. */
export const MAX_PENDING_LOOKUPS = 4;

/** Someone is waiting for the card: one attempt, a short timeout, no long Retry-After waits. */
export const LOOKUP_POLICY: RequestPolicy = {
  timeoutMs: 10_000,
  maxAttempts: 1,
  baseDelayMs: 0,
  maxDelayMs: 0,
  maxRetryAfterMs: 0,
};

export type LookupOutcome =
  | { kind: 'found'; paper: Paper }
  /** arXiv has no paper with this id (remembered for UNKNOWN_ID_TTL_MS). */
  | { kind: 'unknown' }
  /** Timeout, HTTP error, unreadable answer or too many lookups at once: logged, not remembered. */
  | { kind: 'failed' };

export interface PaperLookupDeps {
  http: HttpDeps;
  /** The process's one arXiv gate, shared with the live fetchers (one request at a time, 3 s apart). */
  gate: RequestGate;
  store: AsyncStore;
  logger: Logger;
  /** `sources.arxiv.apiBaseUrl`, e.g. `http://export.arxiv.org/api/query`. */
  apiBaseUrl: string;
  policy?: RequestPolicy;
}

export function arxivIdListUrl(apiBaseUrl: string, id: string): string {
  return `${apiBaseUrl}?${new URLSearchParams({ id_list: id, max_results: '1' }).toString()}`;
}

/**
 * Papers linked in chat that are not stored are looked up once through the arXiv API and
 * stored; the same id linked again (or while its lookup runs) makes no second request.
 */
export class PaperLookup {
  private readonly pending = new Map<string, Promise<LookupOutcome>>();

  constructor(private readonly deps: PaperLookupDeps) {}

  /** The stored paper with this arXiv id (without version), looked up when not stored yet. */
  async find(arxivId: string): Promise<LookupOutcome> {
    const stored = await this.deps.store.getPaper(arxivId);
    if (stored) return Promise.resolve({ kind: 'found', paper: stored });
    if (await this.knownUnknown(arxivId)) return Promise.resolve({ kind: 'unknown' });
    const running = this.pending.get(arxivId);
    if (running) return running;
    if (this.pending.size >= MAX_PENDING_LOOKUPS) {
      this.deps.logger.warn(
        { arxivId, pending: this.pending.size },
        'arXiv lookup skipped: too many lookups waiting',
      );
      return Promise.resolve({ kind: 'failed' });
    }
    const lookup = this.fetchAndStore(arxivId).finally(() => this.pending.delete(arxivId));
    this.pending.set(arxivId, lookup);
    return lookup;
  }

  private unknownKey(arxivId: string): string {
    return `${EXPIRING_STATE.arxivUnknown}${arxivId}`;
  }

  private async knownUnknown(arxivId: string): Promise<boolean> {
    const at = await this.deps.store.getState(this.unknownKey(arxivId));
    if (at === null) return false;
    return this.deps.http.clock.now().getTime() - Date.parse(at) < UNKNOWN_ID_TTL_MS;
  }

  private async fetchAndStore(arxivId: string): Promise<LookupOutcome> {
    const { http, store, logger } = this.deps;
    try {
      const outcome = await politeGet(http, {
        url: arxivIdListUrl(this.deps.apiBaseUrl, arxivId),
        sourceLabel: 'arXiv API',
        accept: 'application/atom+xml',
        gate: this.deps.gate,
        policy: this.deps.policy ?? LOOKUP_POLICY,
      });
      if (outcome.kind !== 'ok') throw new Error('arXiv API answered 304 to a lookup');
      const now = http.clock.now();
      const parsed = parseArxivAtom(outcome.text, { fetchedAt: now.toISOString() });
      const record = parsed.papers.find((p) => p.arxivId === arxivId);
      if (!record) {
        await store.putState(this.unknownKey(arxivId), now.toISOString(), now);
        logger.info({ arxivId }, 'arXiv has no paper with this id');
        return { kind: 'unknown' };
      }
      await store.upsertPapers([{ ...record, source: ARXIV_LOOKUP_SOURCE }], now);
      const paper = await store.getPaper(arxivId);
      if (!paper) throw new Error(`the looked-up paper ${arxivId} was not stored`);
      logger.info({ arxivId }, 'looked up a linked paper on arXiv and stored it');
      return { kind: 'found', paper };
    } catch (error) {
      // The store failing is not arXiv failing: the caller answers it as the store fault it is.
      if (isDatabaseError(error)) throw asStoreFault(error);
      logger.warn({ err: error, arxivId }, 'arXiv lookup of a linked paper failed');
      return { kind: 'failed' };
    }
  }
}
