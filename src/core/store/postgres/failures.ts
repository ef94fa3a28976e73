import { parse } from 'pg-connection-string';

/** The SQLSTATE of a server error (`42501`…), or '' for anything else. */
export function sqlState(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : '';
}

/** A connection failure in a few words: node's code (ECONNREFUSED…) or the server's message. */
export function failureOf(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown; errors?: unknown[] };
  // A host with several addresses fails with an AggregateError whose message is empty.
  const first = (Array.isArray(e.errors) ? e.errors[0] : undefined) as
    | { code?: unknown }
    | undefined;
  const code =
    typeof e.code === 'string' ? e.code : typeof first?.code === 'string' ? first.code : null;
  const message = typeof e.message === 'string' ? e.message.split('\n')[0] : '';
  if (code && /^E[A-Z]+$/.test(code)) return code;
  return message || code || 'unknown error';
}

/**
 * What to do about a failure to open the database, by SQLSTATE class: a wrong password is
 * not a network problem, and a missing privilege is neither.
 */
export function failureHint(error: unknown): string {
  const state = sqlState(error);
  if (state.startsWith('28')) return 'check the user name and password in PAPERBOY_DATABASE_URL';
  if (state === '3D000')
    return 'create the database (CREATE DATABASE …) or fix its name in PAPERBOY_DATABASE_URL';
  if (state === '42501')
    return 'this role lacks a privilege it needs: let it create tables in its schema (e.g. GRANT CREATE ON SCHEMA public TO the role, or a schema of its own named after the role)';
  if (state.startsWith('53'))
    return 'the server is out of resources (too many connections?): lower the instances or raise max_connections';
  if (state.startsWith('57P'))
    return 'the server is shutting down or restarting: start Paperboy again once it is up';
  return 'check PAPERBOY_DATABASE_URL and that the server is running and reachable';
}

/** `host:port/database` of a connection string: what errors may name (never the password). */
export function describeDatabase(connectionString: string): string {
  try {
    const { host, port, database } = parse(connectionString);
    if (!host) return 'the configured PostgreSQL database';
    return `${host}${port ? `:${port}` : ''}/${database ?? ''}`;
  } catch {
    return 'the configured PostgreSQL database';
  }
}
