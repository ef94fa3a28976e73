import type { ChannelState, PostedMessage } from './fake-slack.js';

// Reading a channel back as Slack's conversations.* methods do, over the fake's messages.

/** A message timestamp (`seconds.micros`, as Slack writes it) in microseconds, exactly. */
function tsMicros(ts: string): bigint {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return BigInt(seconds) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
}

/** A message as Slack lists it (by the bot), with its metadata only when asked for. */
function listed(
  m: PostedMessage,
  botUserId: string,
  withMetadata: boolean,
): Record<string, unknown> {
  const { metadata, ...rest } = m;
  return {
    type: 'message',
    user: botUserId,
    bot_id: 'BBOT',
    ...rest,
    ...(withMetadata && metadata ? { metadata } : {}),
  };
}

/** One page of a listing, as Slack pages: `limit` items from `cursor`, the next cursor or ''. */
function cursorPage(all: unknown[], p: Record<string, unknown>, defaultLimit: number) {
  const limit = Number(p.limit ?? defaultLimit);
  const start = Number(p.cursor ?? 0);
  const more = start + limit < all.length;
  return {
    ok: true,
    messages: all.slice(start, start + limit),
    has_more: more,
    response_metadata: { next_cursor: more ? String(start + limit) : '' },
  };
}

/**
 * Like Slack's conversations.replies: the parent first (with `thread_ts` and `reply_count`
 * once it has replies), then its replies oldest first, cursor-paginated; `thread_not_found`
 * for a ts that is no message of the channel.
 */
export function conversationReplies(
  messages: readonly PostedMessage[],
  botUserId: string,
  p: Record<string, unknown>,
  state: ChannelState = 'ok',
): Record<string, unknown> {
  const channel = String(p.channel);
  if (state !== 'ok') return { ok: false, error: state };
  const ts = String(p.ts ?? '');
  const parent = messages.find((m) => m.channel === channel && m.ts === ts && !m.ephemeral);
  if (!parent) return { ok: false, error: 'thread_not_found' };
  const withMetadata = p.include_all_metadata === 'true' || p.include_all_metadata === true;
  const replies = messages.filter(
    (m) => m.channel === channel && m.thread_ts === ts && m.ts !== ts && !m.ephemeral,
  );
  const head = {
    ...listed(parent, botUserId, withMetadata),
    ...(replies.length > 0 ? { thread_ts: ts, reply_count: replies.length } : {}),
  };
  const all = [
    head,
    ...replies.map((m) => ({ ...listed(m, botUserId, withMetadata), parent_user_id: botUserId })),
  ];
  return cursorPage(all, p, 1000);
}

/** Like Slack's conversations.history, cursor-paginated. */
export function conversationHistory(
  messages: readonly PostedMessage[],
  botUserId: string,
  p: Record<string, unknown>,
  state: ChannelState = 'ok',
): Record<string, unknown> {
  const channel = String(p.channel);
  if (state !== 'ok') return { ok: false, error: state };
  const withMetadata = p.include_all_metadata === 'true' || p.include_all_metadata === true;
  // Like Slack: only messages after `oldest` and before `latest` (default: now, which no
  // message is past), the bounds themselves only when `inclusive`.
  const inclusive = p.inclusive === 'true' || p.inclusive === true;
  const oldest = tsMicros(String(p.oldest ?? '0'));
  const latest = p.latest === undefined ? null : tsMicros(String(p.latest));
  const inWindow = (ts: string) => {
    const at = tsMicros(ts);
    if (inclusive ? at < oldest : at <= oldest) return false;
    return latest === null || (inclusive ? at <= latest : at < latest);
  };
  // Like Slack: top-level messages only (no thread replies), newest first.
  const all = messages
    .filter((m) => m.channel === channel && !m.ephemeral && !m.thread_ts && inWindow(m.ts))
    .reverse();
  return cursorPage(
    all.map((m) => listed(m, botUserId, withMetadata)),
    p,
    100,
  );
}
