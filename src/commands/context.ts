import type { Config } from '../config.js';
import type { SimilarPapers } from '../core/answer/similar.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { PaperSearch } from '../core/search/types.js';
import type { PaperLookup } from '../core/sources/arxiv-lookup.js';
import type { AsyncStore } from '../core/store/async-store.js';
import type { ChannelRef } from '../core/store/store.js';
import type { CommandTurns } from './turns.js';

export interface CommandUser {
  id: string;
  name?: string;
  /** Supplied by the adapter: may this user change the channel's topics and schedule? */
  canManageChannel: boolean;
}

/** Everything a command handler may touch, passed in; handlers never import state. */
export interface CommandContext {
  store: AsyncStore;
  search: PaperSearch;
  /** `similar`: neighbours of a paper by the SQLite archive's term statistics; null on PostgreSQL. */
  similar: SimilarPapers | null;
  clock: Clock;
  config: Config;
  logger: Logger;
  channel: ChannelRef;
  user: CommandUser;
  /** How the platform names the permission needed to manage a channel, for refusals. */
  managePermission: string;
  /** Told about every answered command (metrics); optional so tests need not pass one. */
  observeCommand?: CommandObserver;
  /** HTTP for a configured model (`ask`); the global fetch when not given. */
  fetch?: typeof fetch;
  /** The model's timeout as a signal; `AbortSignal.timeout` when not given (tests abort on an event). */
  timeoutSignal?: (ms: number) => AbortSignal;
  /** Looks linked papers that are not stored up on arXiv; absent = no lookups (no network). */
  paperLookup?: PaperLookup;
  /** Shared by every command of a bot: each starts on its own turn of the event loop. */
  turns?: CommandTurns;
}

/** One answered command: its subcommand (`unknown` when none matched), `ok` or the error code, and how long it took. */
export interface CommandOutcome {
  subcommand: string;
  outcome: string;
  ms: number;
}

export type CommandObserver = (outcome: CommandOutcome) => void;
