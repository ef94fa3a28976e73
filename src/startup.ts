import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import v8 from 'node:v8';
import { isPaperboyError, PaperboyError } from './core/errors.js';
import { scrubSecretShapes } from './core/secret-text.js';
import { storeFile } from './core/store/sqlite-store.js';

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/**
 * Asks V8 to favour a small heap over allocation speed. The bot's live heap is small (about
 * 55 MB at 100,000 papers, measured by heap snapshot under load), but with V8's default
 * growth a burst of 1,000 commands let garbage grow the old space to 120 MB before a full
 * collection; this flag makes V8 collect sooner (GC heuristics only, read as it runs), so
 * `npm start`, the container and systemd all get it without a command-line flag.
 */
export function preferSmallHeap(): void {
  v8.setFlagsFromString('--optimize-for-size');
}

/**
 * Creates the data folder and checks this user may write it and its database, so a
 * read-only folder is one plain line at start-up instead of a SQLite error on first write.
 */
export function prepareDataDir(dir: string): void {
  const fix = 'fix its permissions (chown/chmod) or set PAPERBOY_DATA_DIR to a writable folder';
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    const db = storeFile(dir);
    if (existsSync(db)) accessSync(db, constants.R_OK | constants.W_OK);
  } catch (error) {
    const code = codeOf(error) || 'error';
    const what = code === 'ENOTDIR' || code === 'EEXIST' ? 'is not a folder' : 'is not writable';
    throw new PaperboyError(
      'CONFIG_INVALID',
      `The data folder ${dir} ${what} by this user (${code}): ${fix}.`,
      { cause: error },
    );
  }
}

/**
 * The one line printed when start-up fails: an expected error's own message (it names
 * the cause and the fix), never a stack; anything else says it is unexpected. Secret
 * shapes are blanked, and so are the configured `secrets`, as in the log.
 */
export function startupMessage(
  error: unknown,
  secrets: ReadonlyArray<string | null | undefined> = [],
): string {
  let text: string;
  if (isPaperboyError(error)) text = error.message;
  else if (codeOf(error).startsWith('ERR_PARSE_ARGS'))
    text = `${(error as Error).message}. Usage: npm start [-- --live]`;
  else
    text = `Paperboy stopped on an unexpected error: ${(error as Error)?.message ?? String(error)}`;
  for (const secret of secrets)
    if (secret && secret.length >= 4) text = text.split(secret).join('[redacted]');
  return scrubSecretShapes(text);
}
