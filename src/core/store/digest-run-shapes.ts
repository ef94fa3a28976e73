import type {
  ChannelRef,
  DigestCandidate,
  DigestPart,
  DigestPosting,
  DigestRun,
  DigestRunChange,
  DigestRunState,
  NewDigestRun,
} from './store.js';

// The digest tables' row shapes and SQL pieces, shared by the SQLite and PostgreSQL stores.

/** A `digest_runs` row as both stores read it (the PostgreSQL store shares these shapes). */
export interface RunRow {
  id: string;
  platform: ChannelRef['platform'];
  workspace: string;
  channel: string;
  digest_date: string;
  window_from: string;
  window_to: string;
  paper_ids: string;
  note: string | null;
  state: DigestRunState;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
}

export interface PartRow {
  delivery_id: string;
  run_id: string;
  part: number;
  plan: string;
  message_id: string | null;
}

export interface CandidateRow {
  id: string;
  upvotes: number | null;
  first_seen_at: string;
  published_at: string | null;
}

/** A row of the digest postings query (both stores). */
export interface PostingRow {
  platform: ChannelRef['platform'];
  workspace: string;
  channel: string;
  digest_date: string;
}

export function postingFromRow(row: PostingRow): DigestPosting {
  return {
    channel: { platform: row.platform, workspace: row.workspace, channel: row.channel },
    digestDate: row.digest_date,
  };
}

export function candidateFromRow(row: CandidateRow): DigestCandidate {
  return {
    id: row.id,
    upvotes: row.upvotes,
    firstSeenAt: row.first_seen_at,
    publishedAt: row.published_at,
  };
}

/** The values of `INSERT INTO digest_runs (id … created_at)`, in the order both stores list the columns. */
export function runInsertValues(run: NewDigestRun): Array<string | null> {
  return [
    run.id,
    run.channel.platform,
    run.channel.workspace,
    run.channel.channel,
    run.digestDate,
    run.from,
    run.to,
    JSON.stringify(run.paperIds),
    run.note,
    run.state,
    run.createdAt,
  ];
}

/** The `state` key holding the end of the latest digest window whose papers were read. */
export const DIGEST_WINDOW_END_KEY = 'digest-window-end';

/**
 * A new paper's first-seen stamp: the writer's `now`, or just after the latest digest window
 * already closed (read) when that is later. Taken inside the paper write transaction: a
 * paper that waited for the write lock, or whose writer's clock runs behind, falls into the
 * next window instead of between two windows (stamped inside one that was read without it).
 */
export function firstSeenStamp(now: string, windowEnd: string | null | undefined): string {
  if (!windowEnd || windowEnd < now) return now;
  return new Date(new Date(windowEnd).getTime() + 1).toISOString();
}

export const OPEN = "state IN ('planned', 'posting', 'retrying')";
export const CHANGE_COLUMNS = {
  state: 'state',
  attempts: 'attempts',
  nextAttemptAt: 'next_attempt_at',
  lastError: 'last_error',
  paperIds: 'paper_ids',
} as const satisfies Record<keyof DigestRunChange, string>;

/** A run from its row and its parts' rows (in part order). */
export function runFromRow(row: RunRow, parts: readonly PartRow[]): DigestRun {
  return {
    id: row.id,
    channel: { platform: row.platform, workspace: row.workspace, channel: row.channel },
    digestDate: row.digest_date,
    from: row.window_from,
    to: row.window_to,
    paperIds: JSON.parse(row.paper_ids) as string[],
    note: row.note,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    parts: parts.map(
      (p): DigestPart => ({
        deliveryId: p.delivery_id,
        part: p.part,
        plan: p.plan,
        messageId: p.message_id,
      }),
    ),
  };
}
