import type { TestPostgres } from './postgres.js';

/**
 * Lets `ms` pass for the digest runs' leases, which PostgreSQL measures on the server's clock
 * (the instances' test clocks do not move it): the claims' ends move back as far.
 */
export async function leaseTimePasses(server: TestPostgres, url: string, ms: number) {
  await server.admin(
    url,
    `UPDATE digest_runs SET claim_until = to_char((claim_until::timestamptz
       - $1::float8 * interval '1 millisecond') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
     WHERE claim_until IS NOT NULL`,
    [ms],
  );
}
