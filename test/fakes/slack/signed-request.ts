import { createHmac } from 'node:crypto';

/** `v0=` + HMAC-SHA256(secret, `v0:${timestamp}:${body}`), as Slack signs requests. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  /** The Bolt receiver, e.g. `http://127.0.0.1:PORT/slack/events`. */
  url: string;
  signingSecret: string;
  /** Form body (already encoded). */
  body: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Replaces the computed signature (bad-signature tests). */
  signature?: string;
}

export interface SignedPostResult {
  status: number;
  body: string;
}

export async function signedPost(options: SignedPostOptions): Promise<SignedPostResult> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature =
    options.signature ?? slackSignature(options.signingSecret, timestamp, options.body);
  const res = await fetch(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
    body: options.body,
  });
  return { status: res.status, body: await res.text() };
}

export interface SlashCommandFields {
  text: string;
  teamId?: string;
  channelId?: string;
  userId?: string;
  userName?: string;
  responseUrl: string;
  triggerId?: string;
}

let triggerCounter = 0;

export function nextTriggerId(): string {
  triggerCounter += 1;
  return `${Date.now()}.${triggerCounter}.trigger`;
}

/** The payload Slack sends for `/papers <text>` (form fields, also the Socket Mode payload). */
export function slashCommandPayload(f: SlashCommandFields): Record<string, string> {
  return {
    token: 'verification-token-unused',
    team_id: f.teamId ?? 'T0001',
    team_domain: 'example',
    channel_id: f.channelId ?? 'C0001',
    channel_name: 'papers',
    user_id: f.userId ?? 'U0001',
    user_name: f.userName ?? 'ada',
    command: '/papers',
    text: f.text,
    api_app_id: 'A0001',
    is_enterprise_install: 'false',
    response_url: f.responseUrl,
    trigger_id: f.triggerId ?? nextTriggerId(),
  };
}

export function slashCommandBody(f: SlashCommandFields): string {
  return new URLSearchParams(slashCommandPayload(f)).toString();
}

export interface BlockActionFields {
  actionId: string;
  value: string;
  teamId?: string;
  channelId?: string;
  userId?: string;
  responseUrl: string;
  triggerId?: string;
}

/** The payload of a button press (`block_actions`). */
export function blockActionPayload(f: BlockActionFields): Record<string, unknown> {
  const teamId = f.teamId ?? 'T0001';
  return {
    type: 'block_actions',
    team: { id: teamId, domain: 'example' },
    user: { id: f.userId ?? 'U0001', username: 'ada', name: 'ada', team_id: teamId },
    api_app_id: 'A0001',
    token: 'verification-token-unused',
    container: {
      type: 'message',
      message_ts: '1700000000.000100',
      channel_id: f.channelId ?? 'C0001',
      is_ephemeral: true,
    },
    trigger_id: f.triggerId ?? nextTriggerId(),
    channel: { id: f.channelId ?? 'C0001', name: 'papers' },
    response_url: f.responseUrl,
    actions: [
      {
        action_id: f.actionId,
        block_id: 'b1',
        type: 'button',
        value: f.value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: '1700000001.000200',
      },
    ],
  };
}

export function blockActionBody(f: BlockActionFields): string {
  return new URLSearchParams({ payload: JSON.stringify(blockActionPayload(f)) }).toString();
}
