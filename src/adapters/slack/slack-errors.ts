/** Slack answers that mean the channel refuses the bot for good, with the reason we record. */
const CHANNEL_REFUSALS: Record<string, string> = {
  not_in_channel: 'the app is not in the channel: invite it with /invite @Paperboy',
  is_archived: 'the channel is archived',
  channel_not_found: 'the channel does not exist or the app cannot see it',
  restricted_action: 'the workspace does not let the app post there',
  restricted_action_read_only_channel: 'the channel is read-only',
  restricted_action_thread_only_channel: 'the channel only allows thread replies',
  team_access_not_granted: 'the app is not granted access to this workspace',
};

/** Slack answers that mean this message will never be accepted (its content is at fault). */
const MESSAGE_REJECTIONS: Record<string, string> = {
  invalid_blocks: 'Slack found the blocks invalid',
  invalid_blocks_format: 'Slack found the blocks malformed',
  msg_too_long: 'the message is too long for Slack',
  no_text: 'the message has no text',
  too_many_attachments: 'the message has too many attachments',
  invalid_metadata_format: 'Slack found the message metadata malformed',
  invalid_metadata_schema: 'Slack found the message metadata invalid',
  metadata_too_large: 'the message metadata is too large',
};

interface WebApiErrorShape {
  code?: string;
  data?: { error?: string };
  statusCode?: number;
  message?: string;
}

/** The Slack error string of a Web API platform error (`not_in_channel`…), if any. */
export function slackErrorCode(error: unknown): string | null {
  const e = error as WebApiErrorShape;
  return e?.code === 'slack_webapi_platform_error' && e.data?.error ? e.data.error : null;
}

export function channelRefusal(error: unknown): { code: string; reason: string } | null {
  const code = slackErrorCode(error);
  if (!code || !(code in CHANNEL_REFUSALS)) return null;
  return { code, reason: `${CHANNEL_REFUSALS[code]} (${code})` };
}

export function messageRejection(error: unknown): { code: string; reason: string } | null {
  const code = slackErrorCode(error);
  if (!code || !(code in MESSAGE_REJECTIONS)) return null;
  return { code, reason: `${MESSAGE_REJECTIONS[code]} (${code})` };
}

/**
 * The wait Slack asked for on a 429, in ms: the Web API's rate-limited error carries
 * `retryAfter` (seconds); when the WebClient waited and retried itself, its last error says
 * "A rate limit was exceeded (url: …, retry-after: N)".
 */
export function slackRetryAfterMs(error: unknown): number | null {
  const e = error as { code?: string; retryAfter?: unknown; message?: unknown };
  if (e?.code === 'slack_webapi_rate_limited_error' && typeof e.retryAfter === 'number')
    return Math.max(0, e.retryAfter) * 1000;
  const said = typeof e?.message === 'string' ? /retry-after: (\d+)\)/.exec(e.message) : null;
  return said ? Number(said[1]) * 1000 : null;
}

/** A short, secret-free description for logs and POST_FAILED messages. */
export function describeSlackError(error: unknown): string {
  const e = error as WebApiErrorShape;
  if (e?.code === 'slack_webapi_http_error') return `HTTP ${e.statusCode ?? '?'}`;
  const code = slackErrorCode(error);
  if (code) return code;
  if (e?.code === 'slack_webapi_request_error') return 'request failed (network)';
  if (e?.message?.startsWith('A rate limit was exceeded')) return 'rate limited';
  return e?.code ?? 'unknown error';
}
