import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { type Config, loadConfig } from '../config.js';
import { isPaperboyError } from '../core/errors.js';
import { arxivQueryUrl } from '../core/sources/fetch-arxiv-api.js';
import { arxivRssUrl } from '../core/sources/fetch-arxiv-rss.js';
import { dailyPapersUrl } from '../core/sources/fetch-huggingface.js';
import { SCHEMA_VERSION } from '../core/store/migrations.js';
import { describeDatabase, failureHint, failureOf } from '../core/store/postgres/failures.js';
import { PG_SCHEMA_VERSION } from '../core/store/postgres/migrations.js';
import { storeFile } from '../core/store/sqlite-store.js';
import { checkTokenShapes, type Finding } from './token-shapes.js';

export type { Finding };

export interface DoctorOptions {
  env: Record<string, string | undefined>;
  /** The project root holding `config/`. */
  rootDir: string;
  /** Per source request (default 5 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

function ok(check: string, message: string): Finding {
  return { check, level: 'ok', message };
}
function problem(check: string, message: string): Finding {
  return { check, level: 'problem', message };
}

/** The data folder must exist (or be creatable) and be readable and writable by this user. */
export function checkDataDir(dataDir: string): Finding {
  const check = 'data dir';
  if (!existsSync(dataDir)) {
    const parent = path.dirname(dataDir);
    try {
      accessSync(parent, constants.W_OK);
      return ok(check, `${dataDir} does not exist yet; Paperboy creates it on first start.`);
    } catch {
      return problem(check, `${dataDir} does not exist and ${parent} is not writable: create it.`);
    }
  }
  if (!statSync(dataDir).isDirectory())
    return problem(check, `${dataDir} is a file, not a folder: set PAPERBOY_DATA_DIR to a folder.`);
  try {
    accessSync(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch {
    return problem(
      check,
      `${dataDir} is not readable and writable by this user: fix its owner or mode (e.g. chown).`,
    );
  }
  const file = storeFile(dataDir);
  if (existsSync(file)) {
    try {
      accessSync(file, constants.R_OK | constants.W_OK);
    } catch {
      return problem(check, `${file} is not writable by this user: fix its owner or mode.`);
    }
  }
  return ok(check, `${dataDir} is readable and writable.`);
}

/** Opens the store read-only (safe beside a running bot): schema version and a quick integrity check. */
export function checkStore(dataDir: string): Finding {
  const check = 'store';
  const file = storeFile(dataDir);
  if (!existsSync(file)) return ok(check, `no database yet at ${file}; created on first start.`);
  let db: BetterSqlite3.Database | null = null;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      return problem(
        check,
        `${file} has schema version ${version}, newer than this Paperboy understands (${SCHEMA_VERSION}): upgrade Paperboy.`,
      );
    }
    const result = db.pragma('quick_check', { simple: true }) as string;
    if (result !== 'ok')
      return problem(check, `${file} fails SQLite's quick_check (${result}): restore a backup.`);
    const pending = SCHEMA_VERSION - version;
    return ok(
      check,
      `${file} opens, passes quick_check, schema version ${version}` +
        (pending > 0 ? ` (${pending} migration(s) run at next start).` : '.'),
    );
  } catch (error) {
    return problem(check, `${file} cannot be read as a database: ${(error as Error).message}.`);
  } finally {
    db?.close();
  }
}

/**
 * The PostgreSQL store (PAPERBOY_DATABASE_URL): connects and reads the schema version, never
 * writes (safe beside running bots).
 */
export async function checkPostgres(url: string, timeoutMs: number): Promise<Finding> {
  const check = 'store';
  const where = describeDatabase(url);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  // A connection the server drops is reported by the query that fails, not as a crash.
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ present: boolean }>(
      "SELECT to_regclass('paperboy_schema') IS NOT NULL AS present",
    );
    if (!rows[0]?.present)
      return ok(check, `${where} answers; Paperboy creates its tables there on first start.`);
    const [row] = (await client.query<{ version: number }>('SELECT version FROM paperboy_schema'))
      .rows;
    const version = row?.version ?? 0;
    if (version > PG_SCHEMA_VERSION)
      return problem(
        check,
        `${where} has schema version ${version}, newer than this Paperboy understands (${PG_SCHEMA_VERSION}): upgrade Paperboy.`,
      );
    const pending = PG_SCHEMA_VERSION - version;
    return ok(
      check,
      `${where} answers, schema version ${version}` +
        (pending > 0 ? ` (${pending} migration(s) run at next start).` : '.'),
    );
  } catch (error) {
    return problem(
      check,
      `Cannot open the PostgreSQL database ${where} (${failureOf(error)}): ${failureHint(error)}.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The feed URLs the fetchers will request, for the enabled sources. */
export function sourceUrls(config: Pick<Config, 'sources'>): Array<[string, string]> {
  const { huggingface, arxiv } = config.sources;
  const urls: Array<[string, string]> = [];
  if (huggingface.enabled) urls.push(['huggingface', dailyPapersUrl(huggingface.baseUrl)]);
  if (arxiv.enabled) {
    urls.push(['arxiv-rss', arxivRssUrl(arxiv.rssBaseUrl, arxiv.categories)]);
    urls.push(['arxiv-api', arxivQueryUrl(arxiv.apiBaseUrl, 'cat:cs.AI', 0, 1)]);
  }
  return urls;
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'name lookup failed',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
};

async function checkSource(
  name: string,
  url: string,
  timeoutMs: number,
  get: typeof fetch,
): Promise<Finding> {
  const check = `source ${name}`;
  const where = new URL(url).origin;
  try {
    const response = await get(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { 'user-agent': 'paperboy-doctor' },
    });
    await response.body?.cancel();
    if (response.ok) return ok(check, `${url} answers (HTTP ${response.status}).`);
    return problem(
      check,
      `${url} answers HTTP ${response.status}: check the source's base URL in the config.`,
    );
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return problem(
      check,
      timedOut
        ? `${where} did not answer within ${timeoutMs / 1000} s.`
        : `${where} cannot be reached (${(cause && NETWORK_WORDS[cause]) ?? cause ?? (error as Error).message}): check the network or the URL.`,
    );
  }
}

