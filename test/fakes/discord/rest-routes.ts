import type { FakeDiscord } from './fake-discord.js';
import {
  CHANNEL_TYPES,
  channelPayload,
  type FakeChannel,
  messagePayload,
  nextSnowflake,
} from './payloads.js';
import type { Json } from './recorder.js';

export const FAILURE_BODIES = {
  // Discord's documented shape: a code, a message, and the fields at fault.
  400: {
    message: 'Invalid Form Body',
    code: 50035,
    errors: {
      embeds: {
        '0': {
          description: {
            _errors: [
              { code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 4096 or fewer in length.' },
            ],
          },
        },
      },
    },
  },
  401: { message: '401: Unauthorized', code: 0 },
  403: { message: 'Missing Permissions', code: 50013 },
  404: { message: 'Unknown Channel', code: 10003 },
  500: { message: '500: Internal Server Error', code: 0 },
} as const;

export interface RestResponse {
  status: number;
  payload?: unknown;
}

const ok = (payload?: unknown, status = 200): RestResponse => ({ status, payload });
const notFound = (method: string, path: string): RestResponse => ({
  status: 404,
  payload: { message: `fake Discord: no route ${method} ${path}`, code: 0 },
});

function commands(
  fake: FakeDiscord,
  method: string,
  scope: string,
  guildId: string | undefined,
  body: Json,
) {
  if (method === 'GET') return ok(fake.commands.get(scope) ?? []);
  if (method !== 'PUT') return null;
  const saved = (body as Array<Record<string, unknown>>).map((c) => ({
    id: nextSnowflake(),
    application_id: fake.applicationId,
    version: nextSnowflake(),
    default_member_permissions: null,
    type: 1,
    nsfw: false,
    ...(guildId ? { guild_id: guildId } : {}),
    ...c,
  }));
  fake.commands.set(scope, saved);
  return ok(saved);
}

function channelRoute(
  fake: FakeDiscord,
  method: string,
  channel: FakeChannel,
  rest: string,
  query: URLSearchParams,
  body: Json,
): RestResponse {
  const canHoldMessages = channel.type !== CHANNEL_TYPES.forum;
  if (rest === '' && method === 'GET') return ok(channelPayload(channel));
  if (rest === '/messages' && method === 'POST' && canHoldMessages) {
    // enforce_nonce: the same nonce again returns the first message instead of a new one.
    const same = body?.enforce_nonce
      ? fake.messages(channel.id).find((x) => body.nonce !== undefined && x.nonce === body.nonce)
      : undefined;
    return ok(same ?? fake.storeMessage(channel.id, body));
  }
  if (rest === '/messages' && method === 'GET' && canHoldMessages) {
    // Like Discord: newest first, at most 100, `before` a message id pages back.
    const limit = Math.min(Number(query.get('limit') ?? 50), 100);
    const before = query.get('before');
    const older = before
      ? fake.messages(channel.id).filter((m) => BigInt(String(m.id)) < BigInt(before))
      : fake.messages(channel.id);
    return ok([...older].reverse().slice(0, limit));
  }
  const crosspost = /^\/messages\/(\d+)\/crosspost$/.exec(rest);
  if (crosspost && method === 'POST') {
    const message = fake.messages(channel.id).find((x) => x.id === crosspost[1]);
    if (!message || channel.type !== CHANNEL_TYPES.announcement) {
      return { status: 404, payload: { message: 'Unknown Message', code: 10008 } };
    }
    message.flags = 1;
    return ok(message);
  }
  const fromMessage = /^\/messages\/(\d+)\/threads$/.exec(rest);
  if (fromMessage && method === 'POST') {
    return ok(channelPayload(fake.createThread(channel.id, body.name, fromMessage[1])), 201);
  }
  if (rest === '/threads' && method === 'POST') {
    const thread = fake.createThread(channel.id, body.name);
    if (channel.type !== CHANNEL_TYPES.forum) return ok(channelPayload(thread), 201);
    // A forum post's starter message has the thread's id.
    const starter = messagePayload(thread.id, thread.id, fake.bot, body.message ?? {});
    fake.setMessages(thread.id, [starter]);
    return ok({ ...channelPayload(thread), message: starter }, 201);
  }
  return notFound(method, `/channels/${channel.id}${rest}`);
}

interface SentEmbed {
  title?: string;
  description?: string;
  footer?: { text?: string };
  author?: { name?: string };
  fields?: Array<{ name?: string; value?: string }>;
}

/** Characters Discord counts against one message's 6,000 across all its embeds. */
function embedCharacters(embeds: SentEmbed[]): number {
  let n = 0;
  for (const e of embeds) {
    n += (e.title ?? '').length + (e.description ?? '').length;
    n += (e.footer?.text ?? '').length + (e.author?.name ?? '').length;
    for (const f of e.fields ?? []) n += (f.name ?? '').length + (f.value ?? '').length;
  }
  return n;
}

/** Like Discord, a message whose embeds total over 6,000 characters is refused whole. */
function embedsTooLong(method: string, body: Json): RestResponse | null {
  if (method !== 'POST' && method !== 'PATCH') return null;
  const embeds = (body?.embeds ?? body?.data?.embeds) as SentEmbed[] | undefined;
  if (!Array.isArray(embeds) || embedCharacters(embeds) <= 6000) return null;
  return {
    status: 400,
    payload: {
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        embeds: {
          _errors: [
            { code: 'BASE_TYPE_MAX_LENGTH', message: 'Embed size exceeds maximum size of 6000' },
          ],
        },
      },
    },
  };
}

/** Discord's REST API, as far as Paperboy uses it (paths relative to /api/v10). */
export function routeRest(
  fake: FakeDiscord,
  method: string,
  path: string,
  query: URLSearchParams,
  body: Json,
): RestResponse {
  const refused = embedsTooLong(method, body);
  if (refused) return refused;
  if (method === 'GET' && path === '/gateway/bot') {
    return ok({
      url: `ws://127.0.0.1:${fake.port}`,
      shards: fake.recommendedShards,
      session_start_limit: {
        total: 1000,
        remaining: 1000,
        reset_after: 0,
        max_concurrency: fake.maxConcurrency,
      },
    });
  }
  if (method === 'GET' && path === '/users/@me') return ok(fake.bot);
  const command = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path);
  if (command) {
    const answer = commands(fake, method, command[2] ?? 'global', command[2], body);
    if (answer) return answer;
  }
  if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path))
    return ok(undefined, 204);
  const webhook = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/.exec(path);
  if (webhook) {
    const key = `webhook:${webhook[2]}`;
    if (method === 'POST' || method === 'PATCH')
      return ok(fake.storeMessage(key, body, webhook[1]));
    if (method === 'DELETE') return ok(undefined, 204);
    if (method === 'GET') return ok(fake.messages(key).at(-1) ?? {});
  }
  const channel = /^\/channels\/(\d+)(\/.*)?$/.exec(path);
  if (channel) {
    const found = fake.channel(channel[1] as string);
    if (!found) return { status: 404, payload: FAILURE_BODIES[404] };
    return channelRoute(fake, method, found, channel[2] ?? '', query, body);
  }
  const threads = /^\/guilds\/(\d+)\/threads\/active$/.exec(path);
  if (threads && method === 'GET') {
    const active = [...fake.channelById.values()]
      .filter((c) => c.type === CHANNEL_TYPES.publicThread && c.guild_id === threads[1])
      .map(channelPayload);
    return ok({ threads: active, members: [] });
  }
  return notFound(method, path);
}
