import type { DiscordShards } from '../discord-shards.js';
import type { FileConfig } from './schema.js';

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
