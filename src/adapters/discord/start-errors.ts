import { PaperboyError } from '../../core/errors.js';
import { platformUnreachable } from '../../core/platform-unreachable.js';

/** Discord answering 401 (registration) or discord.js rejecting the token (login). */
function refusedToken(error: unknown): PaperboyError | null {
  const { status, code } = (error ?? {}) as { status?: unknown; code?: unknown };
  if (status !== 401 && code !== 'TokenInvalid') return null;
  return new PaperboyError(
    'CONFIG_INVALID',
    'Discord refused DISCORD_TOKEN (401 Unauthorized): reset the token in the Developer Portal ' +
      '(your application → Bot → Reset Token) and set DISCORD_TOKEN to the new one.',
    { cause: error },
  );
}

/**
 * A start-up failure talking to Discord (gateway or HTTP interactions) as one line naming
 * cause and fix: a refused token or an unreachable API; anything else unchanged.
 */
export function discordStartError(error: unknown, apiUrl: string | null): unknown {
  return (
    refusedToken(error) ??
    platformUnreachable(error, 'Discord', apiUrl ?? 'https://discord.com/api', 'DISCORD_API_URL') ??
    error
  );
}
