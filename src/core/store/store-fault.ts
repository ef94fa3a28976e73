import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { isBusyError } from '../background-step.js';
import { isPaperboyError, PaperboyError } from '../errors.js';

/** What a user reads when another process holds the write lock past the wait. */
export const STORE_BUSY_MESSAGE =
  'The database is busy (another process is writing to it); try again in a moment.';
const STORE_FAULT_MESSAGE = 'The database could not complete the operation; try again.';

/**
 * Errors node-postgres raised about the connection itself (refused, dropped, timed out):
 * plain Errors, told apart from a bug only by where they came from, so the PostgreSQL
 * store's query layer registers each one it sees (`asConnectionFault`).
 */
const connectionFaults = new WeakSet<object>();

/** Registers an error out of the PostgreSQL driver as a database fault; returns it as is. */
export function asConnectionFault(error: unknown): unknown {
  if (error instanceof Error && !isPaperboyError(error)) connectionFaults.add(error);
  return error;
}

/** An error raised by the database or its connection: SQLite (better-sqlite3) or PostgreSQL (pg). */
export function isDatabaseError(error: unknown): boolean {
  return (
    error instanceof BetterSqlite3.SqliteError ||
    error instanceof pg.DatabaseError ||
    (error instanceof Error && connectionFaults.has(error))
  );
}

/**
 * The one guard for store faults: a database error becomes a coded STORE_FAILED (the cause
 * kept for the log), so the command boundary answers with what failed instead of INTERNAL.
 * A coded error stays as it is; anything else (a bug) is returned unchanged.
 */
export function asStoreFault(error: unknown, message = STORE_FAULT_MESSAGE): unknown {
  if (isPaperboyError(error) || !isDatabaseError(error)) return error;
  return new PaperboyError('STORE_FAILED', isBusyError(error) ? STORE_BUSY_MESSAGE : message, {
    cause: error,
  });
}
