import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { PaperboyError } from './core/errors.js';
import { scrubSecretShapes } from './core/secret-text.js';
import { connectionUrlProblem } from './core/store/postgres/connection-url.js';
import { type DiscordShards, ONE_SHARD, parseDiscordShards } from './discord-shards.js';

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

const fileSchema = z
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

const envSchema = z.object({
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

export interface DiscordSecrets {
  token: string;
  applicationId: string;
  guildId: string | null;
  apiUrl: string | null;
}

/** Discord over HTTP (the Interactions Endpoint URL) instead of the gateway. */
export interface DiscordInteractionsConfig {
  /** The application's Ed25519 public key, 64 hex digits (not a secret). */
  publicKey: string;
  port: number;
}

export interface SlackSecrets {
  botToken: string;
  signingSecret: string | null;
  appToken: string | null;
  apiUrl: string | null;
  port: number;
}

export interface LlmSettings {
  baseUrl: string;
  model: string;
  timeoutMs: number;
  /** From `PAPERBOY_LLM_API_KEY`; `null` for a local server that needs none. */
  apiKey: string | null;
}

export interface Config extends Omit<FileConfig, 'llm'> {
  dataDir: string;
  /** `PAPERBOY_METRICS_PORT`: where /healthz and /metrics are served; `null` = not served. */
  metricsPort: number | null;
  /**
   * `PAPERBOY_METRICS_HOST`: the address /healthz and /metrics listen on; loopback unless
   * asked, since they tell anyone who can reach them about the bot (sources, channels count).
   */
  metricsHost: string;
  /** `null` when no model is configured: no request is ever made. */
  llm: LlmSettings | null;
  /**
   * `PAPERBOY_DATABASE_URL`: the shared PostgreSQL store for several instances; `null` = the
   * embedded SQLite store under `dataDir`. Holds the password: never logged.
   */
  databaseUrl: string | null;
  discord: FileConfig['discord'] & {
    secrets: DiscordSecrets | null;
    /** Set (with `secrets`) when DISCORD_PUBLIC_KEY is: interactions over HTTP, no gateway. */
    interactions: DiscordInteractionsConfig | null;
    /** `PAPERBOY_DISCORD_SHARDS`: the gateway shards this instance connects (default one). */
    shards: DiscordShards;
  };
  slack: FileConfig['slack'] & { secrets: SlackSecrets | null };
  /** `levelFromEnv`: PAPERBOY_LOG_LEVEL asked for the level (the terminal is quiet otherwise). */
  log: FileConfig['log'] & { levelFromEnv: boolean };
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Folder holding `config/` (the project root). */
  rootDir?: string;
  /** Told about a setting that is ignored (not an error): main prints it as a warning line. */
  onWarning?: (line: string) => void;
}

/**
 * The secret values of a loaded config (tokens, signing secret, LLM key): the logger blanks
 * each wherever it turns up, e.g. quoted in a library's error.
 */
export function configSecrets(config: Config): string[] {
  const values = [
    config.discord.secrets?.token,
    config.slack.secrets?.botToken,
    config.slack.secrets?.signingSecret,
    config.slack.secrets?.appToken,
    config.llm?.apiKey,
    config.databaseUrl,
    databasePassword(config.databaseUrl),
  ];
  return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** Loopback: the ops endpoint is for this machine unless PAPERBOY_METRICS_HOST says otherwise. */
export const DEFAULT_METRICS_HOST = '127.0.0.1';

/** Names of the env variables whose values must never be printed. */
export const SECRET_ENV_KEYS = [
  'DISCORD_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'PAPERBOY_LLM_API_KEY',
  'PAPERBOY_DATABASE_URL',
];

/** The password in a connection URL (as written and decoded), which a library may quote alone. */
function databasePassword(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : null;
  } catch {
    return null;
  }
}

/**
 * The secret variables' values as set, valid or not: what a start-up error line must not
 * show even when the configuration failed to load.
 */
export function envSecretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = SECRET_ENV_KEYS.map((key) => env[key]);
  values.push(databasePassword(env.PAPERBOY_DATABASE_URL) ?? undefined);
  return values.filter((v): v is string => Boolean(v));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeDeep(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    // JSON.parse keeps `__proto__` as an own key; assigning it would swap the prototype.
    if (key === '__proto__') continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeDeep(current, value) : value;
  }
  return out;
}

function readJsonFile(file: string, problems: string[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isPlainObject(parsed)) {
      problems.push(`${file}: must hold a JSON object`);
      return {};
    }
    return parsed;
  } catch (error) {
    // Name the place only: JSON.parse's message quotes the text, which may hold a secret.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    const where = position ? ` at ${lineAndColumn(text, Number(position))}` : '';
    problems.push(`${file}: is not valid JSON${where}`);
    return {};
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

const SECRET_LIKE = /token|secret|password|key$/i;

function describeIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.flatMap((issue) => {
    const key = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      // One line per unknown key, each named in full.
      return issue.keys.map((unknown) => {
        const hint = SECRET_LIKE.test(unknown)
          ? ' (secrets come only from environment variables such as DISCORD_TOKEN)'
          : '';
        // The key itself is echoed: blank it if it is a secret pasted as a key (a webhook URL).
        const named = scrubSecretShapes(unknown);
        return `${prefix}${key ? `${key}.` : ''}${named}: is not a known setting${hint}`;
      });
    }
    // Never echo the received value: it could be a secret.
    return [`${prefix}${key || '(root)'}: ${plainMessage(issue)}`];
  });
}

