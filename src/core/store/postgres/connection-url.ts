import { parse } from 'pg-connection-string';

const EXAMPLE = 'postgres://paperboy:PASSWORD@db-host:5432/paperboy';
const ENCODE =
  'percent-encode special characters in the password (# → %23, / → %2F, ? → %3F, @ → %40, % → %25)';

/**
 * What is wrong with a `PAPERBOY_DATABASE_URL` value as pg will read it (pg-connection-string,
 * not WHATWG URL, which differs on stray spaces and relative URLs), or null when it is fine.
 * The value itself is never quoted: it holds the password.
 */
export function connectionUrlProblem(text: string): string | null {
  if (!/^postgres(ql)?:\/\//.test(text))
    return `must be a PostgreSQL connection URL such as ${EXAMPLE}`;
  // A '#' never belongs in a connection URL: pg would read the rest as a fragment and drop it.
  if (text.includes('#')) return `holds a "#": ${ENCODE}`;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(text);
  } catch {
    return text.includes('@')
      ? `is not a connection URL pg can read: ${ENCODE}`
      : `must be a PostgreSQL connection URL such as ${EXAMPLE}`;
  }
  // "postgres://user:12/x@host/db": an unencoded "/" made the password a port and a path.
  if (parsed.database?.includes('@')) return `is not a connection URL pg can read: ${ENCODE}`;
  if (!parsed.host) return `must be a PostgreSQL connection URL such as ${EXAMPLE}`;
  if (!parsed.database)
    return (
      `names no database: add it after the port (${EXAMPLE}); without one the server picks ` +
      'the database named after the user'
    );
  return null;
}
