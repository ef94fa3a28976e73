import { isIP } from 'node:net';
import { z } from 'zod';
import { connectionUrlProblem } from '../core/store/postgres/connection-url.js';
import { parseDiscordShards } from '../discord-shards.js';

// What config/*.json and the environment may hold: every setting's shape and its message.

const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM (24-hour), e.g. "09:00"');

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A whole number within inclusive bounds, with one message for every way to miss them. */
function wholeNumber(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

const timeZone = z
  .string()
  .refine(isValidTimeZone, 'must be an IANA time zone such as "Europe/Berlin" or "UTC"');
/** The URL, or null when the text is not one (the schema's own URL check names that case). */
function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** A user name or password in a URL: fetch refuses such URLs, quoting them whole in its error. */
function hasCredentials(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && (parsed.username !== '' || parsed.password !== '');
}
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .refine(
    (url) => !hasCredentials(url),
    'must not hold a user name or password (user:password@); an API key goes in its environment variable',
  );

const port = z.coerce
  .number({ error: 'must be a port number (0-65535)' })
  .int('must be a port number (0-65535)')
  .min(0, 'must be a port number (0-65535)')
  .max(65535, 'must be a port number (0-65535)');

export const fileSchema = z
  .object({
    sources: z.strictObject({
      huggingface: z.strictObject({
        enabled: z.boolean(),
        baseUrl: httpUrl,
        pollMinutes: wholeNumber(1, 1440),
      }),
      arxiv: z.strictObject({
        enabled: z.boolean(),
        rssBaseUrl: httpUrl,
        apiBaseUrl: httpUrl,
        categories: z.array(
          z.string().regex(/^[a-z-]+(\.[A-Za-z-]+)?$/, 'must be an arXiv category such as "cs.RO"'),
        ),
        pollMinutes: wholeNumber(1, 1440),
      }),
    }),
    digest: z.strictObject({
      time: hhmm,
      timeZone,
      days: z.enum(['every', 'weekdays']),
      size: wholeNumber(1, 50),
      perTopic: wholeNumber(1, 50),
      postWhenEmpty: z.boolean(),
      /** Papers dated (feed listing or publication, the later) longer ago are never news. */
      maxAgeDays: wholeNumber(1, 365),
      /** Consecutive refused days before a channel's digest is paused. */
      disableAfterDays: wholeNumber(1, 365),
    }),
    health: z.strictObject({
      /** `platform:workspace:channel`, e.g. `discord:123:456`. */
      adminChannel: z
        .string()
        .regex(
          /^(discord|slack|shell):[^:]+:[^:]+$/,
          'must look like "discord:<guild id>:<channel id>"',
        )
        .nullable(),
    }),
    slack: z.strictObject({
      manage: z.enum(['anyone', 'admins']),
      adminUserIds: z.array(z.string()),
      digestAsThread: z.boolean(),
    }),
    discord: z.strictObject({
      digestAsThread: z.boolean(),
      crosspost: z.boolean(),
    }),
    /** An OpenAI-compatible chat-completions endpoint for `ask`; absent = extractive answers only. */
    llm: z
      .strictObject({
        baseUrl: httpUrl,
        model: z.string().min(1, 'must name a model, e.g. "llama3.1:8b"'),
        timeoutMs: wholeNumber(100, 120_000).default(15_000),
      })
      .optional(),
    log: z.strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    }),
  })
  .strict();

export const envSchema = z.object({
  PAPERBOY_DATA_DIR: z.string().min(1).optional(),
  PAPERBOY_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .optional(),
  DISCORD_TOKEN: z
    .string()
    .regex(
      /^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$/,
      'is not a Discord bot token (three dot-separated parts): copy it again from the Developer Portal, Bot → Reset Token',
    )
    .optional(),
  DISCORD_APPLICATION_ID: z.string().regex(/^\d+$/, 'must be a numeric application id').optional(),
  DISCORD_GUILD_ID: z.string().regex(/^\d+$/, 'must be a numeric guild id').optional(),
  DISCORD_API_URL: httpUrl.optional(),
  DISCORD_PUBLIC_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be the 64-hex-digit public key from the developer portal')
    .optional(),
  DISCORD_INTERACTIONS_PORT: port.optional(),
  PAPERBOY_DISCORD_SHARDS: z
    .string()
    .transform((text, ctx) => {
      const parsed = parseDiscordShards(text);
      if (parsed.ok) return parsed.shards;
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    })
    .optional(),
  SLACK_BOT_TOKEN: z
    .string()
    .startsWith(
      'xoxb-',
      'is not a Slack bot token (xoxb-…): copy the Bot User OAuth Token from OAuth & Permissions',
    )
    .optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z
    .string()
    .startsWith(
      'xapp-',
      'is not a Slack app-level token (xapp-…): create one under Basic Information → App-Level Tokens',
    )
    .optional(),
  SLACK_API_URL: httpUrl.optional(),
  PAPERBOY_METRICS_PORT: port.optional(),
  PAPERBOY_METRICS_HOST: z
    .string()
    .refine(
      (host) => isIP(host) !== 0,
      'must be an IP address to listen on: 127.0.0.1 (this machine only, the default), 0.0.0.0 (every interface, e.g. in a container) or one address of this machine',
    )
    .optional(),
  PAPERBOY_LLM_API_KEY: z.string().min(1).optional(),
  PAPERBOY_DATABASE_URL: z
    .string()
    // A stray space from a copied .env line: WHATWG URL would trim it, pg would not.
    .trim()
    .superRefine((text, ctx) => {
      const problem = connectionUrlProblem(text);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  PORT: port.optional(),
});

export type FileConfig = z.infer<typeof fileSchema>;
