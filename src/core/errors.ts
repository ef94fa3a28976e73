/** Every error Paperboy raises on purpose has a code from this one list. */
export const ERROR_CODES = {
  CONFIG_INVALID: 'The configuration is invalid.',
  FEED_NOT_RECOGNISED: 'The input is not in a format Paperboy reads.',
  FEED_MALFORMED: 'The feed could not be parsed.',
  STORE_TOO_NEW: 'The database was written by a newer Paperboy.',
  STORE_CORRUPT: 'The database file is damaged.',
  STORE_FAILED: 'The store could not complete the operation.',
  SOURCE_HTTP: 'A paper source answered with an error.',
  SOURCE_TIMEOUT: 'A paper source did not answer in time.',
  INPUT_INVALID: 'The command input is invalid.',
  NOT_FOUND: 'Nothing matched.',
  PERMISSION_DENIED: 'You may not do that here.',
  POST_FAILED: 'The message could not be posted.',
  CHANNEL_UNAVAILABLE: 'The channel refuses messages from the bot.',
  PLATFORM_UNREACHABLE: 'A chat platform could not be reached.',
  POST_REJECTED: 'The platform will never accept this message (too long or invalid).',
  INTERNAL: 'Something went wrong inside Paperboy.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * A coded error: `code` is for programs and logs, `message` is safe to show a user
 * (never a secret), `cause` keeps the underlying error for the log.
 */
export class PaperboyError extends Error {
  readonly code: ErrorCode;
  /** How long the other side asked to be left alone (a 429's Retry-After), when it said. */
  declare readonly retryAfterMs?: number;

  constructor(
    code: ErrorCode,
    message: string = ERROR_CODES[code],
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PaperboyError';
    this.code = code;
    // Set only when given: errors without one compare and log exactly as before.
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

export function isPaperboyError(error: unknown, code?: ErrorCode): error is PaperboyError {
  return error instanceof PaperboyError && (code === undefined || error.code === code);
}
