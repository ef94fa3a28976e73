import type pg from 'pg';

export interface SessionLockOptions {
  /**
   * How long one of the lock's queries may go unanswered before its connection counts as
   * lost (default 5 s): a silent connection (blackholed network, vanished proxy) would
   * otherwise hold the caller until the kernel gives up retransmitting, a quarter of an hour.
   */
  deadlineMs?: number;
  /**
   * Server side: a lock session silent this long is ended, freeing the lock for another
   * instance, also when a proxy keeps the dead holder's socket open (default 3 min;
   * PostgreSQL 14 and later). The holder pings every third of it.
   */
  idleSessionTimeoutMs?: number;
}

const DEFAULT_DEADLINE_MS = 5_000;
const DEFAULT_IDLE_SESSION_TIMEOUT_MS = 180_000;
/**
 * The server's TCP keepalive on the lock session (idle, interval in seconds; count): a holder
 * whose host vanished without a FIN or RST is noticed in about 90 s, not the 2 h 11 min of
 * Linux's defaults. (Ignored on a Unix socket.)
 */
const SERVER_KEEPALIVE = { idle: '60', interval: '10', count: '3' } as const;

/**
 * A session advisory lock: held for as long as one dedicated connection lives. Several bot
 * instances ask for it every tick and only the holder does the work (source polling). When
 * the holder dies its connection closes, the server frees the lock, and the next instance to
 * ask (within a tick, a minute) takes over. No lease to tune, nothing to clean up. The
 * connection is one of the pool's.
 */
export class SessionLock {
  private client: pg.PoolClient | null = null;
  private held = false;
  private closed = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly deadlineMs: number;
  private readonly idleSessionTimeoutMs: number;

  constructor(
    private readonly pool: pg.Pool,
    private readonly key: number,
    options: SessionLockOptions = {},
  ) {
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.idleSessionTimeoutMs = options.idleSessionTimeoutMs ?? DEFAULT_IDLE_SESSION_TIMEOUT_MS;
  }

  /** Whether this instance holds the lock now (taking it when free). Never throws. */
  async tryHold(): Promise<boolean> {
    if (this.closed) return false;
    let client = this.client;
    try {
      if (!client) {
        client = await this.pool.connect();
        const connected = client;
        // A dropped connection (server restart, network) loses the lock: ask again next time.
        connected.on('error', () => this.drop(connected));
        this.client = connected;
        this.held = false;
        await this.configure(connected);
      }
      if (this.held) {
        // Cheap liveness check: a dead connection would otherwise look like a held lock.
        await this.ask(client, 'SELECT 1');
        return this.client === client;
      }
      const rows = await this.ask<{ ok: boolean }>(
        client,
        'SELECT pg_try_advisory_lock($1) AS ok',
        [this.key],
      );
      this.held = this.client === client && rows[0]?.ok === true;
      if (this.held) this.startHeartbeat(client);
      return this.held;
    } catch {
      if (client) this.drop(client);
      return false;
    }
  }

  /** One query on the lock's connection, answered within the deadline or failed. */
  private async ask<R extends pg.QueryResultRow>(
    client: pg.PoolClient,
    text: string,
    values: unknown[] = [],
  ): Promise<R[]> {
    // pg reads query_timeout from the query's config too; its types list it for the client only.
    const query: pg.QueryConfig = {
      text,
      values,
      query_timeout: this.deadlineMs,
    } as pg.QueryConfig;
    return (await client.query<R>(query)).rows;
  }

  /** The server ends this session when it falls silent, and probes its TCP peer. */
  private async configure(client: pg.PoolClient): Promise<void> {
    await this.ask(
      client,
      `SELECT set_config('tcp_keepalives_idle', $1, false),
              set_config('tcp_keepalives_interval', $2, false),
              set_config('tcp_keepalives_count', $3, false),
              CASE WHEN current_setting('server_version_num')::int >= 140000
                THEN set_config('idle_session_timeout', $4, false) END`,
      [
        SERVER_KEEPALIVE.idle,
        SERVER_KEEPALIVE.interval,
        SERVER_KEEPALIVE.count,
        `${this.idleSessionTimeoutMs}ms`,
      ],
    );
  }

  /** Pings between ticks too, so a long tick never lets idle_session_timeout end the session. */
  private startHeartbeat(client: pg.PoolClient): void {
    this.stopHeartbeat();
    this.heartbeat = setInterval(
      () => {
        this.ask(client, 'SELECT 1').catch(() => this.drop(client));
      },
      Math.max(1, Math.floor(this.idleSessionTimeoutMs / 3)),
    );
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private drop(client: pg.PoolClient): void {
    if (this.client !== client) return;
    this.stopHeartbeat();
    this.client = null;
    this.held = false;
    // Destroyed, not returned: a connection that failed is not reused.
    client.release(new Error('session lock connection dropped'));
  }

  /** Frees the lock (by closing its connection) so another instance takes over at once. */
  close(): void {
    this.closed = true;
    if (this.client) this.drop(this.client);
  }
}
