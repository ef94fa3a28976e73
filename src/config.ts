import { existsSync } from 'node:fs';
import path from 'node:path';
import { describeIssues, mergeDeep, readJsonFile } from './config/files.js';
import { envSchema, fileSchema } from './config/schema.js';
import type { Config, LoadConfigOptions } from './config/types.js';
import { PaperboyError } from './core/errors.js';
import { ONE_SHARD } from './discord-shards.js';

export type { FileConfig } from './config/schema.js';
export { isValidTimeZone } from './config/schema.js';
export {
  configSecrets,
  envSecretValues,
} from './config/secrets.js';
export type {
  Config,
  DiscordInteractionsConfig,
  DiscordSecrets,
  LlmSettings,
  LoadConfigOptions,
  SlackSecrets,
} from './config/types.js';

/** Loopback: the ops endpoint is for this machine unless PAPERBOY_METRICS_HOST says otherwise. */
export const DEFAULT_METRICS_HOST = '127.0.0.1';

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
