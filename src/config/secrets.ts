import type { Config } from './types.js';

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

/** Names of the env variables whose values must never be printed. */
const SECRET_ENV_KEYS = [
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
    // Not a URL: there is no password part to scrub on its own. The whole value is scrubbed
    // as a secret, and the configuration refuses it with its own message.
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
