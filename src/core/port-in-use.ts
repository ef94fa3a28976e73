import { PaperboyError } from './errors.js';

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** A listening port already taken, as Node reports it (Slack's HTTP receiver, metrics). */
export function portInUse(error: unknown, port: number, variable: string): PaperboyError | null {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (codeOf(e) === 'EADDRINUSE' || codeOf(e) === 'EACCES')
      return new PaperboyError(
        'CONFIG_INVALID',
        `Port ${port} is ${codeOf(e) === 'EACCES' ? 'not allowed for this user' : 'already in use'}: ` +
          `stop the process that holds it or set ${variable} to a free port.`,
        { cause: error },
      );
  }
  return null;
}
