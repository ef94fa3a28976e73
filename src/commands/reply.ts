import type { ErrorCode } from '../core/errors.js';
import type { Paper } from '../core/paper.js';
import type { Snippet } from '../core/search/types.js';

/**
 * What a command answers, platform-neutral. Text fields are plain text (no markup):
 * every renderer escapes and marks them up for its platform.
 */
export type Reply =
  | ListReply
  | DetailReply
  | ChoiceReply
  | DigestReply
  | StatusReply
  | NoticeReply
  | ErrorReply
  | AnswerReply;

export interface PaperLine {
  paper: Paper;
  snippet?: Snippet;
  /** Why the paper is here (digest: topic and matched terms). */
  why?: string;
}

/** Enough to re-run a paged command; adapters encode it in a button. */
export interface PageRequest {
  command: string;
  args: Record<string, string | number>;
  page: number;
}

export interface ListReply {
  kind: 'list';
  title: string;
  items: PaperLine[];
  page: number;
  pages: number;
  total: number;
  /** More match than `total` (search stopped counting): said as `2000+`, pages too. */
  totalCapped?: boolean;
  next?: PageRequest;
  prev?: PageRequest;
  /** What to say when `items` is empty. */
  emptyText?: string;
  /** One line under the title, e.g. how search relaxed the query to find anything. */
  note?: string;
}

/** A list's total and page count as told to users: `2000+` when the count stopped there. */
export function listCounts(reply: ListReply): { total: string; pages: string } {
  const more = reply.totalCapped ? '+' : '';
  return { total: `${reply.total}${more}`, pages: `${reply.pages}${more}` };
}

export interface DetailReply {
  kind: 'detail';
  paper: Paper;
}

export interface ChoiceReply {
  kind: 'choice';
  prompt: string;
  candidates: Paper[];
  /** The command each candidate runs when chosen, e.g. `show`. */
  command: string;
}

export interface DigestSection {
  /** `null` when the channel follows no topics. */
  topic: string | null;
  items: PaperLine[];
}

export interface DigestReply {
  kind: 'digest';
  /** Local day of the digest, `YYYY-MM-DD`. */
  date: string;
  title: string;
  sections: DigestSection[];
  /** Ledger id carried in the message (Discord embed footer, Slack metadata). */
  deliveryId?: string;
  /** Part number when a digest takes several messages (1-based). */
  part?: number;
  emptyText?: string;
}

export interface StatusReply {
  kind: 'status';
  papers: number;
  channels: number;
  sources: Array<{
    name: string;
    enabled: boolean;
    lastRunAt: string | null;
    lastSuccessAt: string | null;
    warning: string | null;
    /** Warnings of the last successful run (items skipped, fields not understood), when any. */
    lastRunWarnings?: number;
  }>;
  /** `at` is the UTC instant; `local` the same in the channel's zone: "2026-11-26 09:00 Europe/Berlin". */
  nextDigests: Array<{ channel: string; at: string; local: string }>;
  warnings: string[];
}

export interface NoticeReply {
  kind: 'notice';
  title?: string;
  lines: string[];
  /** Shown only to the user who asked (Discord ephemeral, Slack ephemeral). */
  ephemeral?: boolean;
}

export interface ErrorReply {
  kind: 'error';
  code: ErrorCode;
  message: string;
  /** Usage line of the subcommand, when the input was wrong. */
  usage?: string;
}

/** One sentence of an answer; `citations` are 1-based numbers into `AnswerReply.sources`. */
export interface AnswerLine {
  text: string;
  citations: number[];
}

/** `ask`: a cited answer, or a plain statement that the stored papers don't answer it. */
export interface AnswerReply {
  kind: 'answer';
  question: string;
  sentences: AnswerLine[];
  /** Citation `n` is `sources[n - 1]`. */
  sources: Paper[];
  /** Retrieved papers not cited, best first. */
  related: Paper[];
  /** One line each, shown before the answer: what retrieval relaxed, a model's fallback. */
  notes: string[];
  /** Who wrote the sentences: quoted from abstracts, or the named model. */
  source: { kind: 'abstracts' } | { kind: 'model'; model: string };
  /** Set when the stored papers don't answer it: a search to try instead. */
  unanswered?: { suggestion: string };
}

/** `, 3 warnings` after a source's last success when its last run had any; '' otherwise. */
export function runWarningsText(source: { lastRunWarnings?: number }): string {
  const n = source.lastRunWarnings ?? 0;
  return n > 0 ? `, ${n} ${n === 1 ? 'warning' : 'warnings'}` : '';
}