/** Every check, in order; config problems stop the checks that need a valid config. */
export async function runDoctor(options: DoctorOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  let config: Config | null = null;
  try {
    config = loadConfig({ env: options.env, rootDir: options.rootDir });
    findings.push(ok('config', 'the configuration files and environment are valid.'));
  } catch (error) {
    if (!isPaperboyError(error, 'CONFIG_INVALID')) throw error;
    findings.push(problem('config', error.message));
  }
  findings.push(...checkTokenShapes(options.env));
  if (!config) return findings;
  const timeoutMs = options.timeoutMs ?? 5000;
  if (config.databaseUrl) {
    findings.push(await checkPostgres(config.databaseUrl, timeoutMs));
  } else {
    findings.push(checkDataDir(config.dataDir));
    findings.push(checkStore(config.dataDir));
  }
  const get = options.fetch ?? fetch;
  const urls = sourceUrls(config);
  findings.push(...(await Promise.all(urls.map(([n, u]) => checkSource(n, u, timeoutMs, get)))));
  return findings;
}

const LABEL: Record<Finding['level'], string> = {
  ok: 'ok     ',
  warning: 'warning',
  problem: 'PROBLEM',
};

/** Plain lines, one per finding, and a last line with the count of problems. */
export function formatFindings(findings: readonly Finding[]): string {
  const lines = findings.map((f) => `${LABEL[f.level]}  ${f.check}: ${f.message}`);
  const problems = findings.filter((f) => f.level === 'problem').length;
  lines.push(
    problems === 0
      ? 'No problems found.'
      : `${problems} problem${problems === 1 ? '' : 's'} found.`,
  );
  return `${lines.join('\n')}\n`;
}
