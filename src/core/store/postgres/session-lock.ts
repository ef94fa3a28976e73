import type pg from 'pg';

/**
 * A session advisory lock: held for as long as one dedicated connection lives. Several bot
 * instances ask for it every tick and only the holder does the work (source polling). When
 * the holder dies its connection closes, the server frees the lock, and the next instance to
 * ask (within a tick, a minute) takes over. No lease to tune, nothing to clean up.
 */
export class SessionLock {
  private client: pg.PoolClient | null = null;
  private held = false;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly key: number,
  ) {}

  /** Whether this instance holds the lock now (taking it when free). Never throws. */
  async tryHold(): Promise<boolean> {
    if (this.closed) return false;
    try {
      if (!this.client) {
        const client = await this.pool.connect();
        // A dropped connection (server restart, network) loses the lock: ask again next time.
        client.on('error', () => this.drop(client));
        this.client = client;
        this.held = false;
      }
      if (this.held) {
        // Cheap liveness check: a dead connection would otherwise look like a held lock.
        await this.client.query('SELECT 1');
        return true;
      }
      const { rows } = await this.client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock($1) AS ok',
        [this.key],
      );
      this.held = rows[0]?.ok === true;
      return this.held;
    } catch {
      if (this.client) this.drop(this.client);
      return false;
    }
  }

  private drop(client: pg.PoolClient): void {
    if (this.client !== client) return;
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
