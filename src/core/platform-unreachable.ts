import { PaperboyError } from './errors.js';

/** Node's and undici's codes for "no connection to that host at all". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** The network code somewhere in the error's chain (`cause`, or Slack's `original`). */
function networkCode(error: unknown): string | null {
  let e: unknown = error;
  for (let depth = 0; depth < 8 && e !== null && typeof e === 'object'; depth += 1) {
    const { code, cause, original } = e as { code?: unknown; cause?: unknown; original?: unknown };
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    e = cause ?? original;
  }
  return null;
}

/**
 * A platform that cannot be reached at start-up, as one line naming the host and the fix;
 * null when the error is something else. `apiUrl` is the API base (never carries a token).
 */
export function platformUnreachable(
  error: unknown,
  platform: 'Discord' | 'Slack',
  apiUrl: string,
  variable: string,
): PaperboyError | null {
  const code = networkCode(error);
  if (!code) return null;
  return new PaperboyError(
    'PLATFORM_UNREACHABLE',
    `${platform} could not be reached at ${apiUrl} (${code}): check this machine's network, ` +
      `DNS, proxy or firewall${variable ? `, or ${variable} if it is set` : ''}, then start again.`,
    { cause: error },
  );
}