/** How a config reader names JSON kinds (zod says "array", "received undefined"). */
const JSON_KIND: Record<string, string> = {
  array: 'a list [...]',
  object: 'an object {...}',
  string: 'a string in quotes',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

/**
 * zod's own wording ("Invalid input: expected array, received string") in plain words;
 * our schema's messages ("must be a time HH:MM") are kept as written.
 */
function plainMessage(issue: z.core.$ZodIssue): string {
  if (!issue.message.startsWith('Invalid')) return issue.message;
  if (issue.code === 'invalid_type') {
    const received = /received (\w+)$/.exec(issue.message)?.[1];
    if (received === 'undefined') return 'is required';
    const expected = JSON_KIND[issue.expected] ?? issue.expected;
    return `must be ${expected}${received ? `, not ${JSON_KIND[received] ?? received}` : ''}`;
  }
  if (issue.code === 'invalid_value') {
    const values = issue.values.map((v) => JSON.stringify(v));
    return values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.join(', ')}`;
  }
  return issue.message;
}

/** Environment variables set to '' count as unset, as shells and .env files often leave them. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Reads `config/default.json` < `config/local.json` < `$PAPERBOY_CONFIG` < environment,
 * validates once and freezes. The only module that reads `process.env`.
 * Throws PaperboyError CONFIG_INVALID with one line per bad key.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = withoutEmpty(options.env ?? process.env);
  const rootDir = options.rootDir ?? process.cwd();
  const problems: string[] = [];

  let merged = readJsonFile(path.join(rootDir, 'config', 'default.json'), problems);
  const local = path.join(rootDir, 'config', 'local.json');
  if (existsSync(local)) merged = mergeDeep(merged, readJsonFile(local, problems));
  if (env.PAPERBOY_CONFIG)
    merged = mergeDeep(merged, readJsonFile(path.resolve(rootDir, env.PAPERBOY_CONFIG), problems));

  const envResult = envSchema.safeParse(env);
  if (!envResult.success) problems.push(...describeIssues(envResult.error, 'env '));
  const fileResult = fileSchema.safeParse(merged);
  if (!fileResult.success) problems.push(...describeIssues(fileResult.error));

  const e = envResult.data;
  // Checked on the raw variables so these show up even when another variable is invalid.
  if (env.DISCORD_TOKEN && !env.DISCORD_APPLICATION_ID)
    problems.push('env DISCORD_APPLICATION_ID: is required when DISCORD_TOKEN is set');
  if (env.DISCORD_PUBLIC_KEY && !(env.DISCORD_TOKEN && env.DISCORD_APPLICATION_ID)) {
    problems.push(
      'env DISCORD_PUBLIC_KEY: needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (HTTP interactions still post digests with the bot token)',
    );
  }
  const slackPort = e?.PORT ?? 3000;
  const discordPort = e?.DISCORD_INTERACTIONS_PORT ?? slackPort;
  // Slack's HTTP receiver listens on PORT unless an app token selects Socket Mode.
  const slackHttp = Boolean(
    env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN,
  );
  if (env.DISCORD_PUBLIC_KEY && slackHttp && discordPort === slackPort && discordPort !== 0) {
    problems.push(
      `env DISCORD_INTERACTIONS_PORT: Slack's HTTP receiver already listens on port ${slackPort}; give Discord another port`,
    );
  }
  if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    problems.push(
      'env SLACK_SIGNING_SECRET or SLACK_APP_TOKEN: one is required when SLACK_BOT_TOKEN is set',
    );
  }
  // A platform's other settings without its token would quietly run the terminal instead.
  for (const other of ['SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'] as const) {
    if (env[other] && !env.SLACK_BOT_TOKEN)
      problems.push(
        `env SLACK_BOT_TOKEN: is required when ${other} is set (the xoxb- token under OAuth & Permissions)`,
      );
  }
  if (env.DISCORD_APPLICATION_ID && !env.DISCORD_TOKEN)
    problems.push(
      'env DISCORD_TOKEN: is required when DISCORD_APPLICATION_ID is set (the bot token in the Developer Portal, Bot tab)',
    );
  if (env.PAPERBOY_DISCORD_SHARDS && env.DISCORD_PUBLIC_KEY)
    problems.push(
      'env PAPERBOY_DISCORD_SHARDS: shards are gateway connections, and DISCORD_PUBLIC_KEY selects interactions over HTTP (no gateway): unset one of them',
    );
  if (problems.length > 0 || !fileResult.success || !e) {
    throw new PaperboyError(
      'CONFIG_INVALID',
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }

  const file = fileResult.data;
  if (e.PAPERBOY_LLM_API_KEY && !file.llm)
    options.onWarning?.(
      'PAPERBOY_LLM_API_KEY is set but the config has no "llm" section, so no model is used: ' +
        'add llm.baseUrl and llm.model to the config, or unset the key.',
    );
  // A warning, not an error: one compose file serves Slack-only deployments as well.
  if (e.PAPERBOY_DISCORD_SHARDS && !e.DISCORD_TOKEN)
    options.onWarning?.(
      'PAPERBOY_DISCORD_SHARDS is set but DISCORD_TOKEN is not, so no Discord gateway shard is connected.',
    );
  if (e.PAPERBOY_LOG_LEVEL) file.log.level = e.PAPERBOY_LOG_LEVEL;
  const config: Config = {
    ...file,
    dataDir: path.resolve(rootDir, e.PAPERBOY_DATA_DIR ?? 'data'),
    log: { ...file.log, levelFromEnv: e.PAPERBOY_LOG_LEVEL !== undefined },
    metricsPort: e.PAPERBOY_METRICS_PORT ?? null,
    metricsHost: e.PAPERBOY_METRICS_HOST ?? DEFAULT_METRICS_HOST,
    llm: file.llm ? { ...file.llm, apiKey: e.PAPERBOY_LLM_API_KEY ?? null } : null,
    databaseUrl: e.PAPERBOY_DATABASE_URL ?? null,
    discord: {
      ...file.discord,
      secrets:
        e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID
          ? {
              token: e.DISCORD_TOKEN,
              applicationId: e.DISCORD_APPLICATION_ID,
              guildId: e.DISCORD_GUILD_ID ?? null,
              apiUrl: e.DISCORD_API_URL ?? null,
            }
          : null,
      interactions:
        e.DISCORD_PUBLIC_KEY && e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID
          ? { publicKey: e.DISCORD_PUBLIC_KEY.toLowerCase(), port: discordPort }
          : null,
      shards: e.PAPERBOY_DISCORD_SHARDS ?? ONE_SHARD,
    },
    slack: {
      ...file.slack,
      secrets: e.SLACK_BOT_TOKEN
        ? {
            botToken: e.SLACK_BOT_TOKEN,
            signingSecret: e.SLACK_SIGNING_SECRET ?? null,
            appToken: e.SLACK_APP_TOKEN ?? null,
            apiUrl: e.SLACK_API_URL ?? null,
            port: slackPort,
          }
        : null,
    },
  };
  const shards = config.discord.shards;
  const everyShard = shards === 'auto' || shards.ids.length === shards.count;
  if (config.databaseUrl && config.discord.secrets && !config.discord.interactions && everyShard)
    options.onWarning?.(
      'PAPERBOY_DATABASE_URL is set and Discord runs over the gateway (no DISCORD_PUBLIC_KEY): ' +
        'Discord sends every command to every gateway connection of the bot, so each instance ' +
        'would run and answer it. Run one gateway instance (or give each instance its own ' +
        'shards, PAPERBOY_DISCORD_SHARDS), or set DISCORD_PUBLIC_KEY on every instance for ' +
        'HTTP interactions behind a load balancer (docs/operations.md).',
    );
  return deepFreeze(config);
}
